package dev.suite.mcp;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "suite.mcp")
public interface McpSettings {

    /** Upper bound of a server's {@code metadata} and {@code ext}, each serialized as JSON. */
    @WithDefault("16384")
    int metadataMaxBytes();

    /** Default of a server's {@code request_timeout_seconds}: one upstream exchange without progress. */
    @WithDefault("60s")
    Duration requestTimeout();

    /** Default of a server's {@code tool_call_max_seconds}: a tool call's absolute cap, progress or not. */
    @WithDefault("10m")
    Duration toolCallMax();

    @WithDefault("10s")
    Duration connectTimeout();

    /** An SSE comment is relayed when a stream has been silent this long, so proxies keep it open. */
    @WithDefault("15s")
    Duration keepAliveInterval();

    /** How long the aggregated endpoint waits for one server's list before leaving the server out. */
    @WithDefault("3s")
    Duration aggregateListTimeout();

    /** Separator between a server's prefix and a tool name when the aggregated endpoint must disambiguate. */
    @WithDefault("__")
    String nameSeparator();

    Stdio stdio();

    Health health();

    Tools tools();

    OAuth oauth();

    Feedback feedback();

    /** The built-in collect_feedback tool. */
    interface Feedback {
        /** How long a call waits for the person when the agent does not say. */
        @WithDefault("600s")
        Duration defaultTimeout();

        @WithDefault("3600s")
        Duration maxTimeout();

        /** A progress notification this often keeps a waiting call (and the proxies in between) alive. */
        @WithDefault("10s")
        Duration progressInterval();

        /** Each image of an answer, decoded; the request body limit (16 MB) bounds them together. */
        @WithDefault("2097152")
        int maxImageBytes();

        @WithDefault("5")
        int maxImages();

        /** Requests and answers older than this are purged. */
        @WithDefault("30d")
        Duration retention();
    }

    interface OAuth {
        /**
         * Where browsers reach this gateway: the callback is {@code <public-url>/mcp/oauth/callback}.
         * Unset means the origin the start request came to (right for a local run; set it behind
         * a proxy or ingress).
         */
        Optional<String> publicUrl();

        /** Where the callback sends the browser afterwards ({@code ?server_id&status[&error]}); a small page when unset. */
        Optional<String> frontendUrl();

        /** How long an authorization may take, from start to callback. */
        @WithDefault("10m")
        Duration stateTtl();

        /** A token this close to expiry is refreshed before use. */
        @WithDefault("60s")
        Duration refreshAhead();

        @WithDefault("Suite MCP gateway")
        String clientName();
    }

    interface Stdio {
        /**
         * Free-form commands a user may register as stdio servers ({@code *} for any), besides the
         * catalogue's entries. Unset means any in {@code local} mode and none otherwise: a stdio
         * server is a process on the gateway's host, and a free-form command runs what it likes.
         */
        Optional<List<String>> allowedCommands();

        /**
         * The stdio servers an operator offers, by name: a user registers {@code command} = the
         * name and may add only arguments the entry's pattern allows and the variables it lists.
         */
        Map<String, CatalogEntry> catalog();

        /**
         * How stdio servers are confined: {@code auto} (bubblewrap where it works on this host,
         * else unconfined with a warning), {@code bubblewrap} (required: the gateway does not start
         * without it) or {@code none}.
         */
        @WithDefault("auto")
        String confinement();

        @WithDefault("500ms")
        Duration restartBaseDelay();

        @WithDefault("30s")
        Duration restartMaxDelay();

        /** How long a process may take to answer {@code initialize} before it counts as failed. */
        @WithDefault("60s")
        Duration startTimeout();

        /** Grace between SIGTERM and SIGKILL when a process is stopped. */
        @WithDefault("3s")
        Duration stopGrace();
    }

    /** An operator's stdio server: what runs, and what a user may add to it. */
    interface CatalogEntry {
        /** The program, as found on the gateway's PATH or an absolute path. */
        String command();

        /** Arguments always given first. */
        Optional<List<String>> args();

        /** An RE2 pattern every argument a user adds must match whole; without one a user adds none. */
        Optional<String> extraArgs();

        /** Environment variables a user may set (loader and interpreter variables never). */
        Optional<List<String>> env();
    }

    interface Health {
        /** Between two scheduled checks of one server. */
        @WithDefault("30s")
        Duration interval();

        /** Consecutive failed checks before a server counts as unhealthy. */
        @WithDefault("2")
        int unhealthyThreshold();

        @WithDefault("10s")
        Duration timeout();
    }

    interface Tools {
        /** How long a server's tool list is served from cache without a {@code list_changed}. */
        @WithDefault("5m")
        Duration cacheTtl();
    }
}
