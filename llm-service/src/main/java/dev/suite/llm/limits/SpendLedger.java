package dev.suite.llm.limits;

import dev.suite.commons.db.Times;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * What a scope spent since an instant, summed from the usage rows: the truth the Redis counters start from.
 * Usage rows are written in batches, so a Redis that forgets its counters also forgets the spend of the
 * last flush interval ({@code suite.llm.usage.flush-interval}) — a budget may run over by that much once.
 */
@ApplicationScoped
public class SpendLedger {

    private final Pool pool;

    public SpendLedger(Pool pool) {
        this.pool = pool;
    }

    /** Billionths of a dollar spent by the scope since {@code since}; calls of unpriced models count as 0. */
    public Uni<Long> spent(Scope scope, String ownerId, Instant since) {
        // The column is picked from a fixed set, never from user text.
        String column = switch (scope.kind()) {
            case "config" -> "config_id";
            case "group" -> "group_id";
            default -> "owner_id";
        };
        return pool.preparedQuery("SELECT COALESCE(SUM(cost_nanos), 0) FROM llm_usage WHERE owner_id = ? AND "
                        + column + " = ? AND created_at >= ?")
                .execute(Tuple.of(ownerId, scope.id(), Times.column(since)))
                .map(rows -> rows.iterator().next().getLong(0));
    }
}
