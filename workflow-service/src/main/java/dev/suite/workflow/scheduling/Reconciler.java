package dev.suite.workflow.scheduling;

import dev.suite.commons.db.Times;
import dev.suite.commons.queue.FairQueue;
import dev.suite.commons.redis.RedisLocks;
import dev.suite.commons.redis.RedisNames;
import dev.suite.workflow.WorkflowSettings;
import dev.suite.workflow.executions.ExecutionStatus;
import dev.suite.workflow.executions.ExecutionStore;
import dev.suite.workflow.realtime.EventType;
import dev.suite.workflow.realtime.ExecutionEvents;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the executions moving when replicas die or Redis forgets. Each round runs on one replica
 * (a Redis lease) and:
 * <ul>
 * <li>takes running executions whose lease expired (their replica died or hung) and, per
 * {@code on-replica-loss}, queues them again — they resume from their completed nodes — or fails
 * them; an execution asked to stop ends as interrupted; after {@code max-resumes} it fails;</li>
 * <li>does the same for executions MySQL shows running that hold no lease at all (Redis lost it);</li>
 * <li>queues again executions MySQL shows queued that Redis lost.</li>
 * </ul>
 * None stays running forever.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    private static final int BATCH = 200;

    private final FairQueue queue;
    private final ExecutionStore store;
    private final ExecutionEvents events;
    private final RedisLocks locks;
    private final WorkflowSettings settings;
    private final Dispatcher dispatcher;
    private final String lockKey;

    public Reconciler(FairQueue queue, ExecutionStore store, ExecutionEvents events, RedisLocks locks,
            WorkflowSettings settings, Dispatcher dispatcher, RedisNames names) {
        this.queue = queue;
        this.store = store;
        this.events = events;
        this.locks = locks;
        this.settings = settings;
        this.dispatcher = dispatcher;
        this.lockKey = names.key("workflow", "reconciler");
    }

    @Scheduled(every = "${suite.workflow.reconcile-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return round().onFailure().recoverWithItem(e -> {
            LOG.warnf("Reconciliation round failed: %s", e.getMessage());
            return null;
        });
    }

    /** One round, if this replica wins it. */
    public Uni<Void> round() {
        Duration hold = settings.reconcileInterval().multipliedBy(9).dividedBy(10);
        return locks.acquire(lockKey, dispatcher.replicaId(), hold).chain(won -> !won ? Uni.createFrom().voidItem()
                : expiredLeases().chain(this::leaseless).chain(this::lostFromQueue));
    }

    private Uni<Void> expiredLeases() {
        return queue.takeExpired(BATCH).chain(ids -> recoverAll(ids, "its replica stopped renewing the lease"));
    }

    private Uni<Void> leaseless() {
        Instant before = Times.now().minus(settings.lease());
        return store.runningSince(before, BATCH)
                .chain(ids -> queue.held(ids).chain(held -> {
                    List<String> missing = ids.stream().filter(id -> !held.contains(id)).toList();
                    return recoverAll(missing, "Redis lost its lease");
                }));
    }

    /** Queues again, one call per user, what has waited a while; queueing is idempotent, so only what Redis lost is added. */
    private Uni<Void> lostFromQueue() {
        return store.queuedSince(Times.now().minusSeconds(5), BATCH * 5).chain(queued -> {
            Map<String, List<FairQueue.Entry>> byOwner = new LinkedHashMap<>();
            queued.forEach(q -> byOwner.computeIfAbsent(q.ownerId(), owner -> new ArrayList<>())
                    .add(new FairQueue.Entry(q.executionId(), q.priority(), q.createdAt())));
            return Multi.createFrom().iterable(byOwner.entrySet())
                    .onItem().transformToUniAndConcatenate(e -> queue.enqueue(ExecutionQueue.LANE, e.getKey(), e.getValue())
                            .invoke(added -> {
                                if (added > 0) {
                                    LOG.infof("%d executions of %s were queued in MySQL but not in Redis; queued again",
                                            added, e.getKey());
                                }
                            }))
                    .collect().asList().replaceWithVoid();
        });
    }

    private Uni<Void> recoverAll(List<String> ids, String why) {
        return Multi.createFrom().iterable(ids)
                .onItem().transformToUniAndConcatenate(id -> recover(id, why)
                        .onFailure().recoverWithItem(e -> {
                            LOG.warnf("Could not recover execution %s: %s", id, e.getMessage());
                            return null;
                        }))
                .collect().asList().replaceWithVoid();
    }

    private Uni<Void> recover(String executionId, String why) {
        return store.stranded(executionId).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            ExecutionStore.Stranded e = found.get();
            if (e.interruptRequested()) {
                return endAs(e, ExecutionStatus.INTERRUPTED, "interrupted (" + why + ")", EventType.EXECUTION_INTERRUPTED);
            }
            if (!"resume".equals(settings.onReplicaLoss())) {
                return endAs(e, ExecutionStatus.FAILED, "the execution was lost: " + why, EventType.EXECUTION_ERROR);
            }
            if (e.resumes() >= settings.maxResumes()) {
                return endAs(e, ExecutionStatus.FAILED, "the execution was lost " + (e.resumes() + 1) + " times ("
                        + why + "); it is not resumed again", EventType.EXECUTION_ERROR);
            }
            return store.requeue(e).chain(requeued -> !requeued ? Uni.createFrom().voidItem()
                    : queue.release(List.of(executionId))
                            .chain(() -> queue.enqueueAndLocate(ExecutionQueue.LANE, e.ownerId(),
                                    List.of(new FairQueue.Entry(executionId, e.priority(), e.createdAt()))))
                            .chain(positions -> {
                                LOG.infof("Execution %s resumes on another replica: %s", executionId, why);
                                return events.publish(executionId, EventType.EXECUTION_STATUS_UPDATE,
                                        events.payload(executionId).put("status", ExecutionStatus.QUEUED)
                                                .put("position", positions.get(0)).put("resuming", true).put("reason", why));
                            }));
        });
    }

    private Uni<Void> endAs(ExecutionStore.Stranded e, String status, String error, EventType type) {
        return store.endStranded(e, status, error, Times.now()).chain(ended -> !ended ? Uni.createFrom().voidItem()
                : queue.release(List.of(e.executionId())).chain(() -> events.publish(e.executionId(), type,
                        events.payload(e.executionId()).put("status", status).put("error", error))));
    }
}
