package dev.suite.commons.request;

import org.jboss.logging.MDC;

import java.util.regex.Pattern;

/** The request id of the request being served, as kept in the logging MDC. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "request_id";

    /** Ids we accept from callers: printable, short, no spaces, so they are safe in logs and headers. */
    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

    private RequestIds() {
    }

    public static String current() {
        Object id = MDC.get(MDC_KEY);
        return id == null ? null : id.toString();
    }

    public static boolean acceptable(String candidate) {
        return candidate != null && ACCEPTABLE.matcher(candidate).matches();
    }
}
