package dev.suite.mcp.registry;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.List;

@ApplicationScoped
public class McpServerRepository implements PanacheRepositoryBase<McpServer, String> {

    /** A server of this owner; another owner's server is as absent as a missing one. */
    public Uni<McpServer> findOwned(String ownerId, String serverId, LockModeType lock) {
        return find("id = ?1 and ownerId = ?2", serverId, ownerId).withLock(lock).firstResult();
    }

    public Uni<Boolean> nameTaken(String ownerId, String name, String exceptId) {
        return count("ownerId = ?1 and name = ?2 and id <> ?3", ownerId, name, exceptId == null ? "" : exceptId)
                .map(n -> n > 0);
    }

    /** A page of the owner's servers, newest first, before the cursor when there is one. */
    public Uni<List<McpServer>> page(String ownerId, String before, int limit) {
        var query = before == null
                ? find("ownerId = ?1 order by id desc", ownerId)
                : find("ownerId = ?1 and id < ?2 order by id desc", ownerId, before);
        return query.page(0, limit).list();
    }

    /** The owner's enabled servers, oldest first: the members of the aggregated endpoint. */
    public Uni<List<McpServer>> enabled(String ownerId) {
        return list("ownerId = ?1 and enabled = true order by id", ownerId);
    }

    /** The owner's servers with oauth settings or that asked for authorization themselves, oldest first. */
    public Uni<List<McpServer>> requiringOAuth(String ownerId) {
        return list("ownerId = ?1 and (oauth is not null or oauthResourceMetadata is not null) order by id", ownerId);
    }

    /** Every enabled server of every owner, for the scheduled health checks. */
    public Uni<List<McpServer>> allEnabled() {
        return list("enabled = true order by id");
    }
}
