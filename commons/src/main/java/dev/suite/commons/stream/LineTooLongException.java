package dev.suite.commons.stream;

/** An upstream stream line or event over the limit ({@code SUITE_UPSTREAM_MAX_LINE}). */
public final class LineTooLongException extends RuntimeException {

    public LineTooLongException(int maxLine) {
        super("the stream sent a line or event longer than " + maxLine + " bytes", null, false, false);
    }
}
