package dev.suite.session.messages;

import dev.suite.commons.db.JsonColumns;
import dev.suite.commons.db.Placeholders;
import dev.suite.commons.db.Times;
import dev.suite.session.messages.dto.MessageResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The {@code chat_message} table, read and written with the reactive SQL client. */
@ApplicationScoped
public class MessageStore {

    /** Read by position in {@link #view}: this order matters. */
    static final String COLUMNS = "m.message_id, m.session_id, m.parent_id, m.role, m.content, m.thinking, "
            + "m.tool_calls, m.token_count, m.acc_token, m.ext, m.mcpdetail, m.created_at, m.updated_at";
    private static final int WIDTH = 13;

    /** A message's place in its session's tree. */
    public record Link(long seq, String messageId, String parentId) {
    }

    /** A message with its session's title: a search hit. */
    public record Hit(MessageResponse message, String sessionTitle) {
    }

    private final Pool pool;
    private final JsonColumns json;

    public MessageStore(Pool pool, JsonColumns json) {
        this.pool = pool;
        this.json = json;
    }

    public Uni<Void> insert(SqlClient db, String ownerId, List<MessageResponse> messages) {
        if (messages.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        StringBuilder sql = new StringBuilder("INSERT INTO chat_message (message_id, session_id, parent_id, role, "
                + "content, thinking, tool_calls, token_count, acc_token, ext, mcpdetail, created_at, updated_at, "
                + "owner_id) VALUES ");
        Tuple params = Tuple.tuple();
        for (int i = 0; i < messages.size(); i++) {
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
            MessageResponse m = messages.get(i);
            params.addString(m.messageId()).addString(m.sessionId()).addString(m.parentId()).addString(m.role())
                    .addString(m.content()).addString(m.thinking()).addString(json.write(m.toolCalls()))
                    .addInteger(m.tokenCount()).addLong(m.accToken()).addString(json.write(m.ext()))
                    .addString(json.write(m.mcpdetail())).addLocalDateTime(Times.column(m.createdAt()))
                    .addLocalDateTime(Times.column(m.updatedAt())).addString(ownerId);
        }
        return db.preparedQuery(sql.toString()).execute(params).replaceWithVoid();
    }

    /** Messages with these ids, in any session: to tell a repeated client id from a taken one. */
    public Uni<List<MessageResponse>> byIds(SqlClient db, String ownerId, List<String> messageIds) {
        if (messageIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Tuple params = Tuple.tuple();
        messageIds.forEach(params::addString);
        params.addString(ownerId);
        return db.preparedQuery("SELECT " + COLUMNS + " FROM chat_message m WHERE m.message_id IN ("
                        + Placeholders.of(messageIds.size()) + ") AND m.owner_id = ?")
                .execute(params).map(this::views);
    }

    /** The owner's message; {@code forUpdate} locks it and reads it as last committed, past the transaction's snapshot. */
    public Uni<Optional<MessageResponse>> find(SqlClient db, String ownerId, String messageId, boolean forUpdate) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM chat_message m WHERE m.message_id = ? AND m.owner_id = ?"
                        + (forUpdate ? " FOR UPDATE" : ""))
                .execute(Tuple.of(messageId, ownerId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(view(rows.iterator().next())));
    }

    /**
     * A page of the owner's messages of the session before {@code before} (a message id), newest
     * first: one index range read, no join. Empty for a session that is not the owner's, so an
     * empty page needs a second look to tell a 404 from the end.
     */
    public Uni<List<MessageResponse>> page(String ownerId, String sessionId, String before, int fetch) {
        String cursor = before == null ? "" : " AND m.seq < (SELECT seq FROM chat_message WHERE message_id = ? AND session_id = ?)";
        Tuple params = Tuple.of(sessionId, ownerId);
        if (before != null) {
            params.addString(before).addString(sessionId);
        }
        params.addInteger(fetch);
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM chat_message m WHERE m.session_id = ? AND m.owner_id = ?"
                + cursor + " ORDER BY m.seq DESC LIMIT ?").execute(params).map(this::views);
    }

    /** Where a new message goes: after the session's newest, after a given message of it, or as a root. */
    public record Placement(String kind, String parentId) {

        public static final Placement NEWEST = new Placement("newest", null);
        public static final Placement ROOT = new Placement("root", null);

        public static Placement after(String parentId) {
            return new Placement("parent", parentId);
        }
    }

    /** What the append rule did: nothing (the session is not the owner's, the parent not in it) or placed it. */
    public enum Outcome {
        PLACED, NO_SESSION, NO_PARENT
    }

    /** The append rule's answer: where the message landed, its running total and its session's type. */
    public record Placed(Outcome outcome, String parentId, long accToken, String sessionType) {
    }

    /**
     * One message after the session's newest in a transaction of its own, in one round trip
     * ({@code append_message_alone}, migration V4).
     */
    public Uni<Placed> appendAlone(String ownerId, MessageResponse m, Instant expiresIfTemporary) {
        return pool.preparedQuery("CALL append_message_alone(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .execute(Tuple.tuple().addString(m.messageId()).addString(m.sessionId()).addString(ownerId)
                        .addString(m.role()).addString(m.content()).addString(m.thinking())
                        .addString(json.write(m.toolCalls())).addInteger(m.tokenCount()).addString(json.write(m.ext()))
                        .addString(json.write(m.mcpdetail())).addLocalDateTime(Times.column(m.createdAt()))
                        .addLocalDateTime(Times.column(expiresIfTemporary)))
                .map(MessageStore::placed);
    }

    /** One message placed by the append rule ({@code append_message}, migration V4) inside the caller's transaction. */
    public Uni<Placed> append(SqlClient db, String ownerId, MessageResponse m, Placement placement, Instant expiresIfTemporary) {
        return db.preparedQuery("CALL append_message(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .execute(Tuple.tuple().addString(m.messageId()).addString(m.sessionId()).addString(ownerId)
                        .addString(placement.kind()).addString(placement.parentId())
                        .addString(m.role()).addString(m.content()).addString(m.thinking())
                        .addString(json.write(m.toolCalls())).addInteger(m.tokenCount()).addString(json.write(m.ext()))
                        .addString(json.write(m.mcpdetail())).addLocalDateTime(Times.column(m.createdAt()))
                        .addLocalDateTime(Times.column(expiresIfTemporary)))
                .map(MessageStore::placed);
    }

    private static Placed placed(RowSet<Row> rows) {
        Row row = rows.iterator().next();
        Outcome outcome = Outcome.valueOf(row.getString(0).toUpperCase(Locale.ROOT));
        return new Placed(outcome, row.getString(1), outcome == Outcome.PLACED ? row.getLong(2) : 0, row.getString(3));
    }

    /** Whether the message exists in the session (a cursor check). */
    public Uni<Boolean> inSession(SqlClient db, String sessionId, String messageId) {
        return db.preparedQuery("SELECT 1 FROM chat_message WHERE message_id = ? AND session_id = ?")
                .execute(Tuple.of(messageId, sessionId)).map(rows -> rows.size() > 0);
    }

    /** The shape of the session's message tree, in insertion order. */
    public Uni<List<Link>> links(SqlClient db, String sessionId) {
        return db.preparedQuery("SELECT seq, message_id, parent_id FROM chat_message WHERE session_id = ? ORDER BY seq")
                .execute(Tuple.of(sessionId)).map(rows -> {
                    List<Link> out = new ArrayList<>(rows.size());
                    rows.forEach(row -> out.add(new Link(row.getLong(0), row.getString(1), row.getString(2))));
                    return out;
                });
    }

    /** Messages by seq, oldest first. */
    public Uni<List<MessageResponse>> bySeq(SqlClient db, List<Long> seqs) {
        if (seqs.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Tuple params = Tuple.tuple();
        seqs.forEach(params::addLong);
        return db.preparedQuery("SELECT " + COLUMNS + " FROM chat_message m WHERE m.seq IN (" + Placeholders.of(seqs.size())
                + ") ORDER BY m.seq").execute(params).map(this::views);
    }

    public Uni<Void> update(SqlClient db, MessageResponse m) {
        return db.preparedQuery("UPDATE chat_message SET content = ?, thinking = ?, tool_calls = ?, token_count = ?, "
                        + "acc_token = ?, ext = ?, mcpdetail = ?, updated_at = ? WHERE message_id = ?")
                .execute(Tuple.tuple().addString(m.content()).addString(m.thinking()).addString(json.write(m.toolCalls()))
                        .addInteger(m.tokenCount()).addLong(m.accToken()).addString(json.write(m.ext()))
                        .addString(json.write(m.mcpdetail())).addLocalDateTime(Times.column(m.updatedAt()))
                        .addString(m.messageId()))
                .replaceWithVoid();
    }

    /** Shifts the running totals of these messages (descendants of one whose count changed). */
    public Uni<Void> shiftAccTokens(SqlClient db, List<Long> seqs, long delta) {
        if (seqs.isEmpty() || delta == 0) {
            return Uni.createFrom().voidItem();
        }
        Tuple params = Tuple.of(delta);
        seqs.forEach(params::addLong);
        return db.preparedQuery("UPDATE chat_message SET acc_token = acc_token + ? WHERE seq IN (" + Placeholders.of(seqs.size()) + ")")
                .execute(params).replaceWithVoid();
    }

    /** Moves the children of a message to its parent, before it is deleted. */
    public Uni<Void> reparent(SqlClient db, String sessionId, String messageId, String newParentId) {
        return db.preparedQuery("UPDATE chat_message SET parent_id = ? WHERE session_id = ? AND parent_id = ?")
                .execute(Tuple.of(newParentId, sessionId, messageId)).replaceWithVoid();
    }

    public Uni<Void> delete(SqlClient db, String messageId) {
        return db.preparedQuery("DELETE FROM chat_message WHERE message_id = ?")
                .execute(Tuple.of(messageId)).replaceWithVoid();
    }

    /**
     * The owner's messages matching a boolean-mode full-text query, newest first, with their
     * session's title; keyset-paged by a message id.
     */
    public Uni<List<Hit>> search(String ownerId, String booleanQuery, String before, int fetch) {
        String cursor = before == null ? "" : " AND m.seq < (SELECT seq FROM chat_message WHERE message_id = ? AND owner_id = ?)";
        Tuple params = Tuple.of(ownerId, booleanQuery);
        if (before != null) {
            params.addString(before).addString(ownerId);
        }
        params.addInteger(fetch);
        return pool.preparedQuery("SELECT " + COLUMNS + ", s.title FROM chat_message m JOIN chat_session s "
                        + "ON s.session_id = m.session_id WHERE m.owner_id = ? AND MATCH (m.content) AGAINST (? IN BOOLEAN MODE)"
                        + cursor + " ORDER BY m.seq DESC LIMIT ?")
                .execute(params).map(rows -> {
                    List<Hit> out = new ArrayList<>();
                    rows.forEach(row -> out.add(new Hit(view(row), row.getString(WIDTH))));
                    return out;
                });
    }

    /** Every message of the session, oldest first (export). */
    public Uni<List<MessageResponse>> all(SqlClient db, String sessionId) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM chat_message m WHERE m.session_id = ? ORDER BY m.seq")
                .execute(Tuple.of(sessionId)).map(this::views);
    }

    private List<MessageResponse> views(RowSet<Row> rows) {
        List<MessageResponse> out = new ArrayList<>(rows.size());
        rows.forEach(row -> out.add(view(row)));
        return out;
    }

    MessageResponse view(Row row) {
        Integer tokens = row.getInteger(7);
        return new MessageResponse(row.getString(0), row.getString(1), row.getString(2), row.getString(3),
                row.getString(4), row.getString(5), json.read(row.getString(6)), tokens, row.getLong(8),
                json.read(row.getString(9)), json.read(row.getString(10)), Times.instant(row.getLocalDateTime(11)),
                Times.instant(row.getLocalDateTime(12)));
    }

}
