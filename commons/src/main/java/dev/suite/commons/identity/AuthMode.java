package dev.suite.commons.identity;

/** How a service learns who is calling (DESIGN.md, Identity). */
public enum AuthMode {
    /** Single-machine run: every request is the local user. */
    LOCAL,
    /** {@code Authorization: Bearer <key>} against keys configured as SHA-256 hashes. */
    API_KEY,
    /** Bearer JWTs validated against an OIDC issuer; the subject is the user id. */
    OIDC
}
