package dev.suite.workflow.approvals;

import dev.suite.commons.calls.Background;
import dev.suite.commons.db.Times;
import dev.suite.commons.redis.RedisNames;
import dev.suite.commons.timer.DueLoop;
import dev.suite.commons.timer.DueSet;
import dev.suite.workflow.WorkflowSettings;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The deadlines of nodes waiting for a person, on the suite's shared timer: the node run's
 * {@code waiting_until} in MySQL is the truth, Redis wakes a replica then. A deadline met while its
 * execution still runs other branches (or before the waiting row is written) is looked at again a
 * second later.
 */
@ApplicationScoped
public class ApprovalTimeouts {

    private static final Logger LOG = Logger.getLogger(ApprovalTimeouts.class);
    private static final int BATCH = 100;
    private static final Duration MAX_IDLE = Duration.ofSeconds(1);
    private static final Duration AGAIN = Duration.ofSeconds(1);

    private final ApprovalStore store;
    private final Approvals approvals;
    private final WorkflowSettings settings;
    private final Vertx vertx;
    private final DueLoop loop;

    public ApprovalTimeouts(ApprovalStore store, Approvals approvals, WorkflowSettings settings, Vertx vertx,
            ReactiveRedisDataSource redis, RedisNames names) {
        this.store = store;
        this.approvals = approvals;
        this.settings = settings;
        this.vertx = vertx;
        this.loop = new DueLoop("approval deadlines", new DueSet(redis, names.key("workflow", "approvals", "due")),
                this::expire, BATCH, settings.scheduleLease(), MAX_IDLE);
    }

    static String key(String executionId, String nodeId) {
        return executionId + "/" + nodeId;
    }

    void start(@Observes StartupEvent event) {
        loop.start(vertx);
    }

    void stop(@Observes ShutdownEvent event) {
        loop.stop();
    }

    /** A node started waiting; with a deadline, the timer holds it (Redis away: restored from MySQL). */
    public void waiting(String executionId, String nodeId, Instant until) {
        if (until != null) {
            Background.run(loop.put(key(executionId, nodeId), until), LOG, "Arming the deadline of " + key(executionId, nodeId));
        }
    }

    @Scheduled(every = "${suite.workflow.reconcile-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> restore() {
        return loop.restore(store.deadlinesBefore(Times.now().plus(settings.reconcileInterval().multipliedBy(2)), 10_000));
    }

    private Uni<Map<String, Instant>> expire(List<DueSet.Due> due, Instant now) {
        Map<String, Instant> next = new HashMap<>();
        return Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(d -> {
            int slash = d.id().indexOf('/');
            return approvals.timeout(d.id().substring(0, slash), d.id().substring(slash + 1))
                    .onFailure().recoverWithItem(e -> {
                        LOG.warnf("Deadline of %s not applied yet: %s", d.id(), e.getMessage());
                        return false;
                    })
                    .invoke(handled -> next.put(d.id(), handled ? null : now.plus(AGAIN)));
        }).collect().last().replaceWith(next);
    }
}
