package dev.suite.workflow.executions;

import dev.suite.commons.db.GroupCommit;
import dev.suite.commons.db.MySqlErrors;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.quota.UnfinishedQuota;
import dev.suite.workflow.WorkflowSettings;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;

/**
 * Stores submitted executions: those arriving while an insert is in flight go together in the next
 * one, and the per-user cap on unfinished executions is checked by {@link UnfinishedQuota} — so a
 * busy submitter costs one small write per batch, not a count and a write per submit.
 */
@ApplicationScoped
public class Submissions {

    private static final Logger LOG = Logger.getLogger(Submissions.class);
    /** Executions inserted in one statement at most (twelve parameters each, far below MySQL's limit). */
    private static final int EXECUTIONS_PER_INSERT = 1_000;

    private final ExecutionStore store;
    private final WorkflowSettings settings;
    private final GroupCommit<ExecutionStore.NewExecution, Void> batch;
    private final UnfinishedQuota quota;

    public Submissions(ExecutionStore store, WorkflowSettings settings) {
        this.store = store;
        this.settings = settings;
        this.quota = new UnfinishedQuota(store::activeCount);
        this.batch = GroupCommit.inOrder(store::insert, EXECUTIONS_PER_INSERT);
    }

    /** Stores the execution as queued: 429 when its owner is at the cap, 503 when MySQL fails. */
    public Uni<Void> store(ExecutionStore.NewExecution execution) {
        return storeAll(execution.ownerId(), List.of(execution));
    }

    /** Stores executions of one owner as queued, all or none, in one statement with whatever else is waiting. */
    public Uni<Void> storeAll(String ownerId, List<ExecutionStore.NewExecution> executions) {
        return room(ownerId, executions.size()).chain(() -> batch.submitAll(executions)).replaceWithVoid()
                // A duplicate key is a trigger's firing made already: the caller answers that execution.
                .onFailure(e -> !(e instanceof ProblemException) && !MySqlErrors.isDuplicateKey(e)).transform(e -> {
                    // The database's words (its address among them) are for the log, not the caller.
                    LOG.errorf(e, "%d executions of %s could not be stored", executions.size(), ownerId);
                    return ProblemException.unavailable("The execution could not be stored; try again shortly.",
                            Duration.ofSeconds(5));
                });
    }

    /** 429 when the owner's unfinished executions would pass the cap with {@code adding} more. */
    public Uni<Void> room(String ownerId, int adding) {
        int max = settings.maxActivePerUser();
        return quota.admit(ownerId, adding, max).invoke(admitted -> {
            if (!admitted) {
                throw ProblemException.tooManyRequests("Quota of unfinished executions reached: you have " + max
                        + " queued or running (suite.workflow.max-active-per-user); wait for some to finish.",
                        Duration.ofSeconds(10));
            }
        }).replaceWithVoid();
    }
}
