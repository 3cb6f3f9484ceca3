package dev.suite.llm.prices;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each user's effective price table at call time. A table is read from MySQL at most every
 * {@link #FRESH} per replica, so a price set on one replica prices calls on every replica within
 * that; the replica where it was set forgets its copy at once.
 */
@ApplicationScoped
public class PriceBook {

    static final long FRESH = Duration.ofSeconds(2).toNanos();

    private record Cached(PriceTable table, long readNanos) {
    }

    private final PriceStore store;
    private final DefaultPrices defaults;
    private final Map<String, Cached> byOwner = new ConcurrentHashMap<>();

    public PriceBook(PriceStore store, DefaultPrices defaults) {
        this.store = store;
        this.defaults = defaults;
    }

    public Uni<PriceTable> table(String ownerId) {
        Cached cached = byOwner.get(ownerId);
        if (cached != null && System.nanoTime() - cached.readNanos() < FRESH) {
            return Uni.createFrom().item(cached.table());
        }
        return store.list(ownerId).map(own -> {
            Map<String, Price> merged = new HashMap<>(defaults.byModel());
            own.forEach(price -> merged.put(price.model(), price));
            PriceTable table = new PriceTable(Map.copyOf(merged));
            byOwner.put(ownerId, new Cached(table, System.nanoTime()));
            return table;
        });
    }

    void forget(String ownerId) {
        byOwner.remove(ownerId);
    }
}
