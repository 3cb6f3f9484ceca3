package dev.suite.llm.prices;

import dev.suite.commons.db.Times;
import dev.suite.commons.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The price table a user sees and edits: the shipped prices, with the user's own over them. */
@ApplicationScoped
public class PriceService {

    static final int MAX_MODEL_LENGTH = 200;

    private final PriceStore store;
    private final PriceBook book;

    public PriceService(PriceStore store, PriceBook book) {
        this.store = store;
        this.book = book;
    }

    public Uni<List<Price>> list(String ownerId) {
        return book.table(ownerId).map(table -> table.byModel().values().stream()
                .sorted(Comparator.comparing(Price::model)).toList());
    }

    public Uni<Price> put(String ownerId, String model, PriceRequest request) {
        String name = modelName(model);
        Price price = new Price(name, request.inputPerMillion(),
                request.cachedInputPerMillion() == null ? request.inputPerMillion() : request.cachedInputPerMillion(),
                request.outputPerMillion(), "custom", Times.now());
        return store.put(ownerId, price, price.updatedAt()).invoke(() -> book.forget(ownerId)).replaceWith(price);
    }

    /** Drops your price of a model: the shipped one, if any, applies again. */
    public Uni<Void> delete(String ownerId, String model) {
        return store.delete(ownerId, modelName(model)).map(deleted -> {
            if (!deleted) {
                throw ProblemException.notFound("Your own price of '" + modelName(model) + "'");
            }
            return null;
        }).invoke(() -> book.forget(ownerId)).replaceWithVoid();
    }

    private static String modelName(String model) {
        String name = model == null ? "" : model.strip().toLowerCase(Locale.ROOT);
        if (name.isEmpty() || name.length() > MAX_MODEL_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
            throw ProblemException.invalidField("model",
                    "must be 1 to " + MAX_MODEL_LENGTH + " characters without control characters");
        }
        return name;
    }
}
