package dev.suite.commons.perimeter;

import io.smallrye.config.ConfigMapping;

import java.util.List;
import java.util.Optional;

/**
 * The inbound perimeter every service applies. The defaults (in commons'
 * {@code microprofile-config.properties}) read {@code SUITE_ALLOWED_HOSTS} and
 * {@code SUITE_CORS_ORIGINS}, the two settings the whole suite shares. There is deliberately no
 * switch to turn the perimeter off: in {@code local} mode it is all that stands between a web
 * page and the user's keys.
 */
@ConfigMapping(prefix = "suite.perimeter")
public interface PerimeterConfig {

    /** Host names besides loopback ones and address literals: Ingress hosts, Service names, {@code .domain} suffixes. */
    Optional<List<String>> allowedHosts();

    /** Origins browsers may call from, exactly as they send them ({@code https://app.example.com}). */
    Optional<List<String>> corsOrigins();

    /**
     * Path prefixes whose request bodies need not be JSON (file uploads). Every other route takes
     * only JSON, so a page cannot send a "simple" cross-site request that skips the CORS preflight.
     */
    Optional<List<String>> uploadPaths();
}
