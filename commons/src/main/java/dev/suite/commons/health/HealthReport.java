package dev.suite.commons.health;

import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/**
 * The service's health as {@link ServiceHealth}: the liveness and readiness checks {@code /q/health}
 * runs, with the service's name and version, without the checks' data (which may name hosts).
 */
@ApplicationScoped
public class HealthReport {

    private final SmallRyeHealthReporter reporter;
    private final String service;
    private final String version;

    public HealthReport(SmallRyeHealthReporter reporter,
            @ConfigProperty(name = "quarkus.application.name") String service,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        this.reporter = reporter;
        this.service = service;
        this.version = version;
    }

    public Uni<ServiceHealth> current() {
        return reporter.getHealthAsync().map(this::toServiceHealth);
    }

    private ServiceHealth toServiceHealth(SmallRyeHealth health) {
        List<ServiceHealth.Component> components = health.getPayload().getJsonArray("checks").stream()
                .map(JsonValue::asJsonObject)
                .map(check -> new ServiceHealth.Component(check.getString("name"),
                        check.getString("status").toLowerCase()))
                .toList();
        return new ServiceHealth(service, version, health.isDown() ? "down" : "up", components);
    }
}
