package dev.suite.task.files;

import dev.suite.commons.db.Placeholders;
import dev.suite.commons.db.Times;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code stored_file} table. */
@ApplicationScoped
public class FileStore {

    private static final String COLUMNS = "file_id, name, content_type, size, sha256, task_id, created_at, storage_key";

    private final Pool pool;

    public FileStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insert(String ownerId, StoredFile f) {
        return pool.preparedQuery("INSERT INTO stored_file (" + COLUMNS + ", owner_id) VALUES (?,?,?,?,?,?,?,?,?)")
                .execute(Tuple.tuple().addString(f.fileId()).addString(f.name()).addString(f.contentType())
                        .addLong(f.size()).addString(f.sha256()).addString(f.taskId())
                        .addLocalDateTime(Times.column(f.createdAt()))
                        .addString(f.storageKey()).addString(ownerId))
                .replaceWithVoid();
    }

    public Uni<Optional<StoredFile>> find(String ownerId, String fileId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM stored_file WHERE file_id = ? AND owner_id = ?")
                .execute(Tuple.of(fileId, ownerId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(view(rows.iterator().next())));
    }

    /** The owner's files among {@code ids}. */
    public Uni<List<StoredFile>> owned(String ownerId, List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Tuple params = Tuple.of(ownerId);
        ids.forEach(params::addString);
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM stored_file WHERE owner_id = ? AND file_id IN ("
                        + Placeholders.of(ids.size()) + ")")
                .execute(params).map(rows -> {
                    List<StoredFile> out = new ArrayList<>();
                    rows.forEach(row -> out.add(view(row)));
                    return out;
                });
    }

    /** Bytes the owner's files take: uploads and task outputs alike count against the storage quota. */
    public Uni<Long> storedBytes(String ownerId) {
        return pool.preparedQuery("SELECT COALESCE(SUM(size), 0) FROM stored_file WHERE owner_id = ?")
                .execute(Tuple.of(ownerId)).map(rows -> rows.iterator().next().getNumeric(0).longValue());
    }

    public Uni<Boolean> delete(String ownerId, String fileId) {
        return pool.preparedQuery("DELETE FROM stored_file WHERE file_id = ? AND owner_id = ?")
                .execute(Tuple.of(fileId, ownerId)).map(rows -> rows.rowCount() > 0);
    }

    private static StoredFile view(Row row) {
        return new StoredFile(row.getString(0), row.getString(1), row.getString(2), row.getLong(3), row.getString(4),
                row.getString(5), Times.instant(row.getLocalDateTime(6)), row.getString(7));
    }
}
