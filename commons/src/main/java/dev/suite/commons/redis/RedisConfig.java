package dev.suite.commons.redis;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

@ConfigMapping(prefix = "suite.redis")
public interface RedisConfig {

    /** Put before every channel and key name: tests set one per run so runs never see each other's keys. */
    Optional<String> prefix();
}
