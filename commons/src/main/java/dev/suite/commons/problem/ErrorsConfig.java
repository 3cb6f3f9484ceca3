package dev.suite.commons.problem;

import io.smallrye.config.ConfigMapping;

import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "suite.errors")
public interface ErrorsConfig {

    /** Path prefixes of an OpenAI-compatible API, whose early errors take OpenAI's error shape. */
    Optional<List<String>> openaiPaths();

    /**
     * Path prefixes of an Anthropic-compatible API, whose early errors take Anthropic's error shape;
     * they win over {@link #openaiPaths()} where both match.
     */
    Optional<List<String>> anthropicPaths();
}
