package dev.suite.session.sessions;

import dev.suite.commons.db.Placeholders;
import dev.suite.commons.db.Times;
import dev.suite.session.sessions.dto.SessionResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code chat_session} table, read and written with the reactive SQL client. */
@ApplicationScoped
public class SessionStore {

    /** Read by position in {@link #view}: this order matters. */
    static final String COLUMNS = "session_id, title, name, llm_config_id, session_type, avatar, system_prompt, "
            + "media_output_path, role_id, expires_at, created_at, updated_at";

    /** A session that was purged or deleted, for the events that follow. */
    public record Removed(String ownerId, String sessionId) {
    }

    private final Pool pool;

    public SessionStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insert(SqlClient db, String ownerId, SessionResponse s) {
        return db.preparedQuery("INSERT INTO chat_session (" + COLUMNS + ", owner_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")
                .execute(Tuple.from(values(s)).addString(ownerId))
                .replaceWithVoid();
    }

    public Uni<Void> update(SqlClient db, String ownerId, SessionResponse s) {
        List<Object> values = values(s);
        values.remove(0);
        values.add(s.sessionId());
        values.add(ownerId);
        return db.preparedQuery("UPDATE chat_session SET title = ?, name = ?, llm_config_id = ?, session_type = ?, "
                        + "avatar = ?, system_prompt = ?, media_output_path = ?, role_id = ?, expires_at = ?, "
                        + "created_at = ?, updated_at = ? WHERE session_id = ? AND owner_id = ?")
                .execute(Tuple.from(values))
                .replaceWithVoid();
    }

    /** The owner's session; another owner's is as absent as a missing one. */
    public Uni<Optional<SessionResponse>> find(SqlClient db, String ownerId, String sessionId, boolean forUpdate) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM chat_session WHERE session_id = ? AND owner_id = ?"
                        + (forUpdate ? " FOR UPDATE" : ""))
                .execute(Tuple.of(sessionId, ownerId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(view(rows.iterator().next())));
    }

    public Uni<Optional<SessionResponse>> find(String ownerId, String sessionId) {
        return find(pool, ownerId, sessionId, false);
    }

    /** Newest-updated first, keyset-paged; fetches {@code fetch} rows (one more than shown). */
    public Uni<List<SessionResponse>> page(String ownerId, String type, SessionCursor before, int fetch) {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS)
                .append(" FROM chat_session WHERE owner_id = ?");
        Tuple params = Tuple.of(ownerId);
        if (type != null) {
            sql.append(" AND session_type = ?");
            params.addString(type);
        }
        if (before != null) {
            sql.append(" AND (updated_at < ? OR (updated_at = ? AND session_id < ?))");
            params.addLocalDateTime(Times.column(before.updatedAt())).addLocalDateTime(Times.column(before.updatedAt()))
                    .addString(before.sessionId());
        }
        sql.append(" ORDER BY updated_at DESC, session_id DESC LIMIT ?");
        params.addInteger(fetch);
        return pool.preparedQuery(sql.toString()).execute(params).map(rows -> {
            List<SessionResponse> out = new ArrayList<>();
            for (Row row : rows) {
                out.add(view(row));
            }
            return out;
        });
    }

    /** Deletes the session; its messages, summaries and tool claims go with it (foreign keys). */
    public Uni<Boolean> delete(String ownerId, String sessionId) {
        return pool.preparedQuery("DELETE FROM chat_session WHERE session_id = ? AND owner_id = ?")
                .execute(Tuple.of(sessionId, ownerId))
                .map(rows -> rows.rowCount() > 0);
    }

    /**
     * Marks activity: a message written moves the session to the top of the list and, for a
     * temporary session, pushes its expiry back. The row lock it takes also orders concurrent writes
     * to one session's messages.
     */
    public Uni<Boolean> touch(SqlClient db, String ownerId, String sessionId, Instant now, Duration temporaryTtl) {
        return db.preparedQuery("UPDATE chat_session SET updated_at = ?, "
                        + "expires_at = CASE WHEN session_type = 'temporary' THEN ? ELSE NULL END "
                        + "WHERE session_id = ? AND owner_id = ?")
                .execute(Tuple.of(Times.column(now), Times.column(now.plus(temporaryTtl)), sessionId, ownerId))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Of the given ids, those that are sessions of this owner. */
    public Uni<List<String>> owned(String ownerId, List<String> sessionIds) {
        if (sessionIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Tuple params = Tuple.of(ownerId);
        sessionIds.forEach(params::addString);
        return pool.preparedQuery("SELECT session_id FROM chat_session WHERE owner_id = ? AND session_id IN (" + Placeholders.of(sessionIds.size()) + ")")
                .execute(params)
                .map(rows -> {
                    List<String> out = new ArrayList<>();
                    rows.forEach(row -> out.add(row.getString(0)));
                    return out;
                });
    }

    /** Expired temporary sessions, oldest expiry first, at most {@code limit}. */
    public Uni<List<Removed>> expired(Instant now, int limit) {
        return pool.preparedQuery("SELECT owner_id, session_id FROM chat_session WHERE expires_at < ? "
                        + "ORDER BY expires_at LIMIT ?")
                .execute(Tuple.of(Times.column(now), limit))
                .map(rows -> {
                    List<Removed> out = new ArrayList<>();
                    rows.forEach(row -> out.add(new Removed(row.getString(0), row.getString(1))));
                    return out;
                });
    }

    /** Deletes the session if it is still expired (a message may have arrived since it was listed). */
    public Uni<Boolean> deleteIfExpired(String sessionId, Instant now) {
        return pool.preparedQuery("DELETE FROM chat_session WHERE session_id = ? AND expires_at < ?")
                .execute(Tuple.of(sessionId, Times.column(now)))
                .map(rows -> rows.rowCount() > 0);
    }

    private static List<Object> values(SessionResponse s) {
        List<Object> values = new ArrayList<>();
        values.add(s.sessionId());
        values.add(s.title());
        values.add(s.name());
        values.add(s.llmConfigId());
        values.add(s.sessionType());
        values.add(s.avatar());
        values.add(s.systemPrompt());
        values.add(s.mediaOutputPath());
        values.add(s.roleId());
        values.add(Times.column(s.expiresAt()));
        values.add(Times.column(s.createdAt()));
        values.add(Times.column(s.updatedAt()));
        return values;
    }

    static SessionResponse view(Row row) {
        return new SessionResponse(row.getString(0), row.getString(1), row.getString(2), row.getString(3),
                row.getString(4), row.getString(5), row.getString(6), row.getString(7), row.getString(8),
                Times.instant(row.getLocalDateTime(9)), Times.instant(row.getLocalDateTime(10)),
                Times.instant(row.getLocalDateTime(11)));
    }
}
