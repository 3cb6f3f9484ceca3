package dev.suite.mcp.feedback;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

@ConfigMapping(prefix = "suite.toolbar")
public interface ToolbarConfig {

    /** A second port serving only {@code /ws/toolbar}, for toolbars that look for a fixed one; none by default. */
    Optional<Integer> port();
}
