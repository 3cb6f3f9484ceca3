package dev.suite.task.processing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.problem.FieldError;
import dev.suite.task.TaskSettings;
import dev.suite.task.tasks.TaskState;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code batch}: a parent task that runs its items one after another as child tasks (each with
 * its own lifecycle, retries and result), reporting their aggregate progress. After each item it
 * saves a checkpoint, so a pause — or the loss of its replica — resumes at the next item, and an
 * item already started is waited for rather than started twice. {@code failure_policy}:
 * {@code continue} runs every item (the batch fails only if all failed), {@code fail_fast} stops
 * at the first failed item. A cancelled batch cancels its running item.
 */
@ApplicationScoped
public class BatchProcessor implements TaskProcessor {

    static final Set<String> POLICIES = Set.of("continue", "fail_fast");
    /** The child's events and a stop request wake the batch; this bounds the wait should an event be lost. */
    private static final Duration RECHECK = Duration.ofSeconds(1);

    private final ObjectMapper mapper;
    private final Processors processors;
    private final TaskSettings settings;

    public BatchProcessor(ObjectMapper mapper, Processors processors, TaskSettings settings) {
        this.mapper = mapper;
        this.processors = processors;
        this.settings = settings;
    }

    @Override
    public String type() {
        return "batch";
    }

    @Override
    public boolean checkpoints() {
        return true;
    }

    @Override
    public boolean coordinates() {
        return true;
    }

    @Override
    public List<FieldError> check(JsonNode params, int inputFiles) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode items = params == null ? null : params.get("items");
        if (items == null || !items.isArray() || items.isEmpty() || items.size() > settings.maxBatchItems()) {
            errors.add(new FieldError("params.items", "must be 1–" + settings.maxBatchItems() + " items"));
            return errors;
        }
        if (!POLICIES.contains(params.path("failure_policy").asText("continue"))) {
            errors.add(new FieldError("params.failure_policy", "must be one of " + POLICIES));
        }
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String prefix = "params.items[" + i + "].";
            String type = item.path("type").asText("");
            TaskProcessor processor = type.equals(type()) ? null : processors.of(type).orElse(null);
            if (processor == null) {
                errors.add(new FieldError(prefix + "type", "must be a task type other than batch"));
                continue;
            }
            for (FieldError e : processor.check(item.get("params"), item.path("input_file_ids").size())) {
                errors.add(new FieldError(prefix + e.field(), e.message()));
            }
        }
        return errors;
    }

    @Override
    public JsonNode run(TaskRun run) throws TaskFailure, Stopped, InterruptedException {
        JsonNode items = run.params().get("items");
        boolean failFast = "fail_fast".equals(run.params().path("failure_policy").asText());
        ObjectNode state = run.checkpoint() instanceof ObjectNode saved ? saved.deepCopy() : fresh();
        ArrayNode done = (ArrayNode) state.get("items");
        for (int i = state.path("next").asInt(0); i < items.size(); i++) {
            run.checkStop();
            JsonNode item = items.get(i);
            String child = state.path("current").asText(null);
            if (child == null) {
                List<String> files = new ArrayList<>();
                item.path("input_file_ids").forEach(f -> files.add(f.asText()));
                child = run.children().create(item.get("type").asText(), item.get("params"), files,
                        item.path("priority").asInt(run.task().priority()));
                state.put("current", child);
                run.saveCheckpoint(state);
            }
            TaskRun.ChildState outcome = await(run, child, i, items.size());
            done.addObject().put("index", i).put("task_id", child).put("state", outcome.state())
                    .put("error", outcome.error()).set("result", outcome.result());
            state.put("next", i + 1);
            state.remove("current");
            run.saveCheckpoint(state);
            if (failFast && !TaskState.COMPLETED.name().equals(outcome.state())) {
                throw TaskFailure.permanent("Item " + i + " " + outcome.state().toLowerCase() + ": " + outcome.error());
            }
        }
        long failed = 0;
        for (JsonNode d : done) {
            failed += TaskState.COMPLETED.name().equals(d.path("state").asText()) ? 0 : 1;
        }
        if (failed == items.size()) {
            throw TaskFailure.permanent("Every item of the batch failed; the first: " + done.get(0).path("error").asText());
        }
        ObjectNode result = mapper.createObjectNode();
        result.put("completed", items.size() - failed).put("failed", failed);
        result.set("items", done);
        return result;
    }

    /** Waits for a child to finish, reporting the batch's progress; a cancel or timeout cancels the child. */
    private TaskRun.ChildState await(TaskRun run, String child, int index, int total) throws Stopped, InterruptedException {
        while (true) {
            TaskRun.ChildState state = run.children().state(child);
            run.progress((int) ((index + state.progress() / 100.0) / total * 100));
            if (TaskState.valueOf(state.state()).finished()) {
                return state;
            }
            if (run.stopRequested()) {
                // A pause leaves the running item to finish; the resumed batch waits for it.
                if (run.stopReason() != TaskRun.Stop.PAUSE && run.stopReason() != TaskRun.Stop.SHUTDOWN) {
                    run.children().cancel(child);
                }
                throw new Stopped();
            }
            run.children().awaitChange(child, run.wakeups(), RECHECK);
        }
    }

    private ObjectNode fresh() {
        ObjectNode state = mapper.createObjectNode().put("next", 0);
        state.putArray("items");
        return state;
    }
}
