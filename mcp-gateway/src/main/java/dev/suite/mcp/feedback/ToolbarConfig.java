package dev.suite.mcp.feedback;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

@ConfigMapping(prefix = "suite.toolbar")
public interface ToolbarConfig {

    /** Whether the toolbar listener runs: by default only in {@code local} mode, where toolbars need no credentials. */
    Optional<Boolean> enabled();

    /** Its port: the one toolbars look for (they scan 5746–5756; design note 000 fixes 5748). 0 takes any free port. */
    @WithDefault("5748")
    int port();
}
