package dev.suite.commons.net;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Where user-supplied URLs may lead and how much an upstream may send. Commons' defaults read
 * {@code SUITE_ALLOW_PRIVATE_NETWORKS}, {@code SUITE_UPSTREAM_MAX_BODY} and
 * {@code SUITE_UPSTREAM_MAX_LINE}.
 */
@ConfigMapping(prefix = "suite.outbound")
public interface OutboundConfig {

    /**
     * May user-supplied URLs reach loopback and private networks? Unset: yes in {@code local}
     * mode (a local Ollama, local MCP servers), no in the shared modes.
     */
    Optional<Boolean> allowPrivateNetworks();

    /** The largest upstream body read whole (a JSON answer, an error body). */
    @WithDefault("32M")
    MemorySize maxBody();

    /** The largest line or event of an upstream stream (SSE, NDJSON). */
    @WithDefault("4M")
    MemorySize maxLine();

    /** How long a checked host's addresses are reused; requests always go to checked addresses. */
    @WithDefault("30s")
    Duration addressTtl();
}
