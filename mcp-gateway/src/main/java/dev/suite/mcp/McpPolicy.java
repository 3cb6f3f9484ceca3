package dev.suite.mcp;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.suite.commons.identity.AuthConfig;
import dev.suite.commons.identity.AuthMode;
import dev.suite.commons.net.OutboundClients;
import dev.suite.commons.net.UrlGuard;
import dev.suite.mcp.upstream.StdioEnvironment;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a user may make the gateway reach: which networks upstream URLs may point at (commons'
 * guard, {@code SUITE_ALLOW_PRIVATE_NETWORKS}), and what may run as a stdio server — an entry of
 * the operator's catalogue, or a free-form command where the operator allows it. A single-machine
 * suite ({@code local} mode) allows any free-form command, since its user is the operator; a shared
 * deployment must opt in, since a free-form command is a way into the gateway's host.
 */
@ApplicationScoped
public class McpPolicy {

    /** A catalogue entry with its pattern for extra arguments compiled (absent: none allowed). */
    public record CatalogEntry(McpSettings.CatalogEntry settings, Optional<Pattern> extraArgs) {

        public boolean argAllowed(String arg) {
            return extraArgs.map(p -> p.matches(arg)).orElse(false);
        }

        public boolean envAllowed(String name) {
            return settings.env().orElse(List.of()).contains(name);
        }
    }

    private final UrlGuard guard;
    private final List<String> allowedCommands;
    private final Map<String, CatalogEntry> catalog = new HashMap<>();

    public McpPolicy(McpSettings settings, AuthConfig auth, OutboundClients outbound) {
        boolean local = auth.mode() == AuthMode.LOCAL;
        this.guard = outbound.guard();
        this.allowedCommands = settings.stdio().allowedCommands().orElse(local ? List.of("*") : List.of());
        settings.stdio().catalog().forEach((name, entry) -> catalog.put(name, compile(name, entry)));
    }

    private static CatalogEntry compile(String name, McpSettings.CatalogEntry entry) {
        String key = "suite.mcp.stdio.catalog." + name;
        for (String variable : entry.env().orElse(List.of())) {
            StdioEnvironment.refusal(variable).ifPresent(reason -> {
                throw new IllegalStateException(key + ".env: " + reason);
            });
        }
        try {
            return new CatalogEntry(entry, entry.extraArgs().map(Pattern::compile));
        } catch (PatternSyntaxException e) {
            throw new IllegalStateException(key + ".extra-args is not a valid RE2 pattern: " + e.getMessage(), e);
        }
    }

    public UrlGuard urlGuard() {
        return guard;
    }

    /** The operator's entry registered under this name, which takes precedence over a free-form command. */
    public Optional<CatalogEntry> catalogEntry(String command) {
        return Optional.ofNullable(catalog.get(command));
    }

    /**
     * Free-form commands; exact matches only: allowing {@code npx} must not allow {@code /tmp/npx},
     * which the PATH lookup of {@code npx} would never reach.
     */
    public boolean commandAllowed(String command) {
        return allowedCommands.stream().anyMatch(a -> a.equals("*") || a.equals(command));
    }

    public boolean stdioAllowed() {
        return !allowedCommands.isEmpty() || !catalog.isEmpty();
    }
}
