package dev.suite.task.schedules.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.suite.task.tasks.dto.TaskRequest;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A recurring task: the task each tick of {@code cron} creates. The fields a schedule's GET adds
 * (id, next and last runs, counters, times) are the server's: accepted and ignored on writes.
 */
@Schema(name = "ScheduleRequest")
@JsonIgnoreProperties({"schedule_id", "next_run_at", "last_run_at", "last_task_id", "last_error", "runs", "skipped",
        "created_at", "updated_at"})
@RegisterForReflection
public class ScheduleRequest {

    @NotBlank
    @Size(max = 100)
    @Schema(required = true, example = "nightly thumbnails", description = "Unique among your schedules")
    public String name;

    @NotBlank
    @Size(max = 200)
    @Schema(required = true, example = "0 3 * * *", description = "5 fields (minute hour day month weekday), 6 with "
            + "seconds first, or a macro: @yearly, @monthly, @weekly, @daily, @hourly")
    public String cron;

    @Size(max = 64)
    @Schema(defaultValue = "UTC", example = "Europe/Paris", description = "IANA time zone the expression is read in")
    public String timeZone;

    @Pattern(regexp = "skip|catch_up_once", message = "must be skip or catch_up_once")
    @Schema(defaultValue = "catch_up_once", description = "A tick handled later than suite.task.schedule-grace (the "
            + "service was down): run once for all the ticks missed, or skip them")
    public String missed;

    @Schema(defaultValue = "true")
    public Boolean enabled;

    @NotNull
    @Schema(required = true, description = "The task each tick creates (no run_at or idempotency_key; a unique_key "
            + "makes a tick skip while the previous task holds it)")
    public TaskRequest task;
}
