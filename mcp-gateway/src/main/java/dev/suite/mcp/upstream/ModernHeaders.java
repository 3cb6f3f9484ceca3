package dev.suite.mcp.upstream;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The 2026-07-28 rule for header values mirrored from the body ({@code Mcp-Name}): plain visible
 * ASCII as is, anything else as {@code =?base64?…?=} of its UTF-8 bytes.
 */
public final class ModernHeaders {

    private static final String PREFIX = "=?base64?";
    private static final String SUFFIX = "?=";

    private ModernHeaders() {
    }

    public static String encode(String value) {
        boolean plain = !value.startsWith(PREFIX) && !value.isEmpty()
                && value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)
                && value.charAt(0) != ' ' && value.charAt(value.length() - 1) != ' ';
        return plain ? value
                : PREFIX + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + SUFFIX;
    }

    /** Null when the value is malformed base64. */
    public static String decode(String value) {
        if (value == null || !value.startsWith(PREFIX) || !value.endsWith(SUFFIX)) {
            return value;
        }
        try {
            return new String(Base64.getDecoder().decode(value.substring(PREFIX.length(),
                    value.length() - SUFFIX.length())), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
