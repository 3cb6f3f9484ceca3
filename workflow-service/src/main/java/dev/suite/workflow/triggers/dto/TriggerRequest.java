package dev.suite.workflow.triggers.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A trigger of a saved workflow: {@code schedule} (cron, time_zone, missed), {@code webhook}
 * (secret, respond_within_seconds) or {@code event} (event_type, filter). Settings of another kind
 * are refused. The fields a trigger's GET adds (ids, next and last runs, the webhook URL, counters,
 * times) are the server's: accepted and ignored, so a client can send back what it read.
 */
@Schema(name = "TriggerRequest")
@JsonIgnoreProperties({"trigger_id", "workflow_id", "next_run_at", "webhook_url", "has_secret", "last_fired_at",
        "last_execution_id", "last_error", "fires", "created_at", "updated_at"})
@RegisterForReflection
public class TriggerRequest {

    @NotBlank
    @Pattern(regexp = "schedule|webhook|event", message = "must be schedule, webhook or event")
    @Schema(required = true)
    public String kind;

    @NotBlank
    @Size(max = 100)
    @Schema(required = true, example = "nightly report")
    public String name;

    @Schema(defaultValue = "true")
    public Boolean enabled;

    @Min(1)
    @Schema(description = "The workflow version that runs; absent: the latest at each firing")
    public Integer version;

    @Min(0)
    @Max(9)
    @Schema(defaultValue = "5")
    public Integer priority;

    @Schema(description = "Inputs of every run (an object); a webhook's body and an event are added to them")
    public JsonNode inputs;

    @Size(max = 200)
    @Schema(example = "0 7 * * MON-FRI", description = "schedule: 5 fields, 6 with seconds first, or a macro such as @daily")
    public String cron;

    @Size(max = 64)
    @Schema(defaultValue = "UTC", description = "schedule: the IANA time zone the expression is read in")
    public String timeZone;

    @Pattern(regexp = "skip|catch_up_once", message = "must be skip or catch_up_once")
    @Schema(defaultValue = "catch_up_once", description = "schedule: what a tick later than suite.workflow.schedule-grace does")
    public String missed;

    @Size(min = 16, max = 256)
    @Schema(description = "webhook: the HMAC secret; absent: one is generated and shown once, in the create's answer")
    public String secret;

    @Min(0)
    @Schema(defaultValue = "10", description = "webhook: how long a call waits for the run's outputs before it is "
            + "answered 202 with the execution id (at most suite.workflow.webhook-max-wait; 0: always 202)")
    public Integer respondWithinSeconds;

    @Size(max = 64)
    @Schema(example = "task.completed", description = "event: task.completed, task.failed or session.message.created")
    public String eventType;

    @Schema(description = "event: conditions on the event's data, field by field (equal values), as an object")
    public JsonNode filter;
}
