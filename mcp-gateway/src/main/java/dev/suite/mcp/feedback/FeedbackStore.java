package dev.suite.mcp.feedback;

import dev.suite.commons.ids.Ids;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** {@code mcp_feedback} and its images. Every read is by owner: another user's request is as absent as none. */
@ApplicationScoped
public class FeedbackStore {

    /** An image as submitted: decoded bytes and their type. */
    public record NewImage(String mimeType, byte[] bytes) {
    }

    private final Pool db;

    public FeedbackStore(Pool db) {
        this.db = db;
    }

    public Uni<Feedback> create(String ownerId, String summary, Instant expiresAt) {
        Instant now = now();
        String id = Ids.newId();
        return db.preparedQuery("INSERT INTO mcp_feedback (feedback_id, owner_id, summary, status, created_at, expires_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?)")
                .execute(Tuple.tuple(Arrays.asList(id, ownerId, summary, Feedback.PENDING, utc(now), utc(expiresAt))))
                .replaceWith(new Feedback(id, summary, Feedback.PENDING, null, List.of(), now, expiresAt, null));
    }

    /** Stores the answer if the request is still pending; false when it was not (answered, timed out, foreign). */
    public Uni<Boolean> answer(String ownerId, String feedbackId, String text, List<NewImage> images) {
        return db.withTransaction(conn -> conn.preparedQuery("UPDATE mcp_feedback SET status = ?, answer_text = ?, "
                        + "answered_at = ? WHERE feedback_id = ? AND owner_id = ? AND status = ?")
                .execute(Tuple.tuple(Arrays.asList(Feedback.ANSWERED, text, utc(now()), feedbackId, ownerId,
                        Feedback.PENDING)))
                .chain(updated -> {
                    if (updated.rowCount() == 0) {
                        return Uni.createFrom().item(false);
                    }
                    Uni<Void> inserts = Uni.createFrom().voidItem();
                    for (NewImage image : images) {
                        inserts = inserts.chain(() -> conn.preparedQuery("INSERT INTO mcp_feedback_image (image_id, "
                                        + "feedback_id, mime_type, size_bytes, data) VALUES (?, ?, ?, ?, ?)")
                                .execute(Tuple.of(Ids.newId(), feedbackId, image.mimeType(), image.bytes().length,
                                        // The core Buffer: the MySQL client binds it as binary, a Mutiny Buffer as text.
                                        io.vertx.core.buffer.Buffer.buffer(image.bytes())))
                                .replaceWithVoid());
                    }
                    return inserts.replaceWith(true);
                }));
    }

    public Uni<Boolean> timeOut(String feedbackId) {
        return db.preparedQuery("UPDATE mcp_feedback SET status = ? WHERE feedback_id = ? AND status = ?")
                .execute(Tuple.of(Feedback.TIMED_OUT, feedbackId, Feedback.PENDING))
                .map(rows -> rows.rowCount() > 0);
    }

    /** One request of the owner, with its images' data when asked for. */
    public Uni<Feedback> find(String ownerId, String feedbackId, boolean withImageData) {
        return db.preparedQuery("SELECT * FROM mcp_feedback WHERE feedback_id = ? AND owner_id = ?")
                .execute(Tuple.of(feedbackId, ownerId))
                .chain(rows -> !rows.iterator().hasNext() ? Uni.createFrom().nullItem()
                        : images(feedbackId, withImageData).map(images -> read(rows.iterator().next(), images)));
    }

    /** The owner's requests, newest first, keyset-paged; pending ones only when asked. */
    public Uni<List<Feedback>> list(String ownerId, String status, String before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM mcp_feedback WHERE owner_id = ?");
        List<Object> params = new ArrayList<>(List.of(ownerId));
        if (status != null) {
            sql.append(" AND status = ?");
            params.add(status);
        }
        if (before != null) {
            sql.append(" AND feedback_id < ?");
            params.add(before);
        }
        sql.append(" ORDER BY feedback_id DESC LIMIT ?");
        params.add(limit);
        return db.preparedQuery(sql.toString()).execute(Tuple.tuple(params))
                .map(rows -> {
                    List<Feedback> list = new ArrayList<>();
                    rows.forEach(row -> list.add(read(row, List.of())));
                    return list;
                });
    }

    public Uni<Integer> purgeOlderThan(Instant cutoff) {
        return db.withTransaction(conn -> conn.preparedQuery("DELETE i FROM mcp_feedback_image i JOIN mcp_feedback f "
                        + "ON f.feedback_id = i.feedback_id WHERE f.created_at < ?").execute(Tuple.of(utc(cutoff)))
                .chain(() -> conn.preparedQuery("DELETE FROM mcp_feedback WHERE created_at < ?").execute(Tuple.of(utc(cutoff))))
                .map(RowSet::rowCount));
    }

    private Uni<List<Feedback.Image>> images(String feedbackId, boolean withData) {
        return db.preparedQuery("SELECT image_id, mime_type, size_bytes" + (withData ? ", data" : "")
                        + " FROM mcp_feedback_image WHERE feedback_id = ? ORDER BY image_id")
                .execute(Tuple.of(feedbackId))
                .map(rows -> {
                    List<Feedback.Image> list = new ArrayList<>();
                    rows.forEach(row -> list.add(new Feedback.Image(row.getString("image_id"), row.getString("mime_type"),
                            row.getInteger("size_bytes"), withData
                                    ? Base64.getEncoder().encodeToString(row.getBuffer("data").getBytes()) : null)));
                    return list;
                });
    }

    private static Feedback read(Row row, List<Feedback.Image> images) {
        LocalDateTime answered = row.getLocalDateTime("answered_at");
        return new Feedback(row.getString("feedback_id"), row.getString("summary"), row.getString("status"),
                row.getString("answer_text"), images, row.getLocalDateTime("created_at").toInstant(ZoneOffset.UTC),
                row.getLocalDateTime("expires_at").toInstant(ZoneOffset.UTC),
                answered == null ? null : answered.toInstant(ZoneOffset.UTC));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static LocalDateTime utc(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
