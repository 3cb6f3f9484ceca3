package dev.suite.llm;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

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

    UserLimits limits();

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

    /**
     * Limits on users' calls through the gateway, set by the operator; a user's configs and model
     * groups carry limits of their own, set by the user.
     */
    interface UserLimits {
        /** What every user not listed under {@code users} gets; nothing set is no limit. */
        ForUser perUser();

        /** Particular users, by user id, in place of {@code per-user}. */
        Map<String, ForUser> users();

        /** The limits of one user. */
        default dev.suite.llm.limits.Limits of(String userId) {
            ForUser set = users().getOrDefault(userId, perUser());
            return new dev.suite.llm.limits.Limits(
                    set.requestsPerMinute().isPresent() ? set.requestsPerMinute().getAsInt() : null,
                    set.tokensPerMinute().isPresent() ? set.tokensPerMinute().getAsLong() : null,
                    set.maxConcurrent().isPresent() ? set.maxConcurrent().getAsInt() : null,
                    set.dailyBudgetUsd().orElse(null), set.monthlyBudgetUsd().orElse(null));
        }
    }

    interface ForUser {
        OptionalInt requestsPerMinute();

        OptionalLong tokensPerMinute();

        OptionalInt maxConcurrent();

        Optional<BigDecimal> dailyBudgetUsd();

        Optional<BigDecimal> monthlyBudgetUsd();
    }
}
