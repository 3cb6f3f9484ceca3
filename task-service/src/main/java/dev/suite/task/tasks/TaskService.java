package dev.suite.task.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.suite.commons.calls.Background;
import dev.suite.commons.db.GroupCommit;
import dev.suite.commons.db.MySqlErrors;
import dev.suite.commons.db.Times;
import dev.suite.commons.ids.Ids;
import dev.suite.commons.paging.Page;
import dev.suite.commons.paging.PageRequest;
import dev.suite.commons.problem.FieldError;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.Violations;
import dev.suite.commons.queue.FairQueue;
import dev.suite.commons.quota.UnfinishedQuota;
import dev.suite.commons.redis.RateLimiter;
import dev.suite.commons.redis.RateLimiter.WhenRedisIsAway;
import dev.suite.commons.redis.RedisNames;
import dev.suite.commons.tracing.Traces;
import dev.suite.task.TaskSettings;
import dev.suite.task.events.TaskEvents;
import dev.suite.task.events.TaskFeed;
import dev.suite.task.files.FileStore;
import dev.suite.task.files.StoredFile;
import dev.suite.task.processing.Processors;
import dev.suite.task.processing.TaskProcessor;
import dev.suite.task.processing.TaskRun;
import dev.suite.task.queue.Reconciler;
import dev.suite.task.tasks.dto.TaskPatch;
import dev.suite.task.tasks.dto.TaskRequest;
import dev.suite.task.tasks.dto.TaskResponse;
import dev.suite.task.tasks.dto.TaskRetry;
import dev.suite.task.tasks.dto.TaskRetryResponse;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The rules of tasks: checked creation (type, parameters, input files, the rate limit and the
 * queue quota), idempotency keys, and the user's transitions — cancel, pause, resume — each one a
 * conditional update that fails with 409 when the task is not in a state that allows it.
 */
@ApplicationScoped
public class TaskService {

    private static final Logger LOG = Logger.getLogger(TaskService.class);
    /** Creates written in one transaction at most; a batch request of this many goes alone. */
    private static final int CREATES_PER_COMMIT = 1000;
    /** Group commits of creates in flight at once: one fills while the other is written. */
    private static final int COMMITS_IN_FLIGHT = 2;
    /**
     * A scheduled task starting within this is started by a timer of the replica that created it,
     * on time; a later one by the reconciler's round (within suite.task.reconcile-interval), so that
     * far-off starts hold no memory here and survive this replica.
     */
    private static final Duration TIMER_HORIZON = Duration.ofMinutes(10);

    private final TaskStore store;
    private final FairQueue queue;
    private final TaskEvents events;
    private final TaskFeed feed;
    private final FileStore files;
    private final Processors processors;
    private final RateLimiter rateLimiter;
    private final RedisNames names;
    private final TaskSettings settings;
    private final Validator validator;
    private final ObjectMapper mapper;
    private final UnfinishedQuota unfinished;
    private final GroupCommit<TaskStore.NewTask, Created> creates;
    private final Reconciler reconciler;
    private final Vertx vertx;

    public TaskService(TaskStore store, FairQueue queue, TaskEvents events, TaskFeed feed, FileStore files, Processors processors,
            RateLimiter rateLimiter, RedisNames names, TaskSettings settings, Validator validator, ObjectMapper mapper,
            Reconciler reconciler, Vertx vertx) {
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
        this.unfinished = new UnfinishedQuota(store::countActive);
        this.creates = new GroupCommit<>(this::writeCreates, CREATES_PER_COMMIT, COMMITS_IN_FLIGHT);
        this.reconciler = reconciler;
        this.vertx = vertx;
    }

    /** The created task, and whether it is new (false: an earlier task with the same idempotency key). */
    public record Created(TaskResponse task, boolean created) {
    }

    public Uni<Created> create(String ownerId, TaskRequest request) {
        List<FieldError> errors = errorsOf(request, "");
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.validation(errors));
        }
        List<String> inputs = inputsOf(request);
        Uni<Created> existing = request.idempotencyKey == null ? Uni.createFrom().nullItem()
                : store.byIdempotencyKey(ownerId, request.idempotencyKey).map(found -> found.map(t -> new Created(t, false)).orElse(null));
        // A task holding the unique key answers without costing the create limit or quota; the claim
        // taken with the insert settles creates that race past this look.
        Uni<Created> holder = request.uniqueKey == null ? Uni.createFrom().nullItem()
                : store.byUniqueKey(ownerId, request.uniqueKey, Times.now()).map(found -> found.map(t -> new Created(t, false)).orElse(null));
        return existing.chain(found -> found != null ? Uni.createFrom().item(found) : holder)
                .chain(found -> found != null ? Uni.createFrom().item(found)
                : admit(ownerId, 1)
                        .chain(() -> files.owned(ownerId, inputs))
                        .chain(owned -> {
                            if (owned.size() != inputs.size()) {
                                return Uni.createFrom().failure(ProblemException.invalidField("input_file_ids",
                                        "must be ids of your files"));
                            }
                            return creates.submit(newTask(ownerId, request, inputs, null, Times.now()));
                        })
                        .onFailure(MySqlErrors::isDuplicateKey).recoverWithUni(() ->
                                store.byIdempotencyKey(ownerId, request.idempotencyKey)
                                        .map(again -> new Created(again.orElseThrow(), false))));
    }

    /**
     * Queues up to {@code max-tasks-per-request} tasks at once: every one valid or none stored (field
     * errors named {@code tasks[i].…}), written in one statement and queued in one Redis call per
     * type. A task whose idempotency key is known answers the earlier task, as a single create does.
     */
    public Uni<List<Created>> createAll(String ownerId, List<TaskRequest> requests) {
        if (requests == null || requests.isEmpty() || requests.size() > settings.maxTasksPerRequest()) {
            return Uni.createFrom().failure(ProblemException.invalidField("tasks",
                    "must hold 1 to " + settings.maxTasksPerRequest() + " tasks"));
        }
        List<FieldError> errors = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            TaskRequest request = requests.get(i);
            if (request == null) {
                errors.add(new FieldError("tasks[" + i + "]", "must be a task"));
                continue;
            }
            errors.addAll(errorsOf(request, "tasks[" + i + "]."));
            if (request.idempotencyKey != null && !keys.add(request.idempotencyKey)) {
                errors.add(new FieldError("tasks[" + i + "].idempotency_key", "is repeated in this request"));
            }
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.validation(errors));
        }
        return store.byIdempotencyKeys(ownerId, List.copyOf(keys)).chain(known -> {
            Predicate<TaskRequest> isNew = r -> r.idempotencyKey == null || !known.containsKey(r.idempotencyKey);
            List<TaskRequest> fresh = requests.stream().filter(isNew).toList();
            List<String> inputs = fresh.stream().flatMap(r -> inputsOf(r).stream()).distinct().toList();
            Uni<List<Created>> stored = fresh.isEmpty() ? Uni.createFrom().item(List.of())
                    : admit(ownerId, fresh.size()).chain(() -> files.owned(ownerId, inputs)).chain(found -> {
                        Set<String> owned = found.stream().map(StoredFile::fileId).collect(Collectors.toSet());
                        List<FieldError> notOwned = new ArrayList<>();
                        for (int i = 0; i < requests.size(); i++) {
                            if (isNew.test(requests.get(i)) && !owned.containsAll(inputsOf(requests.get(i)))) {
                                notOwned.add(new FieldError("tasks[" + i + "].input_file_ids", "must be ids of your files"));
                            }
                        }
                        if (!notOwned.isEmpty()) {
                            return Uni.createFrom().failure(ProblemException.validation(notOwned));
                        }
                        Instant now = Times.now();
                        // In one transaction, shared with other creates arriving meanwhile.
                        return creates.submitAll(fresh.stream().map(r -> newTask(ownerId, r, inputsOf(r), null, now)).toList());
                    });
            return stored.map(tasks -> {
                List<Created> out = new ArrayList<>(requests.size());
                int next = 0;
                for (TaskRequest request : requests) {
                    TaskResponse earlier = request.idempotencyKey == null ? null : known.get(request.idempotencyKey);
                    out.add(earlier != null ? new Created(earlier, false) : tasks.get(next++));
                }
                return out;
            });
        }).onFailure(MySqlErrors::isDuplicateKey).transform(e -> ProblemException.conflict(
                "A task with one of these idempotency keys was created meanwhile; send the batch again."));
    }

    /**
     * Checks a task a schedule will create, as a create would (fields, processor parameters, owned
     * input files), with its field errors named after {@code prefix}.
     */
    public Uni<Void> checkTemplate(String ownerId, TaskRequest template, String prefix) {
        List<FieldError> errors = new ArrayList<>(errorsOf(template, prefix));
        if (template.runAt != null) {
            errors.add(new FieldError(prefix + "run_at", "has no place in a schedule's task: the schedule says when"));
        }
        if (template.idempotencyKey != null) {
            errors.add(new FieldError(prefix + "idempotency_key", "has no place in a schedule's task: each tick makes one task"));
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.validation(errors));
        }
        List<String> inputs = inputsOf(template);
        return files.owned(ownerId, inputs).chain(owned -> owned.size() == inputs.size() ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(ProblemException.invalidField(prefix + "input_file_ids", "must be ids of your files")));
    }

    /** Whether the owner's quota of unfinished tasks has room for {@code count} more (counted if so). */
    public Uni<Boolean> hasRoom(String ownerId, int count) {
        return unfinished.admit(ownerId, count, settings.maxActivePerUser());
    }

    /** The request's field errors, each named after {@code prefix}. */
    private List<FieldError> errorsOf(TaskRequest request, String prefix) {
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
        if (request.runAt != null && request.runAt.isAfter(Instant.now().plus(settings.maxDelay()))) {
            errors.add(new FieldError("run_at", "must be at most " + settings.maxDelay().toDays() + " days ahead"));
        }
        if (request.uniqueForSeconds != null && request.uniqueForSeconds > settings.maxUniqueWindow().toSeconds()) {
            errors.add(new FieldError("unique_for_seconds", "must be at most " + settings.maxUniqueWindow().toSeconds()));
        }
        if (request.uniqueForSeconds != null && request.uniqueKey == null) {
            errors.add(new FieldError("unique_for_seconds", "needs a unique_key"));
        }
        if (request.maxRetries != null && request.maxRetries > settings.maxRetriesLimit()) {
            errors.add(new FieldError("max_retries", "must be at most " + settings.maxRetriesLimit()));
        }
        if (processor != null && errors.isEmpty()) {
            errors.addAll(processor.check(request.params, inputsOf(request).size()));
        }
        return errors.stream().map(e -> new FieldError(prefix + e.field(), e.message())).toList();
    }

    private static List<String> inputsOf(TaskRequest request) {
        return request.inputFileIds == null ? List.of() : List.copyOf(new LinkedHashSet<>(request.inputFileIds));
    }

    /** The create rate limit and the quota of unfinished tasks, for {@code count} new tasks. */
    private Uni<Void> admit(String ownerId, int count) {
        return rateLimiter.hits(names.key("task", "creates", ownerId), count, settings.createsPerMinute(),
                        Duration.ofMinutes(1), "tasks created", WhenRedisIsAway.COUNT_HERE)
                .chain(() -> unfinished.admit(ownerId, count, settings.maxActivePerUser()))
                .chain(admitted -> admitted ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(ProblemException.tooManyRequests("Quota of unfinished tasks "
                                + "reached: at most " + settings.maxActivePerUser()
                                + " queued or running (suite.task.max-active-per-user).", Duration.ofSeconds(30))));
    }

    /** Writes a task as READY (with the transitions that led there) and queues it; SCHEDULED when it has a later run_at. */
    Uni<TaskResponse> insert(String ownerId, TaskRequest request, List<String> inputs, String parentId) {
        return creates.submit(newTask(ownerId, request, inputs, parentId, Times.now())).map(Created::task);
    }

    /**
     * One group commit of creates: the rows, then one Redis call per owner and type, then their
     * events. A create whose unique key another task holds answers that task.
     */
    private Uni<List<Created>> writeCreates(List<TaskStore.NewTask> tasks) {
        return store.insertAll(tasks).chain(held -> {
            List<TaskStore.NewTask> stored = tasks.stream().filter(t -> !held.containsKey(t.task().taskId())).toList();
            return announce(stored).chain(() -> holders(tasks, held)).map(holders -> tasks.stream()
                    .map(t -> held.containsKey(t.task().taskId()) ? new Created(holders.get(held.get(t.task().taskId())), false)
                            : new Created(t.task(), true))
                    .toList());
        });
    }

    /** Queues stored tasks (one Redis call per owner and type), publishes their states and arms their start timers. */
    public Uni<Void> announce(List<TaskStore.NewTask> stored) {
        record Queued(String ownerId, String type) {
        }
        Map<Queued, List<FairQueue.Entry>> byOwnerAndType = new LinkedHashMap<>();
        stored.stream().filter(t -> t.task().queuedAt() != null)
                .forEach(t -> byOwnerAndType.computeIfAbsent(new Queued(t.ownerId(), t.task().type()), key -> new ArrayList<>())
                        .add(new FairQueue.Entry(t.task().taskId(), t.task().priority(), t.task().queuedAt())));
        // Redis away: the reconciler queues them from MySQL once Redis is back.
        return Uni.join().all(byOwnerAndType.entrySet().stream()
                        .map(e -> queue.enqueue(e.getKey().type(), e.getKey().ownerId(), e.getValue())).toList())
                .andCollectFailures().onFailure().recoverWithNull()
                .chain(() -> events.states(stored.stream().map(t -> new TaskEvents.State(t.task().taskId(), t.ownerId(),
                        t.task().state(), 0, null)).toList()))
                .invoke(() -> stored.stream().filter(t -> t.task().runAfter() != null).forEach(this::startOnTime));
    }

    /** The tasks that hold the unique keys lost in {@code held}, by id (read after the commit that may have stored them). */
    private Uni<Map<String, TaskResponse>> holders(List<TaskStore.NewTask> tasks, Map<String, String> held) {
        if (held.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Map<String, List<String>> byOwner = new LinkedHashMap<>();
        tasks.stream().filter(t -> held.containsKey(t.task().taskId()))
                .forEach(t -> byOwner.computeIfAbsent(t.ownerId(), o -> new ArrayList<>()).add(held.get(t.task().taskId())));
        return Multi.createFrom().iterable(byOwner.entrySet())
                .onItem().transformToUniAndConcatenate(e -> store.findAll(e.getKey(), List.copyOf(new LinkedHashSet<>(e.getValue()))))
                .collect().in(HashMap::new, Map::putAll);
    }

    /** Starts a scheduled task at its time from here, when that is near; the reconciler does otherwise. */
    private void startOnTime(TaskStore.NewTask scheduled) {
        TaskResponse task = scheduled.task();
        Duration wait = Duration.between(Instant.now(), task.runAfter());
        if (wait.compareTo(TIMER_HORIZON) > 0) {
            return;
        }
        vertx.setTimer(Math.max(1, wait.toMillis()), id -> Background.run(reconciler.start(task.taskId(),
                scheduled.ownerId(), task.type(), task.priority()), LOG, "Starting scheduled task " + task.taskId()));
    }

    private TaskStore.NewTask newTask(String ownerId, TaskRequest request, List<String> inputs, String parentId, Instant now) {
        return newTask(ownerId, request, inputs, parentId, null, now);
    }

    /** The tick of a schedule that makes a task. */
    public record Tick(String scheduleId, Instant at) {
    }

    /** A task a schedule's tick makes from its template, ready for {@link TaskStore#insertAll(SqlClient, List)}. */
    public TaskStore.NewTask fromSchedule(String ownerId, TaskRequest template, Tick tick, Instant now) {
        return newTask(ownerId, template, inputsOf(template), null, tick, now);
    }

    /** A new task as READY (SCHEDULED when it has a later run_at), with the transitions that led there. */
    private TaskStore.NewTask newTask(String ownerId, TaskRequest request, List<String> inputs, String parentId, Tick tick,
            Instant now) {
        String taskId = Ids.newId();
        List<TaskStore.Transition> transitions = new ArrayList<>();
        transitions.add(new TaskStore.Transition(taskId, null, TaskState.IDLE, now,
                tick == null ? "created" : "created by schedule " + tick.scheduleId() + " for " + tick.at()));
        TaskState before = TaskState.IDLE;
        if (!inputs.isEmpty()) {
            transitions.add(new TaskStore.Transition(taskId, before, TaskState.SOURCE_SELECTED, now,
                    inputs.size() + " input file(s)"));
            before = TaskState.SOURCE_SELECTED;
        }
        boolean later = request.runAt != null && request.runAt.isAfter(now);
        TaskState first = later ? TaskState.SCHEDULED : TaskState.READY;
        transitions.add(new TaskStore.Transition(taskId, before, first, now, later ? "waits until " + request.runAt : "queued"));
        ArrayNode history = mapper.createArrayNode();
        transitions.forEach(t -> history.addObject().put("from", t.from() == null ? null : t.from().name())
                .put("to", t.to().name()).put("at", t.at().toString()).put("reason", t.reason()));
        int priority = request.priority == null ? 5 : request.priority;
        TaskResponse task = new TaskResponse(taskId, request.type, first.name(), priority,
                request.params == null || request.params.isNull() ? mapper.createObjectNode() : request.params, inputs, 0, 0,
                request.maxRetries == null ? settings.defaultMaxRetries() : request.maxRetries,
                request.timeoutSeconds == null ? settings.defaultTimeoutSeconds() : request.timeoutSeconds,
                null, null, parentId, tick == null ? null : tick.scheduleId(), tick == null ? null : tick.at(),
                request.idempotencyKey, request.uniqueKey, request.uniqueKey == null ? null
                        : now.plusSeconds(request.uniqueForSeconds == null ? settings.uniqueWindow().toSeconds() : request.uniqueForSeconds),
                null, now, later ? null : now, null, null,
                later ? request.runAt.truncatedTo(ChronoUnit.MICROS) : null, now, history);
        return new TaskStore.NewTask(ownerId, task, transitions, Traces.current());
    }

    public Uni<TaskResponse> get(String ownerId, String taskId) {
        if (!Ids.isId(taskId)) {
            return Uni.createFrom().failure(ProblemException.notFound("Task"));
        }
        return store.find(ownerId, taskId).map(found -> found.orElseThrow(() -> ProblemException.notFound("Task")));
    }

    public Uni<Page<TaskResponse>> list(String ownerId, String state, String type, String scheduleId, String limit, String before) {
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
        return store.page(ownerId, state, type, scheduleId, request.before(), request.fetchSize())
                .map(rows -> Page.of(rows, request, TaskResponse::taskId, t -> t));
    }

    /**
     * Cancels: at once when the task is not running (and takes it off the queue); when it runs,
     * asks its worker to stop the work and answers with the request recorded (202).
     */
    public Uni<Handled> cancel(String ownerId, String taskId) {
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
                    .call(moved -> queue.remove(task.type(), ownerId, taskId).onFailure().recoverWithNull())
                    .map(Handled::atOnce);
        });
    }

    /** Pauses: a queued or waiting task at once; a running one through its worker (202). */
    public Uni<Handled> pause(String ownerId, String taskId) {
        return get(ownerId, taskId).chain(task -> {
            TaskState state = TaskState.valueOf(task.state());
            if (state == TaskState.PROCESSING) {
                return ask(ownerId, task, "pause");
            }
            if (!state.canBecome(TaskState.PAUSED)) {
                return Uni.createFrom().failure(illegal(task, "paused"));
            }
            return move(ownerId, task, EnumSet.of(TaskState.READY, TaskState.RETRY_WAIT), TaskState.PAUSED, "paused",
                    Map.of()).call(moved -> queue.remove(task.type(), ownerId, taskId).onFailure().recoverWithNull())
                    .map(Handled::atOnce);
        });
    }

    public Uni<TaskResponse> resume(String ownerId, String taskId) {
        return get(ownerId, taskId).chain(task -> {
            if (!TaskState.PAUSED.name().equals(task.state())) {
                return Uni.createFrom().failure(illegal(task, "resumed"));
            }
            Instant now = Times.now();
            return move(ownerId, task, EnumSet.of(TaskState.PAUSED), TaskState.READY, "resumed", Map.of("queued_at", now))
                    .call(moved -> queue.enqueue(task.type(), ownerId, List.of(new FairQueue.Entry(taskId, task.priority(), now)))
                            .onFailure().recoverWithNull());
        });
    }

    /** The states a task waits in before it runs: its priority may still change there. */
    private static final Set<TaskState> WAITING = EnumSet.of(TaskState.IDLE, TaskState.SELECTING_SOURCE,
            TaskState.SOURCE_SELECTED, TaskState.SCHEDULED, TaskState.READY, TaskState.RETRY_WAIT, TaskState.PAUSED);

    /**
     * Changes the priority of a task that has not started; a queued one moves to its new place in
     * the queue at once, keeping its age. 409 once it runs or has finished.
     */
    public Uni<TaskResponse> reprioritize(String ownerId, String taskId, TaskPatch patch) {
        List<FieldError> errors = Violations.fieldErrors(validator.validate(patch));
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.validation(errors));
        }
        return get(ownerId, taskId).chain(task -> {
            if (!WAITING.contains(TaskState.valueOf(task.state()))) {
                return Uni.createFrom().failure(ProblemException.conflict("The priority of a " + task.state()
                        + " task cannot change: only tasks that have not started."));
            }
            return store.reprioritize(ownerId, taskId, WAITING, patch.priority(), Times.now())
                    .chain(changed -> get(ownerId, taskId).invoke(now -> {
                        if (!changed) {
                            throw ProblemException.conflict("The priority of a " + now.state()
                                    + " task cannot change: only tasks that have not started.");
                        }
                    }))
                    .call(now -> TaskState.READY.name().equals(now.state()) && now.queuedAt() != null
                            ? queue.reprioritize(now.type(), ownerId, new FairQueue.Entry(taskId, now.priority(), now.queuedAt()))
                                    .onFailure().recoverWithNull()
                            : Uni.createFrom().voidItem());
        });
    }

    /**
     * Queues FAILED tasks again, each with its attempts counted afresh and its last error cleared
     * (it stays in the history). Tasks that are not the caller's, or not FAILED, are named with why;
     * the rest count against the quota of unfinished tasks like new ones.
     */
    public Uni<TaskRetryResponse> retry(String ownerId, TaskRetry request) {
        List<FieldError> errors = Violations.fieldErrors(validator.validate(request));
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.validation(errors));
        }
        List<String> ids = List.copyOf(new LinkedHashSet<>(request.taskIds()));
        List<TaskResponse> retried = new ArrayList<>();
        List<TaskRetryResponse.NotRetried> notRetried = new ArrayList<>();
        return store.findAll(ownerId, ids).chain(found -> {
            List<TaskResponse> failed = new ArrayList<>();
            for (String id : ids) {
                TaskResponse task = found.get(id);
                if (task == null) {
                    notRetried.add(new TaskRetryResponse.NotRetried(id, "no such task of yours"));
                } else if (!TaskState.FAILED.name().equals(task.state())) {
                    notRetried.add(new TaskRetryResponse.NotRetried(id, "it is " + task.state() + ", not FAILED"));
                } else {
                    failed.add(task);
                }
            }
            Uni<Void> admitted = failed.isEmpty() ? Uni.createFrom().voidItem() : admit(ownerId, failed.size());
            return admitted.chain(() -> Multi.createFrom().iterable(failed)
                    .onItem().transformToUniAndConcatenate(task -> requeueFailed(ownerId, task)
                            .invoke(now -> {
                                if (now.isPresent()) {
                                    retried.add(now.get());
                                } else {
                                    notRetried.add(new TaskRetryResponse.NotRetried(task.taskId(), "it changed meanwhile"));
                                }
                            }))
                    .collect().last()
                    .map(ignored -> new TaskRetryResponse(retried, notRetried)));
        });
    }

    private Uni<Optional<TaskResponse>> requeueFailed(String ownerId, TaskResponse task) {
        Instant now = Times.now();
        Map<String, Object> sets = new LinkedHashMap<>();
        sets.put("attempts", 0);
        sets.put("error", null);
        sets.put("result", null);
        sets.put("progress", 0);
        sets.put("checkpoint", null);
        sets.put("finished_at", null);
        sets.put("started_at", null);
        sets.put("queued_at", now);
        return store.transition(task.taskId(), EnumSet.of(TaskState.FAILED), TaskState.READY, "retried by its owner", now,
                        sets, null)
                .chain(moved -> !moved ? Uni.createFrom().item(Optional.<TaskResponse>empty())
                        : queue.enqueue(task.type(), ownerId, List.of(new FairQueue.Entry(task.taskId(), task.priority(), now)))
                                // Redis away: the reconciler queues it from MySQL once Redis is back.
                                .onFailure().recoverWithNull()
                                .chain(() -> events.state(task.taskId(), ownerId, TaskState.READY.name(), 0, null))
                                .chain(() -> store.find(ownerId, task.taskId())));
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

    private Uni<Handled> ask(String ownerId, TaskResponse task, String what) {
        return store.request(ownerId, task.taskId(), what)
                .call(() -> events.request(task.taskId(), what))
                .chain(() -> get(ownerId, task.taskId()))
                .map(Handled::byItsWorker);
    }

    /**
     * What a cancel or pause did: done at once, or handed to the worker running the task. The
     * task is as it stands now, so a worker quick to obey may already show it finished.
     */
    public record Handled(TaskResponse task, boolean handedToWorker) {
        static Handled atOnce(TaskResponse task) {
            return new Handled(task, false);
        }

        static Handled byItsWorker(TaskResponse task) {
            return new Handled(task, true);
        }
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
