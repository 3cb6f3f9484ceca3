package dev.suite.mcp.upstream;

import io.smallrye.mutiny.Uni;

/** The {@code Authorization} a protected server needs: the caller's own token, refreshed when it is refused. */
public interface Credentials {

    /** The header value for the next request; null when the server needs none. Fails with a 401 problem when the user must authorise. */
    Uni<String> authorization();

    /** The server answered 401 to {@code value}: a fresh value (after a refresh), or a failure with the problem to answer. */
    Uni<String> refused(String value);

    /**
     * The server answered 401 to a request sent without authorization, with this
     * {@code WWW-Authenticate} challenge (null when none): a value to send it again with, or a
     * failure with the problem to answer.
     */
    Uni<String> challenged(String challenge);
}
