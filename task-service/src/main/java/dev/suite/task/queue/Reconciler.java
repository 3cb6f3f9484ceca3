package dev.suite.task.queue;

import dev.suite.commons.db.Times;
import dev.suite.commons.queue.FairQueue;
import dev.suite.commons.redis.RedisLocks;
import dev.suite.commons.redis.RedisNames;
import dev.suite.task.TaskSettings;
import dev.suite.task.events.TaskEvents;
import dev.suite.task.tasks.Task;
import dev.suite.task.tasks.TaskState;
import dev.suite.task.tasks.TaskStore;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Keeps MySQL and Redis in step, on one replica per round (a Redis lease): a running task whose
 * lease lapsed (its replica died) is retried — or ends as its pending cancel or pause asked, or
 * fails when its attempts are spent; a retry whose wait is over, or a scheduled task whose start time
 * came, is queued; and a READY task that
 * Redis does not hold (Redis restarted, or a replica died between commit and enqueue) is queued
 * again. Queueing is idempotent, so a task queued twice still runs once. (A retry is normally queued
 * when its wait ends by the replica that recorded the failure; the round is the safety net.) It also
 * drops unique-key claims whose window closed.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    private static final int BATCH = 500;

    private final TaskStore store;
    private final FairQueue queue;
    private final TaskEvents events;
    private final TaskSettings settings;
    private final RedisLocks locks;
    private final String leaseKey;
    private final String replica = UUID.randomUUID().toString();

    public Reconciler(TaskStore store, FairQueue queue, TaskEvents events, TaskSettings settings,
            RedisLocks locks, RedisNames names) {
        this.store = store;
        this.queue = queue;
        this.events = events;
        this.settings = settings;
        this.locks = locks;
        this.leaseKey = names.key("task", "reconcile-lease");
    }

    @Scheduled(every = "${suite.task.reconcile-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return locks.acquire(leaseKey, replica, settings.reconcileInterval().multipliedBy(9).dividedBy(10))
                .chain(mine -> mine ? reconcile() : Uni.createFrom().voidItem())
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Task reconciliation skipped: %s", e.getMessage());
                    return null;
                });
    }

    public Uni<Void> reconcile() {
        Instant now = Times.now();
        // MySQL's lease_until decides which tasks are taken back (below); this only drops the Redis
        // entries of lapsed leases, which no longer count against the caps anyway.
        return queue.takeExpired(BATCH).replaceWithVoid()
                .chain(() -> store.expiredLeases(now, BATCH)).chain(expired -> each(expired, task -> reclaim(task, now)))
                .chain(() -> store.due(now, BATCH)).chain(due -> each(due, task -> requeue(task, now)))
                .chain(() -> store.waitingSince(now.minus(settings.reconcileInterval().multipliedBy(2)), BATCH))
                // Each at its own age, so that it keeps its place within its priority.
                .chain(waiting -> each(waiting, task -> enqueue(task, task.queuedAt() == null ? now : task.queuedAt())))
                .chain(() -> store.sweepUniqueKeys(now, BATCH)).replaceWithVoid();
    }

    private Uni<Void> reclaim(Task task, Instant now) {
        Map<String, Object> sets = new LinkedHashMap<>();
        sets.put("lease_owner", null);
        sets.put("lease_until", null);
        TaskState next;
        String reason;
        if ("cancel".equals(task.requested())) {
            next = TaskState.CANCELLED;
            reason = "cancelled (its worker was gone)";
            sets.put("finished_at", now);
            sets.put("requested", null);
        } else if ("pause".equals(task.requested())) {
            next = TaskState.PAUSED;
            reason = "paused (its worker was gone)";
            sets.put("requested", null);
        } else if (task.attempts() <= task.maxRetries()) {
            next = TaskState.READY;
            reason = "lease expired: its worker was gone";
            sets.put("queued_at", now);
        } else {
            next = TaskState.FAILED;
            reason = "lease expired and no attempts left";
            sets.put("error", "Its worker was lost on the last attempt.");
            sets.put("finished_at", now);
        }
        return store.transition(task.taskId(), List.of(TaskState.PROCESSING), next, reason, now, sets, null, now)
                .call(moved -> !moved ? Uni.createFrom().voidItem()
                        : (next == TaskState.READY ? enqueue(task, now) : Uni.createFrom().voidItem())
                        .call(() -> queue.release(List.of(task.taskId())))
                        .call(() -> events.state(task.taskId(), task.ownerId(), next.name(), 0, null)))
                .invoke(moved -> {
                    if (moved) {
                        LOG.infof("Task %s reclaimed from a lost worker: %s", task.taskId(), next);
                    }
                })
                .replaceWithVoid();
    }

    /** Queues a task whose retry wait is over (the replica that failed it calls this when the wait ends). */
    public Uni<Void> retry(Task task) {
        return requeue(task, Times.now());
    }

    /** Queues a scheduled task whose start time came (the replica that created it calls this then). */
    public Uni<Void> start(String taskId, String ownerId, String type, int priority) {
        return requeue(taskId, ownerId, type, priority, TaskState.SCHEDULED, Times.now());
    }

    private Uni<Void> requeue(Task task, Instant now) {
        return requeue(task.taskId(), task.ownerId(), task.type(), task.priority(), task.state(), now);
    }

    private Uni<Void> requeue(String taskId, String ownerId, String type, int priority, TaskState waiting, Instant now) {
        Map<String, Object> sets = new LinkedHashMap<>();
        sets.put("queued_at", now);
        sets.put("run_after", null);
        String reason = waiting == TaskState.SCHEDULED ? "its start time came" : "retry";
        return store.transition(taskId, List.of(waiting), TaskState.READY, reason, now, sets, null)
                .call(moved -> moved ? enqueue(taskId, ownerId, type, priority, now)
                        .call(() -> events.state(taskId, ownerId, TaskState.READY.name(), 0, null))
                        : Uni.createFrom().voidItem())
                .replaceWithVoid();
    }

    private Uni<Void> enqueue(Task task, Instant queuedAt) {
        return enqueue(task.taskId(), task.ownerId(), task.type(), task.priority(), queuedAt);
    }

    private Uni<Void> enqueue(String taskId, String ownerId, String type, int priority, Instant queuedAt) {
        return queue.enqueue(type, ownerId, List.of(new FairQueue.Entry(taskId, priority, queuedAt))).replaceWithVoid();
    }

    private static Uni<Void> each(List<Task> tasks, java.util.function.Function<Task, Uni<Void>> action) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Task task : tasks) {
            chain = chain.chain(() -> action.apply(task));
        }
        return chain;
    }
}
