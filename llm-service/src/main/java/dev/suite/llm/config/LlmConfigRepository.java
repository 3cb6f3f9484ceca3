package dev.suite.llm.config;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.LockModeType;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class LlmConfigRepository implements PanacheRepositoryBase<LlmConfig, String> {

    /** A config of this owner; another owner's config is as absent as a missing one. */
    public Uni<LlmConfig> findOwned(String ownerId, String configId, LockModeType lock) {
        return find("id = ?1 and ownerId = ?2", configId, ownerId).withLock(lock).firstResult();
    }

    public Uni<LlmConfig> findByName(String ownerId, String name) {
        return find("ownerId = ?1 and name = ?2", ownerId, name).firstResult();
    }

    /** The owner's enabled configs, oldest first: the model list of {@code GET /v1/models}. */
    public Uni<List<LlmConfig>> enabled(String ownerId) {
        return list("ownerId = ?1 and enabled = true order by id", ownerId);
    }

    public Uni<Boolean> nameTaken(String ownerId, String name, String exceptId) {
        return count("ownerId = ?1 and name = ?2 and id <> ?3", ownerId, name, exceptId == null ? "" : exceptId)
                .map(n -> n > 0);
    }
}
