package dev.suite.llm.prices;

import dev.suite.llm.chat.Usage;
import dev.suite.llm.config.Provider;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One user's effective prices: the shipped ones with the user's own laid over them. A model is
 * priced by its own entry, else by the longest entry that is a prefix of it followed by '-'
 * ({@code claude-sonnet-4-5-20250929} by {@code claude-sonnet-4-5}), else — for a name with a
 * provider prefix such as {@code openai/gpt-4o} — by what follows the last '/'.
 */
public record PriceTable(Map<String, Price> byModel) {

    public Optional<Price> find(String model) {
        if (model == null || model.isBlank()) {
            return Optional.empty();
        }
        String name = model.strip().toLowerCase(Locale.ROOT);
        Optional<Price> found = match(name);
        int slash = name.lastIndexOf('/');
        return found.isPresent() || slash < 0 ? found : match(name.substring(slash + 1));
    }

    /**
     * What a call cost in billionths of a dollar; null when its model has no price. Models that
     * run on the caller's own hardware (Ollama) and the echo provider cost nothing unless priced.
     */
    public Long costNanos(String model, Provider provider, Usage usage) {
        Optional<Price> price = find(model);
        if (price.isPresent()) {
            return price.get().costNanos(usage.promptTokens(), usage.cachedTokens(), usage.completionTokens());
        }
        return provider == Provider.OLLAMA || provider == Provider.ECHO ? 0L : null;
    }

    private Optional<Price> match(String name) {
        Price exact = byModel.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (int dash = name.lastIndexOf('-'); dash > 0; dash = name.lastIndexOf('-', dash - 1)) {
            Price prefix = byModel.get(name.substring(0, dash));
            if (prefix != null) {
                return Optional.of(prefix);
            }
        }
        return Optional.empty();
    }
}
