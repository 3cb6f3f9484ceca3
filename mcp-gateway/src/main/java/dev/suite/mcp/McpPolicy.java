package dev.suite.mcp;

import dev.suite.commons.identity.AuthConfig;
import dev.suite.commons.identity.AuthMode;
import dev.suite.commons.net.OutboundClients;
import dev.suite.commons.net.UrlGuard;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * What a user may make the gateway reach: which networks upstream URLs may point at (commons'
 * guard, {@code SUITE_ALLOW_PRIVATE_NETWORKS}), and which commands may run as stdio servers. A single-machine suite ({@code local} mode) is permissive by
 * default; a shared deployment must opt in, since both are ways into the gateway's host.
 */
@ApplicationScoped
public class McpPolicy {

    private final UrlGuard guard;
    private final List<String> allowedCommands;

    public McpPolicy(McpSettings settings, AuthConfig auth, OutboundClients outbound) {
        boolean local = auth.mode() == AuthMode.LOCAL;
        this.guard = outbound.guard();
        this.allowedCommands = settings.stdio().allowedCommands().orElse(local ? List.of("*") : List.of());
    }

    public UrlGuard urlGuard() {
        return guard;
    }

    /**
     * Exact matches only: allowing {@code npx} must not allow {@code /tmp/npx}, which the PATH
     * lookup of {@code npx} would never reach.
     */
    public boolean commandAllowed(String command) {
        return allowedCommands.stream().anyMatch(a -> a.equals("*") || a.equals(command));
    }

    public boolean stdioAllowed() {
        return !allowedCommands.isEmpty();
    }
}
