package dev.suite.session.roundtables;

import dev.suite.commons.db.Placeholders;
import dev.suite.commons.db.Times;
import dev.suite.session.roundtables.dto.Participant;
import dev.suite.session.roundtables.dto.RoundtableMessage;
import dev.suite.session.roundtables.dto.RoundtableResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The roundtable tables: roundtables, their participants and their messages. */
@ApplicationScoped
public class RoundtableStore {

    private static final String COLUMNS = "roundtable_id, title, topic, turn_order, max_rounds, max_messages, "
            + "stop_keyword, token_budget, stop_reason, created_at, updated_at";
    private static final String MESSAGE_COLUMNS = "message_id, roundtable_id, participant_id, speaker, role, content, "
            + "token_count, round, created_at";

    private final Pool pool;

    public RoundtableStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insert(SqlClient db, String ownerId, RoundtableResponse r) {
        return db.preparedQuery("INSERT INTO roundtable (" + COLUMNS + ", owner_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
                .execute(Tuple.tuple().addString(r.roundtableId()).addString(r.title()).addString(r.topic())
                        .addString(r.turnOrder()).addInteger(r.maxRounds()).addInteger(r.maxMessages())
                        .addString(r.stopKeyword()).addInteger(r.tokenBudget()).addString(r.stopReason())
                        .addLocalDateTime(Times.column(r.createdAt())).addLocalDateTime(Times.column(r.updatedAt()))
                        .addString(ownerId))
                .chain(() -> insertParticipants(db, r));
    }

    /** Writes what a client may set; the stop reason stays the discussions' to write. Participants are replaced. */
    public Uni<Void> update(SqlClient db, RoundtableResponse r) {
        return db.preparedQuery("UPDATE roundtable SET title = ?, topic = ?, turn_order = ?, max_rounds = ?, "
                        + "max_messages = ?, stop_keyword = ?, token_budget = ?, updated_at = ? WHERE roundtable_id = ?")
                .execute(Tuple.tuple().addString(r.title()).addString(r.topic()).addString(r.turnOrder())
                        .addInteger(r.maxRounds()).addInteger(r.maxMessages()).addString(r.stopKeyword())
                        .addInteger(r.tokenBudget()).addLocalDateTime(Times.column(r.updatedAt()))
                        .addString(r.roundtableId()))
                .chain(() -> db.preparedQuery("DELETE FROM roundtable_participant WHERE roundtable_id = ?")
                        .execute(Tuple.of(r.roundtableId())))
                .chain(() -> insertParticipants(db, r));
    }

    private Uni<Void> insertParticipants(SqlClient db, RoundtableResponse r) {
        StringBuilder sql = new StringBuilder("INSERT INTO roundtable_participant (participant_id, roundtable_id, name, "
                + "llm_config_id, role_prompt, position, moderator) VALUES ");
        Tuple params = Tuple.tuple();
        for (int i = 0; i < r.participants().size(); i++) {
            Participant p = r.participants().get(i);
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?)");
            params.addString(p.participantId()).addString(r.roundtableId()).addString(p.name())
                    .addString(p.llmConfigId()).addString(p.rolePrompt()).addInteger(p.order()).addBoolean(p.moderator());
        }
        return db.preparedQuery(sql.toString()).execute(params).replaceWithVoid();
    }

    /** The owner's roundtable with its participants; {@code forUpdate} locks its row, read as last committed. */
    public Uni<Optional<RoundtableResponse>> find(SqlClient db, String ownerId, String roundtableId, boolean forUpdate) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM roundtable WHERE roundtable_id = ? AND owner_id = ?"
                        + (forUpdate ? " FOR UPDATE" : ""))
                .execute(Tuple.of(roundtableId, ownerId))
                .chain(rows -> rows.size() == 0 ? Uni.createFrom().item(Optional.<RoundtableResponse>empty())
                        : participants(db, roundtableId).map(ps -> Optional.of(view(rows.iterator().next(), ps))));
    }

    /** Newest first, keyset-paged by id, with their participants. */
    public Uni<List<RoundtableResponse>> page(String ownerId, String before, int fetch) {
        Tuple params = Tuple.of(ownerId);
        if (before != null) {
            params.addString(before);
        }
        params.addInteger(fetch);
        return pool.withConnection(db -> db.preparedQuery("SELECT " + COLUMNS + " FROM roundtable WHERE owner_id = ?"
                        + (before != null ? " AND roundtable_id < ?" : "") + " ORDER BY roundtable_id DESC LIMIT ?")
                .execute(params)
                .chain(rows -> {
                    List<Row> list = new ArrayList<>();
                    rows.forEach(list::add);
                    Uni<List<RoundtableResponse>> out = Uni.createFrom().item(new ArrayList<>());
                    for (Row row : list) {
                        out = out.chain(acc -> participants(db, row.getString(0)).map(ps -> {
                            acc.add(view(row, ps));
                            return acc;
                        }));
                    }
                    return out;
                }));
    }

    public Uni<Boolean> delete(String ownerId, String roundtableId) {
        return pool.preparedQuery("DELETE FROM roundtable WHERE roundtable_id = ? AND owner_id = ?")
                .execute(Tuple.of(roundtableId, ownerId)).map(rows -> rows.rowCount() > 0);
    }

    public Uni<Void> setStopReason(String roundtableId, String reason, Instant now) {
        return pool.preparedQuery("UPDATE roundtable SET stop_reason = ?, updated_at = ? WHERE roundtable_id = ?")
                .execute(Tuple.of(reason, Times.column(now), roundtableId)).replaceWithVoid();
    }

    /** Of the given ids, those that are roundtables of this owner. */
    public Uni<List<String>> owned(String ownerId, List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Tuple params = Tuple.of(ownerId);
        ids.forEach(params::addString);
        return pool.preparedQuery("SELECT roundtable_id FROM roundtable WHERE owner_id = ? AND roundtable_id IN ("
                        + Placeholders.of(ids.size()) + ")")
                .execute(params).map(rows -> {
                    List<String> out = new ArrayList<>();
                    rows.forEach(row -> out.add(row.getString(0)));
                    return out;
                });
    }

    public Uni<Void> insertMessage(SqlClient db, RoundtableMessage m) {
        return db.preparedQuery("INSERT INTO roundtable_message (" + MESSAGE_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)")
                .execute(Tuple.tuple().addString(m.messageId()).addString(m.roundtableId()).addString(m.participantId())
                        .addString(m.speaker()).addString(m.role()).addString(m.content()).addInteger(m.tokenCount())
                        .addInteger(m.round()).addLocalDateTime(Times.column(m.createdAt())))
                .replaceWithVoid();
    }

    /** Messages before {@code before} (a message id), newest first, at most {@code fetch}. */
    public Uni<List<RoundtableMessage>> messages(SqlClient db, String roundtableId, String before, int fetch) {
        Tuple params = Tuple.of(roundtableId);
        if (before != null) {
            params.addString(before);
        }
        params.addInteger(fetch);
        return db.preparedQuery("SELECT " + MESSAGE_COLUMNS + " FROM roundtable_message WHERE roundtable_id = ?"
                        + (before != null ? " AND seq < (SELECT seq FROM roundtable_message WHERE message_id = ?)" : "") + " ORDER BY seq DESC LIMIT ?")
                .execute(params).map(rows -> {
                    List<RoundtableMessage> out = new ArrayList<>();
                    rows.forEach(row -> out.add(new RoundtableMessage(row.getString(0), row.getString(1),
                            row.getString(2), row.getString(3), row.getString(4), row.getString(5), row.getInteger(6),
                            row.getInteger(7), Times.instant(row.getLocalDateTime(8)))));
                    return out;
                });
    }

    private Uni<List<Participant>> participants(SqlClient db, String roundtableId) {
        return db.preparedQuery("SELECT participant_id, name, llm_config_id, role_prompt, position, moderator "
                        + "FROM roundtable_participant WHERE roundtable_id = ? ORDER BY position, name")
                .execute(Tuple.of(roundtableId)).map(rows -> {
                    List<Participant> out = new ArrayList<>();
                    rows.forEach(row -> out.add(new Participant(row.getString(0), row.getString(1), row.getString(2),
                            row.getString(3), row.getInteger(4), row.getBoolean(5))));
                    return out;
                });
    }

    private static RoundtableResponse view(Row row, List<Participant> participants) {
        return new RoundtableResponse(row.getString(0), row.getString(1), row.getString(2), row.getString(3),
                row.getInteger(4), row.getInteger(5), row.getString(6), row.getInteger(7), participants, null,
                row.getString(8), Times.instant(row.getLocalDateTime(9)), Times.instant(row.getLocalDateTime(10)));
    }
}
