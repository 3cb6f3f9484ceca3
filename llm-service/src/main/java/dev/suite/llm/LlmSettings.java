package dev.suite.llm;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "suite.llm")
public interface LlmSettings {

    /** How many api-key reveals one user may make per window, across all replicas. */
    @WithDefault("10")
    int keyRevealsPerWindow();

    @WithDefault("1m")
    Duration keyRevealWindow();

    /** Upper bound of a config's {@code metadata}, serialized as JSON. */
    @WithDefault("16384")
    int metadataMaxBytes();
}
