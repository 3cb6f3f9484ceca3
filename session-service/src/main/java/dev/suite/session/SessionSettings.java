package dev.suite.session;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code suite.session.*}: the limits and timings of session-service. */
@ConfigMapping(prefix = "suite.session")
public interface SessionSettings {

    /** How long a temporary session lives after its last change. */
    @WithDefault("24h")
    Duration temporaryTtl();

    /** Largest {@code content} or {@code thinking} of one message, in UTF-8 bytes (413 past it). */
    @WithDefault("1048576")
    int maxContentBytes();

    /** Largest {@code tool_calls}, {@code ext} or {@code mcpdetail} of one message, as JSON bytes (413 past it). */
    @WithDefault("262144")
    int maxJsonBytes();

    /** How often expired temporary sessions are purged (by one replica each round). */
    @WithDefault("60s")
    Duration purgeInterval();

    /** Most messages in one POST (and in one imported session). */
    @WithDefault("1000")
    int maxBatch();

    /** Most messages in one imported session. */
    @WithDefault("50000")
    int maxImportMessages();

    Summary summary();

    Replay replay();

    Roundtables roundtable();

    Tools tools();

    interface Summary {

        /** A memory session is summarised once the tokens after its last summary pass this. */
        @WithDefault("8000")
        int tokenBudget();

        /** The newest messages a summary leaves out, so the context keeps them word for word. */
        @WithDefault("6")
        int keepRecent();

        @WithDefault("120s")
        Duration timeout();
    }

    interface Replay {

        /** Events kept per user for clients that reconnect with their last event id. */
        @WithDefault("10000")
        int size();

        /** A user's replay log is dropped after this long without events. */
        @WithDefault("24h")
        Duration ttl();
    }

    interface Roundtables {

        /** Upper bounds of the stop conditions a roundtable may ask for. */
        @WithDefault("50")
        int maxRounds();

        @WithDefault("500")
        int maxMessages();

        @WithDefault("20")
        int maxParticipants();

        /** One turn's chat completion may take at most this long. */
        @WithDefault("180s")
        Duration turnTimeout();

        /** A running discussion holds a lease this long, renewed while it runs. */
        @WithDefault("15s")
        Duration lease();
    }

    interface Tools {

        /** Ceiling of one tool call through mcp-gateway (which applies the server's own limits first). */
        @WithDefault("600s")
        Duration callTimeout();
    }
}
