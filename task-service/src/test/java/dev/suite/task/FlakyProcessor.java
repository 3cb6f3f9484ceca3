package dev.suite.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.problem.FieldError;
import dev.suite.task.processing.TaskFailure;
import dev.suite.task.processing.TaskProcessor;
import dev.suite.task.processing.TaskRun;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** A test task type: fails its first {@code fail_times} attempts with a transient error, then succeeds. */
@ApplicationScoped
public class FlakyProcessor implements TaskProcessor {

    private final ObjectMapper mapper;

    public FlakyProcessor(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public String type() {
        return "flaky";
    }

    @Override
    public List<FieldError> check(JsonNode params, int inputFiles) {
        return List.of();
    }

    @Override
    public JsonNode run(TaskRun run) throws TaskFailure {
        int failTimes = run.params().path("fail_times").asInt(0);
        if (run.task().attempts() <= failTimes) {
            throw TaskFailure.transientFailure("flaky failure on attempt " + run.task().attempts());
        }
        return mapper.createObjectNode().put("attempt", run.task().attempts());
    }
}
