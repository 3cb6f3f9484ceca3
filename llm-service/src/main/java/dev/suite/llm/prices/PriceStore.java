package dev.suite.llm.prices;

import dev.suite.commons.db.Times;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Users' own prices in MySQL, each its owner's only. */
@ApplicationScoped
public class PriceStore {

    private final Pool pool;

    public PriceStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Price>> list(String ownerId) {
        return pool.preparedQuery("SELECT model, input_per_million, cached_input_per_million, output_per_million, "
                        + "updated_at FROM llm_price WHERE owner_id = ?")
                .execute(Tuple.of(ownerId)).map(rows -> {
                    List<Price> out = new ArrayList<>();
                    for (Row row : rows) {
                        out.add(new Price(row.getString(0), row.getBigDecimal(1), row.getBigDecimal(2),
                                row.getBigDecimal(3), "custom", Times.instant(row.getLocalDateTime(4))));
                    }
                    return out;
                });
    }

    public Uni<Void> put(String ownerId, Price price, Instant now) {
        return pool.preparedQuery("INSERT INTO llm_price (owner_id, model, input_per_million, cached_input_per_million, "
                        + "output_per_million, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
                        + "input_per_million = VALUES(input_per_million), "
                        + "cached_input_per_million = VALUES(cached_input_per_million), "
                        + "output_per_million = VALUES(output_per_million), updated_at = VALUES(updated_at)")
                .execute(Tuple.from(new Object[] {ownerId, price.model(), price.inputPerMillion(),
                        price.cachedInputPerMillion(), price.outputPerMillion(), Times.column(now)}))
                .replaceWithVoid();
    }

    /** Answers whether the owner had a price of that model. */
    public Uni<Boolean> delete(String ownerId, String model) {
        return pool.preparedQuery("DELETE FROM llm_price WHERE owner_id = ? AND model = ?")
                .execute(Tuple.of(ownerId, model)).map(rows -> rows.rowCount() > 0);
    }
}
