package dev.suite.session.tools;

import dev.suite.commons.db.MySqlErrors;
import dev.suite.commons.db.Times;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Optional;

/** Claims on executing a message's tool calls ({@code tool_execution}). */
@ApplicationScoped
public class ExecutionStore {

    public static final String RUNNING = "running";
    public static final String DONE = "done";

    /** A claim as stored: its status, when it started, and the results once done (a JSON array of ids). */
    public record Claim(String status, Instant startedAt, String resultIds) {
    }

    private final Pool pool;

    public ExecutionStore(Pool pool) {
        this.pool = pool;
    }

    /** Takes the claim; false when someone holds or held it. */
    public Uni<Boolean> claim(String messageId, Instant now) {
        return pool.preparedQuery("INSERT INTO tool_execution (message_id, status, started_at) VALUES (?, ?, ?)")
                .execute(Tuple.of(messageId, RUNNING, Times.column(now)))
                .replaceWith(true)
                .onFailure(MySqlErrors::isDuplicateKey).recoverWithItem(false);
    }

    /** Takes over a running claim that started before {@code staleBefore} (its replica died). */
    public Uni<Boolean> takeOver(String messageId, Instant staleBefore, Instant now) {
        return pool.preparedQuery("UPDATE tool_execution SET started_at = ? WHERE message_id = ? AND status = ? "
                        + "AND started_at < ?")
                .execute(Tuple.of(Times.column(now), messageId, RUNNING, Times.column(staleBefore)))
                .map(rows -> rows.rowCount() > 0);
    }

    public Uni<Optional<Claim>> find(String messageId) {
        return pool.preparedQuery("SELECT status, started_at, result_ids FROM tool_execution WHERE message_id = ?")
                .execute(Tuple.of(messageId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(new Claim(rows.iterator().next().getString(0),
                        Times.instant(rows.iterator().next().getLocalDateTime(1)), rows.iterator().next().getString(2))));
    }

    public Uni<Void> done(String messageId, String resultIds, Instant now) {
        return pool.preparedQuery("UPDATE tool_execution SET status = ?, finished_at = ?, result_ids = ? WHERE message_id = ?")
                .execute(Tuple.of(DONE, Times.column(now), resultIds, messageId)).replaceWithVoid();
    }

    /** Gives the claim up after a failure that wrote nothing, so the execute can be retried. */
    public Uni<Void> release(String messageId) {
        return pool.preparedQuery("DELETE FROM tool_execution WHERE message_id = ? AND status = ?")
                .execute(Tuple.of(messageId, RUNNING)).replaceWithVoid();
    }
}
