package dev.suite.mcp.tools;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToolFilterTest {

    @Test
    void namesAndStarPatternsAllowAndDenyWins() {
        ToolFilter filter = new ToolFilter(List.of("search_*", "get_issue", "*_read"), List.of("*delete*"));
        assertTrue(filter.permits("search_code"));
        assertTrue(filter.permits("get_issue"));
        assertTrue(filter.permits("file_read"));
        assertFalse(filter.permits("get_issues"));
        assertFalse(filter.permits("search_and_delete"));
        assertTrue(new ToolFilter(null, List.of()).permits("anything"));
        assertTrue(ToolFilter.matches("a*b*c", "aXXbYYc"));
        assertTrue(ToolFilter.matches("**", ""));
        assertFalse(ToolFilter.matches("a*b", "aXXc"));
        assertTrue(ToolFilter.matches("a.b", "a.b"));
        assertFalse(ToolFilter.matches("a.b", "aXb"));
    }

    @Test
    void aPatternMadeToBacktrackAnswersAtOnce() {
        // As a regular expression (.*a){99}b this backtracks for longer than anyone would wait.
        String pattern = "*a".repeat(99) + "b";
        String name = "a".repeat(200);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertFalse(new ToolFilter(List.of(pattern), null).permits(name)));
    }
}
