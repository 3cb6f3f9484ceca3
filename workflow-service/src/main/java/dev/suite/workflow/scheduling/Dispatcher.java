package dev.suite.workflow.scheduling;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.calls.Background;
import dev.suite.commons.calls.Caller;
import dev.suite.commons.crypto.SecretBox;
import dev.suite.commons.db.Times;
import dev.suite.commons.events.EventSubscriber;
import dev.suite.commons.ids.Ids;
import dev.suite.commons.queue.DispatchLoop;
import dev.suite.commons.queue.FairQueue;
import dev.suite.commons.redis.RedisNames;
import dev.suite.workflow.WorkflowSettings;
import dev.suite.workflow.approvals.ApprovalTimeouts;
import dev.suite.workflow.approvals.Approvals;
import dev.suite.workflow.caching.NodeCache;
import dev.suite.workflow.engine.ExecutionRun;
import dev.suite.workflow.engine.NodeRecord;
import dev.suite.workflow.engine.RunOutcome;
import dev.suite.workflow.engine.RunScope;
import dev.suite.workflow.engine.RunStatus;
import dev.suite.workflow.executions.ExecutionStatus;
import dev.suite.workflow.executions.ExecutionStore;
import dev.suite.workflow.executions.Journal;
import dev.suite.workflow.executions.RunRecorder;
import dev.suite.workflow.graph.GraphValidator;
import dev.suite.workflow.graph.Plan;
import dev.suite.workflow.realtime.EventType;
import dev.suite.workflow.realtime.ExecutionEvents;
import dev.suite.workflow.tracing.ExecutionSpans;
import dev.suite.workflow.tracing.TracedContexts;
import dev.suite.workflow.workflows.WorkflowStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This replica's share of the executions. It takes queued executions from Redis while it has room
 * ({@code replica-max-running}) and the suite is under {@code global-max-running}, marks them
 * running in MySQL under a fresh run token, runs them, and renews their leases. An execution whose
 * lease this replica lost (it was too slow to renew, and the reconciler handed the execution on)
 * is stopped here without writing anything more. Interrupts reach it from any replica, by pub/sub
 * and, should that be lost, by the flag in MySQL checked with each renewal.
 */
@ApplicationScoped
public class Dispatcher {

    public static final String INTERRUPT = "workflow.execution.interrupt";
    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    /** An execution running here, the token its writes carry, and the span of its run here. */
    private record Active(String executionId, String runToken, ExecutionRun run, Instant startedAt,
            AtomicBoolean lost, AtomicBoolean ending, Span span) {
    }

    private final FairQueue queue;
    private final ExecutionStore store;
    private final WorkflowStore workflows;
    private final Journal journal;
    private final ExecutionEvents events;
    private final GraphValidator validator;
    private final SecretBox secrets;
    private final EventSubscriber subscriber;
    private final WorkflowSettings settings;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final String replicaId;
    private final ExecutionRun.Limits limits;
    private final Map<String, Active> active = new ConcurrentHashMap<>();
    private final DispatchLoop loop = new DispatchLoop("executions", this::round);
    private volatile boolean stopping;
    private final String controlChannel;
    private final MeterRegistry metrics;
    private final ApprovalTimeouts approvalTimeouts;
    private final Approvals approvals;
    private final NodeCache nodeCache;
    private final ExecutionSpans spans;

    public Dispatcher(FairQueue queue, ExecutionStore store, WorkflowStore workflows, Journal journal,
            ExecutionEvents events, GraphValidator validator, SecretBox secrets, EventSubscriber subscriber,
            WorkflowSettings settings, ObjectMapper mapper, Vertx vertx, RedisNames names, MeterRegistry metrics,
            ApprovalTimeouts approvalTimeouts, Approvals approvals, NodeCache nodeCache, ExecutionSpans spans) {
        this.queue = queue;
        this.spans = spans;
        this.nodeCache = nodeCache;
        this.approvalTimeouts = approvalTimeouts;
        this.approvals = approvals;
        this.store = store;
        this.workflows = workflows;
        this.journal = journal;
        this.events = events;
        this.validator = validator;
        this.secrets = secrets;
        this.subscriber = subscriber;
        this.settings = settings;
        this.mapper = mapper;
        this.vertx = vertx;
        this.replicaId = replicaName();
        this.limits = new ExecutionRun.Limits(settings.nodeConcurrency(), settings.streamBuffer(), settings.nodeTimeout(),
                settings.maxDepth(), settings.maxNodeRuns());
        this.controlChannel = names.channel("workflow", "control");
        this.metrics = metrics;
        metrics.gauge("workflow.executions.running.here", active, Map::size);
    }

    private static String replicaName() {
        String host = System.getenv().getOrDefault("HOSTNAME", "replica");
        return (host.length() > 40 ? host.substring(0, 40) : host) + "-" + Ids.newId().substring(24);
    }

    public String replicaId() {
        return replicaId;
    }

    public String controlChannel() {
        return controlChannel;
    }

    void start(@Observes StartupEvent startup) {
        subscriber.subscribe(controlChannel, event -> {
            if (INTERRUPT.equals(event.type()) && event.subject() != null) {
                interrupt(event.subject());
            }
        }, () -> { });
        loop.start(vertx, subscriber, queue.wakeChannel(), Duration.ofSeconds(1));
        long renewEvery = Math.max(200, settings.lease().toMillis() / 3);
        vertx.setPeriodic(renewEvery, t -> renewLeases());
    }

    /** Hands this replica's executions back to the queue on a graceful stop, so another replica resumes them now. */
    void stop(@Observes ShutdownEvent shutdown) {
        stopping = true;
        loop.stop(vertx);
        List<Uni<Void>> handovers = new ArrayList<>();
        for (Active a : active.values()) {
            a.lost().set(true);
            handovers.add(store.stranded(a.executionId()).chain(found -> found
                    .filter(s -> a.runToken().equals(s.runToken()))
                    .map(s -> store.requeue(s).chain(requeued -> queue.release(List.of(a.executionId()))
                            .chain(() -> requeued ? queue.enqueue(ExecutionQueue.LANE, s.ownerId(), List.of(new FairQueue.Entry(
                                    s.executionId(), s.priority(), s.createdAt()))).replaceWithVoid() : Uni.createFrom().voidItem())))
                    .orElse(Uni.createFrom().voidItem()))
                    .onFailure().recoverWithNull().replaceWithVoid());
            a.run().interrupt();
        }
        if (!handovers.isEmpty()) {
            Uni.join().all(handovers).andCollectFailures().replaceWithVoid()
                    .await().atMost(Duration.ofSeconds(5));
            LOG.infof("Handed %d running executions back to the queue", handovers.size());
        }
    }

    /** Asks for a dispatch round: room freed here, or something to look at now. */
    public void dispatch() {
        loop.wake();
    }

    /** One dispatch round: takes what the queue offers while there is room here. */
    private Uni<Boolean> round() {
        int room = settings.replicaMaxRunning() - active.size();
        if (stopping || room <= 0) {
            return Uni.createFrom().item(false);
        }
        String token = Ids.newId();
        return queue.claim(List.of(new FairQueue.Lane(ExecutionQueue.LANE, room, true)), settings.globalMaxRunning(),
                        settings.maxRunningPerUser(), room, settings.lease())
                .chain(popped -> popped.isEmpty() ? Uni.createFrom().item(false) : record(popped, token).replaceWith(true));
    }

    /** Marks what was popped as running here in MySQL and starts it; on failure puts it back in the queue. */
    private Uni<Void> record(List<FairQueue.Claimed> popped, String token) {
        List<String> ids = popped.stream().map(FairQueue.Claimed::id).toList();
        return store.claim(ids, token, replicaId, Times.now())
                .onFailure().call(e -> queue.unclaim(popped).onFailure().recoverWithNull())
                .chain(claimed -> {
                    Set<String> taken = new HashSet<>();
                    claimed.forEach(c -> taken.add(c.executionId()));
                    claimed.forEach(c -> begin(c, token));
                    // Popped in Redis but no longer queued in MySQL (interrupted or deleted meanwhile).
                    return queue.release(ids.stream().filter(id -> !taken.contains(id)).toList());
                });
    }

    private void begin(ExecutionStore.Claimed claimed, String token) {
        String id = claimed.executionId();
        Span span = spans.start(claimed);
        Plan plan;
        try {
            plan = validator.compile(workflows.read(claimed.graph()));
        } catch (RuntimeException e) {
            // The node catalog changed since the graph was checked at submit.
            end(new Active(id, token, null, Times.now(), new AtomicBoolean(), new AtomicBoolean(), span),
                    new RunOutcome(RunStatus.FAILED, mapper.createObjectNode(), "the graph is no longer valid: " + e.getMessage()));
            return;
        }
        Uni<Map<String, NodeRecord>> resumed = claimed.continues() ? store.finishedNodes(id) : Uni.createFrom().item(Map.of());
        resumed.subscribe().with(finished -> {
            Caller caller = new Caller(claimed.ownerId(), claimed.callerAuth() == null ? null
                    : secrets.open(claimed.callerAuth(), id), null);
            RunRecorder recorder = new RunRecorder(id, journal, events, mapper, settings.inlineOutputBytes(), approvalTimeouts);
            ExecutionRun run = new ExecutionRun(plan, id, claimed.inputs(), caller,
                    RunScope.root(claimed.workflowId(), limits.maxNodeRuns()), recorder, limits, validator::compile,
                    finished, nodeCache.of(claimed.ownerId()), spans.nodesOf(span), vertx);
            Active a = new Active(id, token, run, Times.now(), new AtomicBoolean(), new AtomicBoolean(), span);
            active.put(id, a);
            ObjectNode status = events.payload(id).put("status", ExecutionStatus.RUNNING).put("replica_id", replicaId);
            if (claimed.resumes() > 0) {
                status.put("resumed", true).put("nodes_kept", finished.size());
            }
            // Started where its span is current, so what the run publishes, and the nodes it starts, are in its trace.
            TracedContexts.run(vertx, span, () -> {
                Background.run(events.publish(id, EventType.EXECUTION_STATUS_UPDATE, status), LOG, "Announcing execution " + id);
                if (claimed.interruptRequested()) {
                    run.interrupt();
                }
                run.start().subscribe().with(outcome -> end(a, outcome),
                        e -> end(a, new RunOutcome(RunStatus.FAILED, mapper.createObjectNode(), "engine failure: " + e)));
            });
        }, e -> {
            LOG.warnf("Could not load the finished nodes of %s: %s; its lease will lapse and it will be resumed", id,
                    e.getMessage());
            ExecutionSpans.end(span, ExecutionSpans.LOST, null);
        });
    }

    /** Writes the end (while the token holds), tells the clients, and frees the lease and the slot. */
    private void end(Active a, RunOutcome outcome) {
        a.ending().set(true);
        if (a.lost().get()) {
            ExecutionSpans.end(a.span(), ExecutionSpans.LOST, null);
            active.remove(a.executionId(), a);
            dispatch();
            return;
        }
        if (outcome.status() == RunStatus.WAITING) {
            pause(a);
            return;
        }
        String status = switch (outcome.status()) {
            case COMPLETED -> ExecutionStatus.COMPLETED;
            case FAILED -> ExecutionStatus.FAILED;
            default -> ExecutionStatus.INTERRUPTED;
        };
        Instant now = Times.now();
        // MySQL away: keep trying while the lease is held (renewals go on meanwhile); each try adds
        // the end to the journal again.
        Uni.createFrom().deferred(() -> journal.finish(a.executionId(), a.runToken(), status, outcome.outputs().toString(),
                        outcome.error(), now))
                .onFailure(e -> !a.lost().get() && !stopping).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).indefinitely()
                .call(matched -> {
                    metrics.timer("workflow.executions.finished", "status", status)
                            .record(Duration.between(a.startedAt(), now));
                    if (!matched) {
                        LOG.infof("Execution %s was taken over by another replica; its end here is not recorded",
                                a.executionId());
                        return Uni.createFrom().voidItem();
                    }
                    ObjectNode payload = events.payload(a.executionId()).put("status", status)
                            .put("duration_ms", Duration.between(a.startedAt(), now).toMillis());
                    EventType type = switch (outcome.status()) {
                        case COMPLETED -> EventType.EXECUTION_COMPLETE;
                        case FAILED -> EventType.EXECUTION_ERROR;
                        default -> EventType.EXECUTION_INTERRUPTED;
                    };
                    payload.set("outputs", outcome.outputs());
                    if (outcome.error() != null) {
                        payload.put("error", outcome.error());
                    }
                    return publish(a, type, payload);
                })
                .call(() -> a.lost().get() ? Uni.createFrom().voidItem() : queue.release(List.of(a.executionId())))
                .subscribe().with(matched -> {
                    ExecutionSpans.end(a.span(), matched ? status : ExecutionSpans.LOST, outcome.error());
                    active.remove(a.executionId(), a);
                    dispatch();
                }, e -> {
                    LOG.warnf("Could not record the end of %s: %s; its lease will lapse and the reconciler will act",
                            a.executionId(), e.getMessage());
                    ExecutionSpans.end(a.span(), ExecutionSpans.LOST, null);
                    active.remove(a.executionId(), a);
                    dispatch();
                });
    }

    /**
     * Pauses an execution whose only nodes left wait for a person: written as waiting (after its
     * node rows) without a run token, its lease and slot freed — no replica holds it while it waits.
     * A decision that came while it still ran continues it at once.
     */
    private void pause(Active a) {
        Uni.createFrom().deferred(() -> journal.finish(a.executionId(), a.runToken(), ExecutionStatus.WAITING, null, null, null))
                .onFailure(e -> !a.lost().get() && !stopping).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).indefinitely()
                .call(matched -> !matched ? Uni.createFrom().voidItem()
                        : publish(a, EventType.EXECUTION_STATUS_UPDATE,
                                        events.payload(a.executionId()).put("status", ExecutionStatus.WAITING))
                                .chain(() -> queue.release(List.of(a.executionId())))
                                .chain(() -> approvals.continueIfDecided(a.executionId())))
                .subscribe().with(matched -> {
                    ExecutionSpans.end(a.span(), matched ? ExecutionStatus.WAITING : ExecutionSpans.LOST, null);
                    active.remove(a.executionId(), a);
                    dispatch();
                }, e -> {
                    LOG.warnf("Could not record the pause of %s: %s; its lease will lapse and the reconciler will act",
                            a.executionId(), e.getMessage());
                    ExecutionSpans.end(a.span(), ExecutionSpans.LOST, null);
                    active.remove(a.executionId(), a);
                    dispatch();
                });
    }

    /** Publishes an event of the execution in its run's span, whichever context the run ended on. */
    private Uni<Void> publish(Active a, EventType type, ObjectNode payload) {
        try (Scope ignored = ExecutionSpans.current(a.span())) {
            return events.publish(a.executionId(), type, payload);
        }
    }

    /** Stops an execution running here (an interrupt asked of any replica). */
    public void interrupt(String executionId) {
        Active a = active.get(executionId);
        if (a != null && a.run() != null) {
            a.run().interrupt();
        }
    }

    private void renewLeases() {
        List<String> ids = new ArrayList<>(active.keySet());
        if (ids.isEmpty()) {
            return;
        }
        queue.renew(ids, settings.lease())
                .invoke(lost -> lost.forEach(id -> {
                    Active a = active.get(id);
                    // An execution that is ending released its lease itself.
                    if (a != null && !a.ending().get() && a.lost().compareAndSet(false, true)) {
                        LOG.warnf("Lost the lease of execution %s (another replica has it now); stopping it here", id);
                        a.run().interrupt();
                    }
                }))
                .chain(() -> store.interruptRequested(ids))
                .subscribe().with(requested -> requested.forEach(this::interrupt),
                        e -> LOG.warnf("Could not renew execution leases: %s", e.getMessage()));
    }
}
