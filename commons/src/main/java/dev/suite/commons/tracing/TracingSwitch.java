package dev.suite.commons.tracing;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;

/**
 * Turns the OpenTelemetry SDK off unless an OTLP endpoint is configured: locally nothing collects
 * spans, so none are made and requests pay nothing for tracing. Set {@code OTEL_EXPORTER_OTLP_ENDPOINT}
 * (the standard variable; the Kubernetes overlays do) and every service traces and exports. An
 * explicit {@code quarkus.otel.sdk.disabled} anywhere (application.properties, the environment)
 * wins over this source, which sits just above the suite's shared defaults.
 */
public class TracingSwitch implements ConfigSource {

    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(SDK_DISABLED);
    }

    @Override
    public String getValue(String propertyName) {
        return SDK_DISABLED.equals(propertyName) ? Boolean.toString(!endpointSet(System.getenv(), System.getProperties())) : null;
    }

    static boolean endpointSet(Map<String, String> env, Map<Object, Object> properties) {
        for (String name : new String[] {"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"}) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return true;
            }
        }
        for (String name : new String[] {"otel.exporter.otlp.endpoint", "quarkus.otel.exporter.otlp.endpoint",
                "quarkus.otel.exporter.otlp.traces.endpoint"}) {
            Object value = properties.get(name);
            if (value != null && !value.toString().isBlank()) {
                return true;
            }
        }
        return false;
    }

    /** Above META-INF/microprofile-config.properties (100), below application.properties (250) and the environment. */
    @Override
    public int getOrdinal() {
        return 110;
    }

    @Override
    public String getName() {
        return "suite-tracing-switch";
    }
}
