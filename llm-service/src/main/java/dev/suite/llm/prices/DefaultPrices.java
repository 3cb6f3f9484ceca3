package dev.suite.llm.prices;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The prices shipped in {@code llm-prices.csv}, read once at start-up. */
@ApplicationScoped
public class DefaultPrices {

    static final String RESOURCE = "llm-prices.csv";

    private final Map<String, Price> byModel;

    public DefaultPrices() {
        this.byModel = read();
    }

    public Map<String, Price> byModel() {
        return byModel;
    }

    private static Map<String, Price> read() {
        Map<String, Price> prices = new LinkedHashMap<>();
        try (InputStream in = DefaultPrices.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the build");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",");
                String model = f[0].strip().toLowerCase(java.util.Locale.ROOT);
                prices.put(model, new Price(model, new BigDecimal(f[1].strip()), new BigDecimal(f[2].strip()),
                        new BigDecimal(f[3].strip()), "default", null));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(prices);
    }
}
