package dev.suite.llm.config;

import dev.suite.commons.paging.PageRequest;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class LlmConfigRepository implements PanacheRepositoryBase<LlmConfig, String> {

    /** A config of this owner; another owner's config is as absent as a missing one. */
    public Uni<LlmConfig> findOwned(String ownerId, String configId) {
        return find("id = ?1 and ownerId = ?2", configId, ownerId).firstResult();
    }

    public Uni<Boolean> nameTaken(String ownerId, String name, String exceptId) {
        return count("ownerId = ?1 and name = ?2 and id <> ?3", ownerId, name, exceptId == null ? "" : exceptId)
                .map(n -> n > 0);
    }

    /** Newest first, keyset-paged by id (ids are time-ordered UUIDv7). */
    public Uni<List<LlmConfig>> page(String ownerId, String provider, Boolean enabled, PageRequest page) {
        StringBuilder query = new StringBuilder("ownerId = :owner");
        Parameters params = Parameters.with("owner", ownerId);
        if (provider != null) {
            query.append(" and provider = :provider");
            params.and("provider", provider);
        }
        if (enabled != null) {
            query.append(" and enabled = :enabled");
            params.and("enabled", enabled);
        }
        if (page.before() != null) {
            query.append(" and id < :before");
            params.and("before", page.before());
        }
        query.append(" order by id desc");
        return find(query.toString(), params).page(0, page.fetchSize()).list();
    }
}
