package dev.suite.commons.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "suite.events")
public interface EventsConfig {

    /** Longest wait between attempts to re-subscribe while Redis is away. */
    @WithDefault("5s")
    java.time.Duration maxReconnectDelay();
}
