package dev.suite.workflow.scheduling;

import dev.suite.commons.db.Times;
import dev.suite.commons.redis.RedisLocks;
import dev.suite.commons.redis.RedisNames;
import dev.suite.workflow.WorkflowSettings;
import dev.suite.workflow.executions.ExecutionStatus;
import dev.suite.workflow.executions.ExecutionStore;
import dev.suite.workflow.realtime.EventType;
import dev.suite.workflow.realtime.ExecutionEvents;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

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

    private final ExecutionQueue queue;
    private final ExecutionStore store;
    private final ExecutionEvents events;
    private final RedisLocks locks;
    private final WorkflowSettings settings;
    private final Dispatcher dispatcher;
    private final Vertx vertx;
    private final String lockKey;

    public Reconciler(ExecutionQueue queue, ExecutionStore store, ExecutionEvents events, RedisLocks locks,
            WorkflowSettings settings, Dispatcher dispatcher, Vertx vertx, RedisNames names) {
        this.queue = queue;
        this.store = store;
        this.events = events;
        this.locks = locks;
        this.settings = settings;
        this.dispatcher = dispatcher;
        this.vertx = vertx;
        this.lockKey = names.key("workflow", "reconciler");
    }

    void start(@Observes StartupEvent startup) {
        vertx.setPeriodic(settings.reconcileInterval().toMillis(), t -> round().subscribe().with(ok -> { },
                e -> LOG.warnf("Reconciliation round failed: %s", e.getMessage())));
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
                .chain(ids -> queue.present(ids, false).chain(held -> {
                    List<String> missing = ids.stream().filter(id -> !held.contains(id)).toList();
                    return recoverAll(missing, "Redis lost its lease");
                }));
    }

    private Uni<Void> lostFromQueue() {
        return store.queuedSince(Times.now().minusSeconds(5), BATCH * 5)
                .chain(queued -> queue.present(queued.stream().map(ExecutionStore.Stranded::executionId).toList(), true)
                        .chain(present -> Multi.createFrom().iterable(queued)
                                .filter(q -> !present.contains(q.executionId()))
                                .onItem().transformToUniAndConcatenate(q -> {
                                    LOG.infof("Execution %s was queued in MySQL but not in Redis; queued again", q.executionId());
                                    return queue.enqueue(q.executionId(), q.priority(), q.createdAt());
                                })
                                .collect().asList().replaceWithVoid()));
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
                    : queue.release(executionId)
                            .chain(() -> queue.enqueue(executionId, e.priority(), e.createdAt()))
                            .chain(position -> {
                                LOG.infof("Execution %s resumes on another replica: %s", executionId, why);
                                return events.publish(executionId, EventType.EXECUTION_STATUS_UPDATE,
                                        events.payload(executionId).put("status", ExecutionStatus.QUEUED)
                                                .put("position", position).put("resuming", true).put("reason", why));
                            }));
        });
    }

    private Uni<Void> endAs(ExecutionStore.Stranded e, String status, String error, EventType type) {
        return store.endStranded(e, status, error, Times.now()).chain(ended -> !ended ? Uni.createFrom().voidItem()
                : queue.release(e.executionId()).chain(() -> events.publish(e.executionId(), type,
                        events.payload(e.executionId()).put("status", status).put("error", error))));
    }
}
