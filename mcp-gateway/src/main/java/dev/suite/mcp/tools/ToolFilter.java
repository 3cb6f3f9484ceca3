package dev.suite.mcp.tools;

import java.util.List;

/**
 * A server's tool allow and deny lists: names or {@code *} patterns; deny wins, no allow list
 * allows all. Patterns come from users, so they are matched by a plain wildcard matcher — at most
 * name length × pattern length steps — rather than compiled to a regular expression, where
 * {@code *a*a*a*…} backtracks without end.
 */
public final class ToolFilter {

    private final List<String> allow;
    private final List<String> deny;

    public ToolFilter(List<String> allow, List<String> deny) {
        this.allow = allow;
        this.deny = deny == null ? List.of() : deny;
    }

    public boolean permits(String tool) {
        if (tool == null || deny.stream().anyMatch(p -> matches(p, tool))) {
            return false;
        }
        return allow == null || allow.stream().anyMatch(p -> matches(p, tool));
    }

    /**
     * Whether {@code text} matches {@code pattern}, in which {@code *} stands for any run of
     * characters. On a mismatch only the last star is moved on, which keeps the work polynomial.
     */
    static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resumeAt = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resumeAt = t;
            } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resumeAt;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
