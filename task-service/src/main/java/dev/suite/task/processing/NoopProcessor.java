package dev.suite.task.processing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.problem.FieldError;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code noop}: does nothing, or waits {@code sleep_ms} (at most a minute) while reporting progress
 * and honouring stops. For benchmarks of the queue and for drills (a worker killed mid-task).
 */
@ApplicationScoped
public class NoopProcessor implements TaskProcessor {

    static final int MAX_SLEEP_MS = 60_000;
    private static final long PROGRESS_STEP_MS = 250;
    private final ObjectMapper mapper;

    public NoopProcessor(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public String type() {
        return "noop";
    }

    @Override
    public List<FieldError> check(JsonNode params, int inputFiles) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode sleep = params == null ? null : params.get("sleep_ms");
        if (sleep != null && (!sleep.canConvertToInt() || sleep.asInt() < 0 || sleep.asInt() > MAX_SLEEP_MS)) {
            errors.add(new FieldError("params.sleep_ms", "must be 0 to " + MAX_SLEEP_MS));
        }
        return errors;
    }

    @Override
    public JsonNode run(TaskRun run) throws Stopped, InterruptedException {
        long sleep = run.params() == null ? 0 : run.params().path("sleep_ms").asLong(0);
        long end = System.currentTimeMillis() + sleep;
        for (long left = sleep; left > 0; left = end - System.currentTimeMillis()) {
            // Wakes at once on a stop; otherwise reports progress every quarter second.
            if (run.waitForStop(Duration.ofMillis(Math.min(PROGRESS_STEP_MS, left)))) {
                throw new Stopped();
            }
            run.progress((int) (100 - 100 * Math.max(0, end - System.currentTimeMillis()) / sleep));
        }
        return mapper.createObjectNode().put("slept_ms", sleep);
    }
}
