package dev.suite.llm.config;

import dev.suite.commons.events.EventSubscriber;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A per-replica cache of configs for the chat gateway, which resolves a config on every call.
 * Every {@code llm.config.*} event, from whichever replica made the change, evicts the config; if
 * the Redis subscription was lost, events may have been missed, so the whole cache is dropped when
 * it comes back.
 */
@ApplicationScoped
public class LlmConfigCache {

    private final ConcurrentHashMap<String, CachedConfig> byId = new ConcurrentHashMap<>();
    /** (owner, name) → config id, for clients that name a config as their model. */
    private final ConcurrentHashMap<String, String> idByName = new ConcurrentHashMap<>();
    /** Bumped by every eviction, so a load that raced with one does not store what it read. */
    private final AtomicLong generation = new AtomicLong();
    private final LlmConfigRepository repository;
    private final EventSubscriber subscriber;
    private final LlmConfigEvents events;

    public LlmConfigCache(LlmConfigRepository repository, EventSubscriber subscriber, LlmConfigEvents events) {
        this.repository = repository;
        this.subscriber = subscriber;
        this.events = events;
    }

    void subscribe(@Observes StartupEvent event) {
        subscriber.subscribe(events.channel(), e -> evict(e.subject()), this::clear);
    }

    /** The owner's config, from the cache or the database; empty for a missing or foreign id. */
    public Uni<Optional<CachedConfig>> find(String ownerId, String configId) {
        CachedConfig cached = byId.get(configId);
        if (cached != null) {
            return Uni.createFrom().item(Optional.of(cached).filter(c -> c.ownerId().equals(ownerId)));
        }
        long seen = generation.get();
        return Panache.withSession(() -> repository.findById(configId))
                .map(config -> {
                    if (config == null) {
                        return Optional.<CachedConfig>empty();
                    }
                    CachedConfig loaded = CachedConfig.of(config);
                    if (generation.get() == seen) {
                        byId.put(configId, loaded);
                    }
                    return Optional.of(loaded).filter(c -> c.ownerId().equals(ownerId));
                });
    }

    /** The owner's config of that name (names are unique per owner), from the cache or the database. */
    public Uni<Optional<CachedConfig>> findByName(String ownerId, String name) {
        String id = idByName.get(nameKey(ownerId, name));
        if (id != null) {
            CachedConfig cached = byId.get(id);
            if (cached != null) {
                return Uni.createFrom().item(Optional.of(cached));
            }
        }
        long seen = generation.get();
        return Panache.withSession(() -> repository.findByName(ownerId, name))
                .map(config -> {
                    if (config == null) {
                        return Optional.<CachedConfig>empty();
                    }
                    CachedConfig loaded = CachedConfig.of(config);
                    if (generation.get() == seen) {
                        byId.put(loaded.configId(), loaded);
                        idByName.put(nameKey(ownerId, name), loaded.configId());
                    }
                    return Optional.of(loaded);
                });
    }

    public void evict(String configId) {
        generation.incrementAndGet();
        if (configId != null) {
            byId.remove(configId);
            idByName.values().removeIf(configId::equals);
        }
    }

    public void clear() {
        generation.incrementAndGet();
        byId.clear();
        idByName.clear();
    }

    private static String nameKey(String ownerId, String name) {
        return ownerId + '\u0000' + name;
    }

    public boolean holds(String configId) {
        return byId.containsKey(configId);
    }
}
