package dev.suite.task.schedules.dto;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/**
 * A recurring task as the API shows it: {@code next_run_at} is the tick it fires next (null while
 * disabled); {@code runs} and {@code skipped} count the ticks that made a task or did not, the last
 * of them with why in {@code last_error}.
 */
@RegisterForReflection
public record ScheduleResponse(
        String scheduleId,
        String name,
        String cron,
        String timeZone,
        String missed,
        boolean enabled,
        JsonNode task,
        Instant nextRunAt,
        Instant lastRunAt,
        String lastTaskId,
        String lastError,
        long runs,
        long skipped,
        Instant createdAt,
        Instant updatedAt) {
}
