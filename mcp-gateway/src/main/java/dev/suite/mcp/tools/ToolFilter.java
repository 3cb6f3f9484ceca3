package dev.suite.mcp.tools;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.regex.Pattern;

/** A server's tool allow and deny lists: names or {@code *} patterns; deny wins, no allow list allows all. */
public final class ToolFilter {

    private final List<Pattern> allow;
    private final List<Pattern> deny;

    public ToolFilter(List<String> allow, List<String> deny) {
        this.allow = allow == null ? null : allow.stream().map(ToolFilter::glob).toList();
        this.deny = deny == null ? List.of() : deny.stream().map(ToolFilter::glob).toList();
    }

    public boolean permits(String tool) {
        if (tool == null || deny.stream().anyMatch(p -> p.matcher(tool).matches())) {
            return false;
        }
        return allow == null || allow.stream().anyMatch(p -> p.matcher(tool).matches());
    }

    private static Pattern glob(String pattern) {
        return Pattern.compile(Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote)
                .collect(Collectors.joining(".*")));
    }
}
