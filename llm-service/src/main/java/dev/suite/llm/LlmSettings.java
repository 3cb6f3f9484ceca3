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

    Chat chat();

    Usage usage();

    Responses responses();

    /** The chat-completions gateway. Timeouts are defaults; a config may override them in metadata. */
    interface Chat {
        @WithDefault("10s")
        Duration connectTimeout();

        /** Until the provider answers with its status and headers. */
        @WithDefault("60s")
        Duration firstByteTimeout();

        /** Between two frames of a stream, or two buffers of a body. */
        @WithDefault("120s")
        Duration idleTimeout();

        @WithDefault("10m")
        Duration totalTimeout();

        /** Extra attempts on one config after a connect error, 429, 5xx or timeout (before any byte reached the client). */
        @WithDefault("2")
        int maxRetries();

        @WithDefault("250ms")
        Duration retryBaseDelay();

        /** Cap of the backoff, and the longest {@code Retry-After} worth waiting for before trying a fallback. */
        @WithDefault("8s")
        Duration retryMaxDelay();

        /** An SSE comment is sent when a stream has been silent this long, so proxies keep it open. */
        @WithDefault("15s")
        Duration keepAliveInterval();

        @WithDefault("512")
        int maxConnectionsPerHost();
    }

    /** Usage accounting: rows are written in batches, off the response path. */
    interface Usage {
        @WithDefault("1s")
        Duration flushInterval();

        @WithDefault("500")
        int batchSize();

        /** Records waiting beyond this (database away) are dropped and counted, never blocking calls. */
        @WithDefault("100000")
        int maxQueued();
    }

    /** Responses of {@code POST /v1/responses} kept for {@code previous_response_id}. */
    interface Responses {
        /** How long a stored response can be continued from or read back. */
        @WithDefault("30d")
        Duration ttl();

        /** The largest conversation kept with one response (earlier turns, input and answer, as JSON). */
        @WithDefault("4194304")
        int maxStoredBytes();

        /** How often expired responses are deleted. */
        @WithDefault("1h")
        Duration purgeInterval();
    }
}
