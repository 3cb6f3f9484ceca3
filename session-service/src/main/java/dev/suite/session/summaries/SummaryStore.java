package dev.suite.session.summaries;

import dev.suite.commons.db.Times;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code chat_summary} table. */
@ApplicationScoped
public class SummaryStore {

    private static final String COLUMNS = "summary_id, session_id, content, first_message_id, last_message_id, "
            + "last_acc_token, covered_messages, token_count, llm_config_id, created_at";

    public Uni<Void> insert(SqlClient db, String ownerId, SummaryResponse s) {
        return db.preparedQuery("INSERT INTO chat_summary (" + COLUMNS + ", owner_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)")
                .execute(Tuple.tuple().addString(s.summaryId()).addString(s.sessionId()).addString(s.content())
                        .addString(s.firstMessageId()).addString(s.lastMessageId()).addLong(s.lastAccToken())
                        .addInteger(s.coveredMessages()).addInteger(s.tokenCount()).addString(s.llmConfigId())
                        .addLocalDateTime(Times.column(s.createdAt())).addString(ownerId))
                .replaceWithVoid();
    }

    /** The session's summaries, newest first. */
    public Uni<List<SummaryResponse>> list(SqlClient db, String sessionId) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM chat_summary WHERE session_id = ? ORDER BY summary_id DESC")
                .execute(Tuple.of(sessionId)).map(rows -> {
                    List<SummaryResponse> out = new ArrayList<>();
                    rows.forEach(row -> out.add(view(row)));
                    return out;
                });
    }

    public Uni<Optional<SummaryResponse>> latest(SqlClient db, String sessionId) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM chat_summary WHERE session_id = ? ORDER BY summary_id DESC LIMIT 1")
                .execute(Tuple.of(sessionId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(view(rows.iterator().next())));
    }

    private static SummaryResponse view(Row row) {
        return new SummaryResponse(row.getString(0), row.getString(1), row.getString(2), row.getString(3),
                row.getString(4), row.getLong(5), row.getInteger(6), row.getInteger(7), row.getString(8),
                Times.instant(row.getLocalDateTime(9)));
    }
}
