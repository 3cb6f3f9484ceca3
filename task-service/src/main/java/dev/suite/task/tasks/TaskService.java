package dev.suite.task.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.suite.commons.db.MySqlErrors;
import dev.suite.commons.db.Times;
import dev.suite.commons.ids.Ids;
import dev.suite.commons.paging.Page;
import dev.suite.commons.paging.PageRequest;
import dev.suite.commons.problem.FieldError;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.Violations;
import dev.suite.commons.redis.RateLimiter;
import dev.suite.commons.redis.RateLimiter.WhenRedisIsAway;
import dev.suite.commons.redis.RedisNames;
import dev.suite.task.TaskSettings;
import dev.suite.task.events.TaskEvents;
import dev.suite.task.events.TaskFeed;
import dev.suite.task.files.FileStore;
import dev.suite.task.processing.Processors;
import dev.suite.task.processing.TaskProcessor;
import dev.suite.task.processing.TaskRun;
import dev.suite.task.queue.TaskQueue;
import dev.suite.task.tasks.dto.TaskRequest;
import dev.suite.task.tasks.dto.TaskResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The rules of tasks: checked creation (type, parameters, input files, the rate limit and the
 * queue quota), idempotency keys, and the user's transitions — cancel, pause, resume — each one a
 * conditional update that fails with 409 when the task is not in a state that allows it.
 */
@ApplicationScoped
public class TaskService {

    private static final Logger LOG = Logger.getLogger(TaskService.class);

    private final TaskStore store;
    private final TaskQueue queue;
    private final TaskEvents events;
    private final TaskFeed feed;
    private final FileStore files;
    private final Processors processors;
    private final RateLimiter rateLimiter;
    private final RedisNames names;
    private final TaskSettings settings;
    private final Validator validator;
    private final ObjectMapper mapper;

    public TaskService(TaskStore store, TaskQueue queue, TaskEvents events, TaskFeed feed, FileStore files, Processors processors,
            RateLimiter rateLimiter, RedisNames names, TaskSettings settings, Validator validator, ObjectMapper mapper) {
        this.store = store;
        this.queue = queue;
        this.events = events;
        this.feed = feed;
        this.files = files;
        this.processors = processors;
        this.rateLimiter = rateLimiter;
        this.names = names;
        this.settings = settings;
        this.validator = validator;
        this.mapper = mapper;
    }

    /** The created task, and whether it is new (false: an earlier task with the same idempotency key). */
    public record Created(TaskResponse task, boolean created) {
    }

    public Uni<Created> create(String ownerId, TaskRequest request) {
        List<FieldError> errors = new ArrayList<>(Violations.fieldErrors(validator.validate(request)));
        TaskProcessor processor = request.type == null ? null : processors.of(request.type).orElse(null);
        if (request.type != null && processor == null && errors.stream().noneMatch(e -> e.field().equals("type"))) {
            errors.add(new FieldError("type", "must be one of " + processors.all().keySet()));
        }
        if (request.params != null && !request.params.isNull() && !request.params.isObject()) {
            errors.add(new FieldError("params", "must be a JSON object"));
        }
        if (request.timeoutSeconds != null && request.timeoutSeconds > settings.maxTimeoutSeconds()) {
            errors.add(new FieldError("timeout_seconds", "must be at most " + settings.maxTimeoutSeconds()));
        }
        if (request.maxRetries != null && request.maxRetries > settings.maxRetriesLimit()) {
            errors.add(new FieldError("max_retries", "must be at most " + settings.maxRetriesLimit()));
        }
        List<String> inputs = request.inputFileIds == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(request.inputFileIds));
        if (processor != null && errors.isEmpty()) {
            errors.addAll(processor.check(request.params, inputs.size()));
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.validation(errors));
        }
        Uni<Created> existing = request.idempotencyKey == null ? Uni.createFrom().nullItem()
                : store.byIdempotencyKey(ownerId, request.idempotencyKey).map(found -> found.map(t -> new Created(t, false)).orElse(null));
        return existing.chain(found -> found != null ? Uni.createFrom().item(found)
                : rateLimiter.hit(names.key("task", "creates", ownerId), settings.createsPerMinute(), Duration.ofMinutes(1),
                                "tasks created", WhenRedisIsAway.COUNT_HERE)
                        .chain(() -> store.countActive(ownerId))
                        .chain(active -> {
                            if (active >= settings.maxActivePerUser()) {
                                return Uni.createFrom().failure(ProblemException.tooManyRequests("Quota of unfinished tasks "
                                        + "reached: at most " + settings.maxActivePerUser()
                                        + " queued or running (suite.task.max-active-per-user).", Duration.ofSeconds(30)));
                            }
                            return files.owned(ownerId, inputs);
                        })
                        .chain(owned -> {
                            if (owned.size() != inputs.size()) {
                                return Uni.createFrom().failure(ProblemException.invalidField("input_file_ids",
                                        "must be ids of your files"));
                            }
                            return insert(ownerId, request, inputs, null);
                        })
                        .map(task -> new Created(task, true))
                        .onFailure(MySqlErrors::isDuplicateKey).recoverWithUni(() ->
                                store.byIdempotencyKey(ownerId, request.idempotencyKey)
                                        .map(again -> new Created(again.orElseThrow(), false))));
    }

    /** Writes a task as READY (with the transitions that led there) and queues it. */
    Uni<TaskResponse> insert(String ownerId, TaskRequest request, List<String> inputs, String parentId) {
        Instant now = Times.now();
        ArrayNode history = mapper.createArrayNode();
        history.addObject().putNull("from").put("to", TaskState.IDLE.name()).put("at", now.toString()).put("reason", "created");
        TaskState before = TaskState.IDLE;
        if (!inputs.isEmpty()) {
            history.addObject().put("from", before.name()).put("to", TaskState.SOURCE_SELECTED.name()).put("at", now.toString())
                    .put("reason", inputs.size() + " input file(s)");
            before = TaskState.SOURCE_SELECTED;
        }
        history.addObject().put("from", before.name()).put("to", TaskState.READY.name()).put("at", now.toString())
                .put("reason", "queued");
        int priority = request.priority == null ? 5 : request.priority;
        TaskResponse task = new TaskResponse(Ids.newId(), request.type, TaskState.READY.name(), priority,
                request.params == null || request.params.isNull() ? mapper.createObjectNode() : request.params, inputs, 0, 0,
                request.maxRetries == null ? settings.defaultMaxRetries() : request.maxRetries,
                request.timeoutSeconds == null ? settings.defaultTimeoutSeconds() : request.timeoutSeconds,
                null, null, parentId, request.idempotencyKey, null, now, now, null, null, null, now, history);
        return store.insert(store.pool(), ownerId, task)
                // Redis away: the reconciler queues it from MySQL once Redis is back.
                .call(() -> queue.enqueue(task.taskId(), task.type(), priority, now).onFailure().recoverWithNull())
                .call(() -> events.state(task.taskId(), ownerId, task.state(), 0, null))
                .replaceWith(task);
    }

    public Uni<TaskResponse> get(String ownerId, String taskId) {
        if (!Ids.isId(taskId)) {
            return Uni.createFrom().failure(ProblemException.notFound("Task"));
        }
        return store.find(ownerId, taskId).map(found -> found.orElseThrow(() -> ProblemException.notFound("Task")));
    }

    public Uni<Page<TaskResponse>> list(String ownerId, String state, String type, String limit, String before) {
        List<FieldError> errors = new ArrayList<>();
        if (state != null && EnumSet.allOf(TaskState.class).stream().noneMatch(s -> s.name().equals(state))) {
            errors.add(new FieldError("state", "must be one of " + EnumSet.allOf(TaskState.class)));
        }
        PageRequest page;
        try {
            page = PageRequest.of(limit, before);
        } catch (ProblemException e) {
            errors.addAll(e.errors());
            page = null;
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.validation(errors));
        }
        PageRequest request = page;
        return store.page(ownerId, state, type, request.before(), request.fetchSize())
                .map(rows -> Page.of(rows, request, TaskResponse::taskId, t -> t));
    }

    /**
     * Cancels: at once when the task is not running (and takes it off the queue); when it runs,
     * asks its worker to stop the work and answers with the request recorded (202).
     */
    public Uni<TaskResponse> cancel(String ownerId, String taskId) {
        return get(ownerId, taskId).chain(task -> {
            TaskState state = TaskState.valueOf(task.state());
            if (state.finished()) {
                return Uni.createFrom().failure(illegal(task, "cancelled"));
            }
            if (state == TaskState.PROCESSING) {
                return ask(ownerId, task, "cancel");
            }
            Set<TaskState> from = new HashSet<>(TaskState.before(TaskState.CANCELLED));
            from.remove(TaskState.PROCESSING);
            return move(ownerId, task, from, TaskState.CANCELLED, "cancelled", Map.of("finished_at", Instant.now()))
                    .call(moved -> queue.remove(taskId, task.type()).onFailure().recoverWithNull());
        });
    }

    /** Pauses: a queued or waiting task at once; a running one through its worker (202). */
    public Uni<TaskResponse> pause(String ownerId, String taskId) {
        return get(ownerId, taskId).chain(task -> {
            TaskState state = TaskState.valueOf(task.state());
            if (state == TaskState.PROCESSING) {
                return ask(ownerId, task, "pause");
            }
            if (!state.canBecome(TaskState.PAUSED)) {
                return Uni.createFrom().failure(illegal(task, "paused"));
            }
            return move(ownerId, task, EnumSet.of(TaskState.READY, TaskState.RETRY_WAIT), TaskState.PAUSED, "paused",
                    Map.of()).call(moved -> queue.remove(taskId, task.type()).onFailure().recoverWithNull());
        });
    }

    public Uni<TaskResponse> resume(String ownerId, String taskId) {
        return get(ownerId, taskId).chain(task -> {
            if (!TaskState.PAUSED.name().equals(task.state())) {
                return Uni.createFrom().failure(illegal(task, "resumed"));
            }
            Instant now = Times.now();
            return move(ownerId, task, EnumSet.of(TaskState.PAUSED), TaskState.READY, "resumed", Map.of("queued_at", now))
                    .call(moved -> queue.enqueue(taskId, task.type(), task.priority(), now).onFailure().recoverWithNull());
        });
    }

    private Uni<TaskResponse> move(String ownerId, TaskResponse task, Set<TaskState> from, TaskState to, String reason,
            Map<String, Object> sets) {
        return store.transition(task.taskId(), from, to, reason, Times.now(),
                        new LinkedHashMap<>(sets), null)
                .chain(moved -> get(ownerId, task.taskId()).invoke(now -> {
                    if (!moved) {
                        // It changed under us (a worker took it, or it finished): say what it is now.
                        throw illegal(now, reason);
                    }
                }))
                .call(now -> events.state(now.taskId(), ownerId, now.state(), now.progress(), now.error()));
    }

    private Uni<TaskResponse> ask(String ownerId, TaskResponse task, String what) {
        return store.request(ownerId, task.taskId(), what)
                .call(() -> events.request(task.taskId(), what))
                .chain(() -> get(ownerId, task.taskId()));
    }

    private static ProblemException illegal(TaskResponse task, String verb) {
        return ProblemException.conflict("A " + task.state() + " task cannot be " + verb + ".");
    }

    /** What a batch processor may do with its children. */
    public TaskRun.Children childrenOf(Task parent) {
        Duration wait = Duration.ofSeconds(30);
        return new TaskRun.Children() {
            @Override
            public String create(String type, JsonNode params, List<String> inputFileIds, int priority) {
                TaskRequest request = new TaskRequest();
                request.type = type;
                request.params = params;
                request.priority = priority;
                request.maxRetries = parent.maxRetries();
                return insert(parent.ownerId(), request, inputFileIds, parent.taskId()).await().atMost(wait).taskId();
            }

            @Override
            public TaskRun.ChildState state(String taskId) {
                TaskResponse child = store.find(parent.ownerId(), taskId).await().atMost(wait).orElseThrow();
                return new TaskRun.ChildState(child.state(), child.progress(), child.error(), child.result());
            }

            @Override
            public void awaitChange(String taskId, Semaphore wake, Duration max) throws InterruptedException {
                Runnable unfollow = feed.follow(taskId, event -> wake.release());
                try {
                    wake.tryAcquire(max.toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                } finally {
                    unfollow.run();
                }
            }

            @Override
            public void cancel(String taskId) {
                try {
                    TaskService.this.cancel(parent.ownerId(), taskId).await().atMost(wait);
                } catch (ProblemException e) {
                    LOG.debugf("Child %s not cancelled: %s", taskId, e.getMessage());
                }
            }
        };
    }
}
