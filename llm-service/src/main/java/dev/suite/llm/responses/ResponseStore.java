package dev.suite.llm.responses;

import dev.suite.commons.db.Times;
import dev.suite.llm.LlmSettings;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;

/**
 * Stored responses, each its owner's only: read back by id, or continued from with
 * {@code previous_response_id}, until {@code suite.llm.responses.ttl} has passed. Expired rows are
 * never answered and are deleted every {@code purge-interval}.
 */
@ApplicationScoped
public class ResponseStore {

    private static final Logger LOG = Logger.getLogger(ResponseStore.class);

    /** A stored response: the object answered, and the conversation that led to it, its answer last. */
    public record Stored(String response, String conversation) {
    }

    private final Pool pool;
    private final LlmSettings.Responses settings;
    private final Vertx vertx;

    public ResponseStore(Pool pool, LlmSettings settings, Vertx vertx) {
        this.pool = pool;
        this.settings = settings.responses();
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent startup) {
        vertx.setPeriodic(settings.purgeInterval().toMillis(), t -> pool
                .preparedQuery("DELETE FROM llm_response WHERE expires_at < ? LIMIT 10000")
                .execute(Tuple.of(Times.column(Times.now())))
                .subscribe().with(rows -> LOG.debugf("Deleted %d expired responses", rows.rowCount()),
                        e -> LOG.warnf("Expired responses not deleted this time: %s", e.getMessage())));
    }

    public Uni<Void> save(String responseId, String ownerId, String response, String conversation) {
        Instant now = Times.now();
        return pool.preparedQuery("INSERT INTO llm_response (response_id, owner_id, response, conversation, created_at, "
                        + "expires_at) VALUES (?, ?, ?, ?, ?, ?)")
                .execute(Tuple.from(new Object[] {responseId, ownerId, response, conversation, Times.column(now),
                        Times.column(now.plus(settings.ttl()))}))
                .replaceWithVoid();
    }

    /** The owner's response of that id, unless it expired; another user's is not found either. */
    public Uni<Optional<Stored>> find(String ownerId, String responseId) {
        return pool.preparedQuery("SELECT response, conversation FROM llm_response "
                        + "WHERE response_id = ? AND owner_id = ? AND expires_at > ?")
                .execute(Tuple.of(responseId, ownerId, Times.column(Times.now())))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(new Stored(rows.iterator().next().getString(0), rows.iterator().next().getString(1))));
    }

    /** Deletes the owner's response; answers whether there was one. */
    public Uni<Boolean> delete(String ownerId, String responseId) {
        return pool.preparedQuery("DELETE FROM llm_response WHERE response_id = ? AND owner_id = ?")
                .execute(Tuple.of(responseId, ownerId))
                .map(rows -> rows.rowCount() > 0);
    }

    public int maxStoredBytes() {
        return settings.maxStoredBytes();
    }
}
