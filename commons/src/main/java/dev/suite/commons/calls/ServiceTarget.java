package dev.suite.commons.calls;

import org.eclipse.microprofile.config.Config;

import java.net.URI;
import java.time.Duration;

/**
 * Where another service of the suite is and how to talk to it. Read from the keys the REST
 * clients use, {@code quarkus.rest-client.<name>.url|connect-timeout|read-timeout|connection-pool-size}
 * (times in milliseconds), so every target — typed or streaming — is configured the same way;
 * the defaults are the REST client's.
 */
public record ServiceTarget(String name, URI url, Duration connectTimeout, Duration idleTimeout, int poolSize) {

    public static ServiceTarget fromConfig(Config config, String name) {
        String prefix = "quarkus.rest-client." + name + ".";
        URI url = config.getValue(prefix + "url", URI.class);
        long connect = config.getOptionalValue(prefix + "connect-timeout", Long.class)
                .orElseGet(() -> config.getOptionalValue("quarkus.rest-client.connect-timeout", Long.class).orElse(15_000L));
        long read = config.getOptionalValue(prefix + "read-timeout", Long.class)
                .orElseGet(() -> config.getOptionalValue("quarkus.rest-client.read-timeout", Long.class).orElse(30_000L));
        int pool = config.getOptionalValue(prefix + "connection-pool-size", Integer.class)
                .orElseGet(() -> config.getOptionalValue("quarkus.rest-client.connection-pool-size", Integer.class).orElse(50));
        return new ServiceTarget(name, url, Duration.ofMillis(connect), Duration.ofMillis(read), pool);
    }
}
