package dev.suite.workflow.executions;

import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.db.GroupCommit;
import dev.suite.workflow.WorkflowSettings;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stores submitted executions: those arriving within a few milliseconds of each other are
 * inserted in one statement, and the per-user cap on unfinished executions is checked against a
 * count read at most once a second per user (plus what this replica added since) — so a busy
 * submitter costs one small write per batch, not a count and a write per submit. The cap is
 * approximate by what other replicas added within that second.
 */
@ApplicationScoped
public class Submissions {

    private static final Logger LOG = Logger.getLogger(Submissions.class);
    private static final long COUNT_FOR_MILLIS = 1_000;
    /** Executions inserted in one statement at most (nine parameters each, far below MySQL's limit). */
    private static final int EXECUTIONS_PER_INSERT = 1_000;

    /** A user's unfinished executions as last counted, and how many this replica added since. */
    private static final class Active {
        final long countedAt;
        final long counted;
        long added;

        Active(long countedAt, long counted) {
            this.countedAt = countedAt;
            this.counted = counted;
        }
    }

    private final ExecutionStore store;
    private final WorkflowSettings settings;
    private final GroupCommit<ExecutionStore.NewExecution, Void> batch;
    private final Map<String, Active> active = new ConcurrentHashMap<>();

    public Submissions(ExecutionStore store, WorkflowSettings settings) {
        this.store = store;
        this.settings = settings;
        this.batch = GroupCommit.inOrder(store::insert, EXECUTIONS_PER_INSERT);
    }

    /** Stores the execution as queued: 429 when its owner is at the cap, 503 when MySQL fails. */
    public Uni<Void> store(ExecutionStore.NewExecution execution) {
        return storeAll(execution.ownerId(), List.of(execution));
    }

    /** Stores executions of one owner as queued, all or none, in one statement with whatever else is waiting. */
    public Uni<Void> storeAll(String ownerId, List<ExecutionStore.NewExecution> executions) {
        return room(ownerId, executions.size()).chain(() -> batch.submitAll(executions)).replaceWithVoid()
                .onFailure(e -> !(e instanceof ProblemException)).transform(e -> {
                    // The database's words (its address among them) are for the log, not the caller.
                    LOG.errorf(e, "%d executions of %s could not be stored", executions.size(), ownerId);
                    return ProblemException.unavailable("The execution could not be stored; try again shortly.",
                            Duration.ofSeconds(5));
                });
    }

    private Uni<Void> room(String ownerId, int adding) {
        int max = settings.maxActivePerUser();
        long now = System.currentTimeMillis();
        Active known = active.get(ownerId);
        Uni<Active> current = known != null && now - known.countedAt < COUNT_FOR_MILLIS ? Uni.createFrom().item(known)
                : store.activeCount(ownerId, max).map(count -> {
                    Active fresh = new Active(now, count);
                    active.put(ownerId, fresh);
                    return fresh;
                });
        return current.invoke(a -> {
            synchronized (a) {
                if (a.counted + a.added + adding > max) {
                    throw ProblemException.tooManyRequests("Quota of unfinished executions reached: you have " + max
                            + " queued or running (suite.workflow.max-active-per-user); wait for some to finish.",
                            Duration.ofSeconds(10));
                }
                a.added += adding;
            }
        }).replaceWithVoid();
    }
}
