package dev.suite.commons.problem;

/** The kinds of problem the suite answers, each with its status, title and stable type URI. */
public enum ProblemType {
    VALIDATION(400, "Invalid request"),
    MALFORMED_JSON(400, "Malformed JSON"),
    UNAUTHORIZED(401, "Authentication required"),
    FORBIDDEN(403, "Forbidden"),
    NOT_FOUND(404, "Not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    CONFLICT(409, "Conflict"),
    PRECONDITION_FAILED(412, "Precondition failed"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    URI_TOO_LONG(414, "URI too long"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    MISDIRECTED(421, "Misdirected request"),
    TOO_MANY_REQUESTS(429, "Too many requests"),
    HEADERS_TOO_LARGE(431, "Request header fields too large"),
    INTERNAL(500, "Internal error"),
    UPSTREAM(502, "Upstream failure"),
    UNAVAILABLE(503, "Service unavailable"),
    UPSTREAM_TIMEOUT(504, "Upstream timeout");

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String uri() {
        return "urn:suite:problem:" + name().toLowerCase().replace('_', '-');
    }
}
