package dev.suite.commons.events;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.commons.ids.Ids;
import dev.suite.commons.tracing.Traces;

import java.time.Instant;

/**
 * A CloudEvents 1.0 JSON envelope: what every service publishes on Redis. {@code data} is built
 * from a response DTO, never an entity, so secrets cannot leak into events. {@code owner}, an
 * extension attribute, names the user an event concerns where others act on it; {@code traceparent}
 * (the CloudEvents distributed-tracing extension) names the span that caused it, while tracing.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record CloudEvent(
        String specversion,
        String id,
        String source,
        String type,
        String subject,
        Instant time,
        String datacontenttype,
        JsonNode data,
        String owner,
        String traceparent) {

    public static CloudEvent of(String source, String type, String subject, JsonNode data) {
        return new CloudEvent("1.0", Ids.newId(), source, type, subject, Instant.now(), "application/json", data, null,
                Traces.current());
    }

    /**
     * This event marked with the user it concerns (the {@code owner} extension attribute): what lets
     * another service act on a user's events for that user only, such as a workflow's event trigger.
     */
    public CloudEvent withOwner(String ownerId) {
        return new CloudEvent(specversion, id, source, type, subject, time, datacontenttype, data, ownerId, traceparent);
    }
}
