package dev.suite.commons.net;

/**
 * Why a call to a user-supplied URL failed before or while its answer was read. The message is
 * safe to show the user: outside {@code local} mode it does not tell a refused connection from a
 * timeout or a non-HTTP answer, so the suite cannot be used to map a network.
 */
public final class OutboundException extends RuntimeException {

    public enum Kind {
        /** The URL, or an address its host resolves to, is not allowed. */
        REFUSED,
        /** No connection or no HTTP answer. */
        UNREACHABLE,
        /** A body or stream line over the limit. */
        TOO_LARGE,
        /** Too many redirects, or one that would change the method. */
        REDIRECTED
    }

    private final Kind kind;

    public OutboundException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
