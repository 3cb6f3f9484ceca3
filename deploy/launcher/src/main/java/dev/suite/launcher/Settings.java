package dev.suite.launcher;

import dev.suite.commons.perimeter.PerimeterRules;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What the launcher is told through the environment (the variables ./suite documents). Read once;
 * a malformed value stops the command with a message naming the variable.
 */
public record Settings(
        Path root,
        Path runDir,
        int gatewayPort,
        OptionalInt toolbarPort,
        Map<String, Integer> preferredPorts,
        Duration readyTimeout,
        Duration stopGrace,
        int maxFailures,
        List<String> corsOrigins,
        List<String> allowedHosts,
        String dbHost,
        int dbPort,
        String dbNameSuffix,
        String redisHost,
        int redisPort,
        List<String> javaOptions) {

    static final List<String> DEFAULT_CORS_ORIGINS =
            List.of("http://localhost:5173", "http://localhost:5174", "http://localhost:3000");

    /** Thrown for a value that cannot be used; the message names the variable. */
    public static final class InvalidSetting extends RuntimeException {
        InvalidSetting(String message) {
            super(message);
        }
    }

    public static Settings fromEnvironment(Map<String, String> env) {
        Path root = Path.of(env.getOrDefault("SUITE_ROOT", ".")).toAbsolutePath().normalize();
        Path runDir = Path.of(env.getOrDefault("SUITE_RUN_DIR", root.resolve(".suite/run").toString()))
                .toAbsolutePath().normalize();
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (ServiceSpec service : ServiceSpec.ALL) {
            ports.put(service.name(), port(env, service.portVariable(), service.defaultPort()));
        }
        Settings settings = new Settings(
                root,
                runDir,
                port(env, "SUITE_GATEWAY_PORT", 8080),
                toolbarPort(env),
                Map.copyOf(ports),
                Duration.ofSeconds(number(env, "SUITE_READY_TIMEOUT", 180, 1)),
                Duration.ofSeconds(number(env, "SUITE_STOP_GRACE", 20, 1)),
                number(env, "SUITE_MAX_RESTARTS", 5, 1),
                list(env.get("SUITE_CORS_ORIGINS"), DEFAULT_CORS_ORIGINS),
                list(env.get("SUITE_ALLOWED_HOSTS"), List.of()),
                env.getOrDefault("SUITE_DB_HOST", "127.0.0.1"),
                port(env, "SUITE_DB_PORT", 3306),
                env.getOrDefault("SUITE_DB_NAME_SUFFIX", ""),
                env.getOrDefault("SUITE_REDIS_HOST", "127.0.0.1"),
                port(env, "SUITE_REDIS_PORT", 6379),
                list(env.get("SUITE_JAVA_OPTS"), List.of(), " "));
        try {
            settings.perimeter();
        } catch (IllegalArgumentException e) {
            throw new InvalidSetting(e.getMessage());
        }
        return settings;
    }

    /** The gateway's Host and Origin rules: the services' own, from the same two variables. */
    public PerimeterRules perimeter() {
        return new PerimeterRules(allowedHosts, corsOrigins);
    }

    /**
     * mcp-gateway's toolbar listener, where browser toolbars find it (5748, {@code SUITE_TOOLBAR_PORT}):
     * empty when it is off — {@code SUITE_TOOLBAR_ENABLED=false}, or an identity mode other than
     * {@code local} (toolbars cannot send credentials) unless {@code SUITE_TOOLBAR_ENABLED=true}.
     */
    private static OptionalInt toolbarPort(Map<String, String> env) {
        String enabled = env.get("SUITE_TOOLBAR_ENABLED");
        boolean on;
        if (enabled == null || enabled.isBlank()) {
            on = env.getOrDefault("SUITE_AUTH_MODE", "local").trim().equalsIgnoreCase("local");
        } else if (enabled.trim().equalsIgnoreCase("true") || enabled.trim().equalsIgnoreCase("false")) {
            on = Boolean.parseBoolean(enabled.trim());
        } else {
            throw new InvalidSetting("SUITE_TOOLBAR_ENABLED must be true or false, not '" + enabled + "'");
        }
        int port = port(env, "SUITE_TOOLBAR_PORT", 5748);
        return on ? OptionalInt.of(port) : OptionalInt.empty();
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        int port = number(env, name, fallback, 1);
        if (port > 65535) {
            throw new InvalidSetting(name + " must be a port number (1-65535), not " + port);
        }
        return port;
    }

    private static int number(Map<String, String> env, String name, int fallback, int min) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number < min) {
                throw new InvalidSetting(name + " must be at least " + min + ", not " + number);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new InvalidSetting(name + " must be a whole number, not '" + value + "'");
        }
    }

    private static List<String> list(String value, List<String> fallback) {
        return list(value, fallback, ",");
    }

    private static List<String> list(String value, List<String> fallback, String separator) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return Arrays.stream(value.split(separator)).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public int preferredPort(String service) {
        return preferredPorts.get(service);
    }

    public Path moduleDir(String service) {
        return root.resolve(service);
    }

    public Path serviceJar(String service) {
        return moduleDir(service).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
