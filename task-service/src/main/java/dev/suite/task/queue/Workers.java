package dev.suite.task.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.commons.calls.Background;
import dev.suite.commons.db.GroupCommit;
import dev.suite.commons.db.Times;
import dev.suite.commons.events.EventSubscriber;
import dev.suite.commons.queue.DispatchLoop;
import dev.suite.commons.queue.FairQueue;
import dev.suite.commons.retry.Backoff;
import dev.suite.task.TaskSettings;
import dev.suite.task.events.TaskEvents;
import dev.suite.task.files.BlobStorage;
import dev.suite.task.files.FileStore;
import dev.suite.task.files.StoredFile;
import dev.suite.task.processing.Processors;
import dev.suite.task.processing.Stopped;
import dev.suite.task.processing.TaskFailure;
import dev.suite.task.processing.TaskProcessor;
import dev.suite.task.processing.TaskRun;
import dev.suite.task.tasks.Task;
import dev.suite.task.tasks.TaskService;
import dev.suite.task.tasks.TaskState;
import dev.suite.task.tasks.TaskStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This replica's workers. Dispatch rounds take tasks from the queue while there is room (the
 * replica's max-workers, the per-type caps, the global cap held in Redis; batch parents have
 * coordinator slots of their own, so a batch never waits for the worker it holds), claims them in MySQL
 * (READY → PROCESSING under this replica's lease) and runs each on a worker thread. Heartbeats
 * keep the leases alive and bring cancel and pause requests; the outcome of a run becomes the
 * task's next state, written only while the lease is still this replica's — so a task another
 * replica reclaimed is never completed twice.
 */
@ApplicationScoped
public class Workers {

    private static final Logger LOG = Logger.getLogger(Workers.class);
    /** How often the queue is looked at even without a wake-up. */
    private static final Duration TICK = Duration.ofMillis(250);

    private final String replica = "replica-" + UUID.randomUUID();
    private final Map<String, Running> active = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> activeByType = new ConcurrentHashMap<>();
    /** Types whose runs only coordinate others (batch parents): they take coordinator slots, not workers. */
    private final Set<String> coordinating = new HashSet<>();
    /** Runs holding a worker: those of {@link #active} that are not coordinators. */
    private final AtomicInteger working = new AtomicInteger();
    private final DispatchLoop dispatch = new DispatchLoop("tasks", this::round);
    /** Outcomes of runs that end together are written together. */
    private final GroupCommit<Ended, Boolean> outcomes = new GroupCommit<>(this::write, 500, 2);
    private volatile boolean stopping;
    private ExecutorService workers;
    private ExecutorService coordinators;
    private long heartbeatTimer;
    @Inject
    TaskSettings settings;
    @Inject
    FairQueue queue;
    @Inject
    TaskStore store;
    @Inject
    TaskEvents events;
    @Inject
    Processors processors;
    @Inject
    FileStore files;
    @Inject
    BlobStorage storage;
    @Inject
    TaskService tasks;
    @Inject
    EventSubscriber subscriber;
    @Inject
    Vertx vertx;
    @Inject
    MeterRegistry registry;
    @Inject
    Reconciler reconciler;
    @Inject
    AttemptSpans attemptSpans;

    /** A task running here. */
    private record Running(Task task, TaskRun run, long startedNanos) {
    }

    public String replica() {
        return replica;
    }

    void start(@Observes StartupEvent startup) {
        processors.all().forEach((type, p) -> {
            if (p.coordinates()) {
                coordinating.add(type);
            }
        });
        workers = pool("task-worker-", settings.maxWorkers());
        coordinators = pool("task-coordinator-", settings.maxCoordinators());
        subscriber.subscribe(events.controlChannel(), event -> {
            Running running = event.subject() == null ? null : active.get(event.subject());
            if (running != null) {
                stop(running, event.data().path("requested").asText());
            }
        }, () -> { });
        dispatch.start(vertx, subscriber, queue.wakeChannel(), TICK);
        heartbeatTimer = vertx.setPeriodic(Math.max(100, settings.lease().toMillis() / 3), t -> heartbeat());
    }

    private static ExecutorService pool(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void shutdown(@Observes ShutdownEvent shutdown) {
        stopping = true;
        vertx.cancelTimer(heartbeatTimer);
        dispatch.stop(vertx);
        // Runs asked to stop end as they are; their leases lapse and another replica retries them.
        active.values().forEach(r -> r.run().requestStop(TaskRun.Stop.SHUTDOWN));
        for (ExecutorService pool : new ExecutorService[] {workers, coordinators}) {
            if (pool != null) {
                pool.shutdown();
                try {
                    pool.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** One dispatch round: claims what this replica has room for, in Redis then in MySQL, and starts it. */
    private Uni<Boolean> round() {
        Map<String, Integer> wanted = wanted();
        if (wanted.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        List<FairQueue.Lane> lanes = new ArrayList<>();
        wanted.forEach((type, room) -> lanes.add(new FairQueue.Lane(type, room, !coordinating.contains(type))));
        return queue.claim(lanes, settings.globalMaxRunning(), settings.maxRunningPerUser(),
                        settings.maxWorkers() - working.get(), settings.lease())
                .chain(claimed -> claimed.isEmpty() ? Uni.createFrom().item(false) : start(claimed).replaceWith(true));
    }

    private Uni<Void> start(List<FairQueue.Claimed> claimed) {
        Instant now = Times.now();
        return store.claim(claimed.stream().map(FairQueue.Claimed::id).toList(), replica, now, now.plus(settings.lease()))
                .onFailure().call(e -> queue.unclaim(claimed).onFailure().recoverWithNull())
                .chain(mine -> {
                    Background.run(events.states(mine.stream().map(task -> new TaskEvents.State(task.taskId(),
                            task.ownerId(), TaskState.PROCESSING.name(), 0, null)).toList()), LOG,
                            "Announcing " + mine.size() + " started tasks");
                    Set<String> taken = new HashSet<>();
                    mine.forEach(task -> taken.add(task.taskId()));
                    // Popped but no longer READY (cancelled or paused meanwhile): give the room back.
                    List<String> stale = claimed.stream().map(FairQueue.Claimed::id).filter(id -> !taken.contains(id)).toList();
                    Background.run(queue.release(stale), LOG, "Releasing the room of " + stale.size() + " tasks not started");
                    return mine.isEmpty() ? Uni.createFrom().voidItem()
                            : Uni.join().all(mine.stream().map(task -> inputsOf(task).invoke(inputs -> begin(task, inputs))).toList())
                                    .andCollectFailures().replaceWithVoid();
                });
    }

    private Uni<List<StoredFile>> inputsOf(Task task) {
        return task.inputFileIds().isEmpty() ? Uni.createFrom().item(List.of()) : files.owned(task.ownerId(), task.inputFileIds());
    }

    /**
     * How many tasks of each type this replica can start now: workers for the work, and slots of
     * their own for batch parents, which only wait for their children.
     */
    private Map<String, Integer> wanted() {
        int freeWorkers = settings.maxWorkers() - working.get();
        int freeCoordinators = settings.maxCoordinators() - (active.size() - working.get());
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String type : processors.all().keySet()) {
            boolean coordinates = coordinating.contains(type);
            int free = coordinates ? freeCoordinators : freeWorkers;
            int cap = settings.maxWorkersByType().getOrDefault(type, coordinates ? settings.maxCoordinators() : settings.maxWorkers());
            int room = Math.min(free, cap - activeByType.computeIfAbsent(type, k -> new AtomicInteger()).get());
            if (room > 0) {
                out.put(type, room);
            }
        }
        return out;
    }

    private void begin(Task task, List<StoredFile> inputs) {
        TaskProcessor processor = processors.of(task.type()).orElse(null);
        TaskRun run = new TaskRun(task, inputs, storage, files, settings.files().maxStoredBytesPerUser(),
                p -> Background.run(store.progress(task.taskId(), replica, p)
                        .call(() -> events.progress(task.taskId(), task.ownerId(), p)), LOG, "Progress of task " + task.taskId()),
                state -> store.saveCheckpoint(task.taskId(), replica, state).await().atMost(Duration.ofSeconds(10)),
                tasks.childrenOf(task));
        Running running = new Running(task, run, System.nanoTime());
        active.put(task.taskId(), running);
        activeByType.computeIfAbsent(task.type(), k -> new AtomicInteger()).incrementAndGet();
        boolean coordinates = coordinating.contains(task.type());
        if (!coordinates) {
            working.incrementAndGet();
        }
        if (task.requested() != null) {
            stop(running, task.requested());
        }
        long timer = vertx.setTimer(Math.max(1, task.timeoutSeconds()) * 1000L, t -> run.requestStop(TaskRun.Stop.TIMEOUT));
        (coordinates ? coordinators : workers).execute(() -> {
            boolean released = false;
            try {
                released = finish(running, processor);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Task %s could not be finished; its lease will lapse and it will be retried", task.taskId());
            } finally {
                vertx.cancelTimer(timer);
                active.remove(task.taskId());
                activeByType.get(task.type()).decrementAndGet();
                if (!coordinates) {
                    working.decrementAndGet();
                }
                if (!released) {
                    Background.run(queue.release(List.of(task.taskId())), LOG, "Releasing the lease of task " + task.taskId());
                }
                dispatch.wake();
            }
        });
    }

    /** Runs the task and records its outcome; answers whether the outcome's write also gave back its room in Redis. */
    private boolean finish(Running running, TaskProcessor processor) {
        Span span = attemptSpans.start(running.task());
        try (Scope ignored = span.makeCurrent()) {
            Outcome outcome = run(running, processor);
            if (outcome == null) {
                span.setAttribute(AttemptSpans.OUTCOME, "LEFT_TO_LEASE").end();
                return false;
            }
            TaskState next = record(running.task(), outcome, running.startedNanos());
            AttemptSpans.end(span, next == null ? outcome.state() : next, outcome.error());
            return true;
        }
    }

    /** The outcome of running the task here, or null when it is left to its lease (the replica stops). */
    private Outcome run(Running running, TaskProcessor processor) {
        Task task = running.task();
        TaskRun run = running.run();
        Outcome outcome;
        try {
            if (processor == null) {
                throw TaskFailure.permanent("No processor for task type '" + task.type() + "' on this replica.");
            }
            JsonNode result = processor.run(run);
            outcome = run.stopReason() == TaskRun.Stop.TIMEOUT ? timedOut(task) : Outcome.completed(result);
        } catch (Stopped e) {
            outcome = stoppedOutcome(task, run, processor);
        } catch (TaskFailure e) {
            outcome = run.stopReason() == TaskRun.Stop.TIMEOUT ? timedOut(task) : Outcome.failed(e.getMessage(), e.permanent());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = stoppedOutcome(task, run, processor);
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.warnf(e, "Task %s (%s) failed unexpectedly", task.taskId(), task.type());
            outcome = Outcome.failed("The processor failed: " + e, false);
        } finally {
            run.cleanUpQuietly();
        }
        return outcome;
    }

    private Outcome stoppedOutcome(Task task, TaskRun run, TaskProcessor processor) {
        TaskRun.Stop why = run.stopReason() == null ? TaskRun.Stop.SHUTDOWN : run.stopReason();
        return switch (why) {
            case CANCEL -> Outcome.cancelled();
            case PAUSE -> Outcome.paused(processor != null && processor.checkpoints());
            case TIMEOUT -> timedOut(task);
            // Leave the task to its lease: another replica takes it up again.
            case SHUTDOWN -> null;
        };
    }

    private static Outcome timedOut(Task task) {
        return Outcome.failed("Timed out after " + task.timeoutSeconds() + " s.", false);
    }

    /** The end of one attempt, as the task's next state. */
    record Outcome(TaskState state, JsonNode result, String error, boolean permanent, boolean keepCheckpoint) {
        static Outcome completed(JsonNode result) {
            return new Outcome(TaskState.COMPLETED, result, null, false, false);
        }

        static Outcome failed(String error, boolean permanent) {
            return new Outcome(TaskState.FAILED, null, error, permanent, false);
        }

        static Outcome cancelled() {
            return new Outcome(TaskState.CANCELLED, null, null, false, false);
        }

        static Outcome paused(boolean keepCheckpoint) {
            return new Outcome(TaskState.PAUSED, null, null, false, keepCheckpoint);
        }
    }

    /** Writes the attempt's outcome; answers the state the task moved to, or null when it was no longer this replica's. */
    private TaskState record(Task task, Outcome outcome, long startedNanos) {
        Instant now = Times.now();
        Map<String, Object> sets = new LinkedHashMap<>();
        sets.put("lease_owner", null);
        sets.put("lease_until", null);
        sets.put("requested", null);
        TaskState next = outcome.state();
        String reason;
        switch (outcome.state()) {
            case COMPLETED -> {
                sets.put("result", outcome.result() == null ? null : outcome.result().toString());
                sets.put("progress", 100);
                sets.put("finished_at", now);
                sets.put("checkpoint", null);
                reason = "completed";
            }
            case CANCELLED -> {
                sets.put("finished_at", now);
                reason = "cancelled while running";
            }
            case PAUSED -> {
                if (!outcome.keepCheckpoint()) {
                    sets.put("checkpoint", null);
                    sets.put("progress", 0);
                }
                reason = outcome.keepCheckpoint() ? "paused at a checkpoint" : "paused; will start over";
            }
            default -> {
                sets.put("error", outcome.error());
                boolean retry = !outcome.permanent() && task.attempts() <= task.maxRetries();
                if (retry) {
                    next = TaskState.RETRY_WAIT;
                    Duration wait = backoff(task.attempts());
                    sets.put("run_after", now.plus(wait));
                    vertx.setTimer(Math.max(1, wait.toMillis()), t -> reconciler.retry(task)
                            .subscribe().with(ok -> { }, e -> LOG.debugf("Retry of %s left to the reconciler: %s",
                                    task.taskId(), e.getMessage())));
                    reason = "attempt " + task.attempts() + " failed";
                } else {
                    sets.put("finished_at", now);
                    reason = outcome.permanent() ? "failed" : "failed after " + task.attempts() + " attempts";
                }
            }
        }
        TaskState state = next;
        boolean moved = outcomes.submit(new Ended(task, new TaskStore.Move(task.taskId(), TaskState.PROCESSING, state, reason,
                now, sets, replica), outcome.error())).await().atMost(Duration.ofSeconds(30));
        if (!moved) {
            LOG.infof("Task %s was taken from this replica (its lease lapsed); its outcome here is dropped", task.taskId());
            return null;
        }
        timer(task.type(), state).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        return state;
    }

    /** A run that ended, as the move that records it. */
    private record Ended(Task task, TaskStore.Move move, String error) {
    }

    /**
     * One group commit of outcomes: the moves in one transaction, then, in one Redis call each, the
     * events of the tasks that moved and the room of every task that ended.
     */
    private Uni<List<Boolean>> write(List<Ended> ended) {
        return store.moveAll(ended.stream().map(Ended::move).toList()).call(moved -> {
            List<TaskEvents.State> states = new ArrayList<>();
            for (int i = 0; i < ended.size(); i++) {
                if (moved.get(i)) {
                    TaskStore.Move move = ended.get(i).move();
                    states.add(new TaskEvents.State(move.taskId(), ended.get(i).task().ownerId(), move.to().name(),
                            move.to() == TaskState.COMPLETED ? 100 : 0, ended.get(i).error()));
                }
            }
            return events.states(states)
                    .call(() -> queue.release(ended.stream().map(e -> e.task().taskId()).toList())
                            .onFailure().recoverWithNull());
        });
    }

    private Timer timer(String type, TaskState outcome) {
        return Timer.builder("task.run").description("Task attempts, by type and outcome")
                .tag("type", type).tag("outcome", outcome.name()).publishPercentiles(0.5, 0.95).register(registry);
    }

    Duration backoff(int attempt) {
        return new Backoff(settings.retryBaseDelay(), settings.retryMaxDelay()).delay(attempt);
    }

    private void heartbeat() {
        if (active.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(active.keySet());
        Instant until = Times.now().plus(settings.lease());
        store.heartbeat(ids, replica, until)
                .call(() -> queue.renew(ids, settings.lease()))
                .subscribe().with(requested -> requested.forEach((id, what) -> {
                    Running running = active.get(id);
                    if (running != null) {
                        stop(running, what);
                    }
                }), e -> LOG.warnf("Heartbeat of %d running tasks failed: %s", ids.size(), e.getMessage()));
    }

    private static void stop(Running running, String what) {
        running.run().requestStop("pause".equals(what) ? TaskRun.Stop.PAUSE : TaskRun.Stop.CANCEL);
    }
}
