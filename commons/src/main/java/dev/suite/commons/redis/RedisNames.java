package dev.suite.commons.redis;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Names of Redis channels ({@code suite:<service>:<topic>}) and keys ({@code suite:<service>:…}),
 * behind an optional prefix: tests set a per-run prefix so runs never see each other's keys.
 */
@ApplicationScoped
public class RedisNames {

    private final String prefix;

    public RedisNames(RedisConfig config) {
        this.prefix = config.prefix().orElse("");
    }

    public String channel(String service, String topic) {
        return prefix + "suite:" + service + ":" + topic;
    }

    public String key(String service, String... parts) {
        return prefix + "suite:" + service + ":" + String.join(":", parts);
    }
}
