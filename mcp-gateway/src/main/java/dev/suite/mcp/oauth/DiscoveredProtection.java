package dev.suite.mcp.oauth;

import dev.suite.commons.problem.ProblemException;
import dev.suite.mcp.registry.McpServer;
import dev.suite.mcp.upstream.Credentials;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;

/**
 * Servers registered without oauth settings whose upstream turns out to be protected: it answers
 * 401, and its challenge (or a well-known location) names an authorization server, as MCP
 * authorization discovery has it. Such a server is marked on its row
 * ({@code oauth_resource_metadata}, where its metadata was found) and from then on its requests
 * carry the owner's token, so {@code POST /mcp/oauth/start} is all a user has to do. A 401 that
 * names no authorization server is a 502 saying so: authorising would not help.
 *
 * <p>The mark does not change the server as the API shows it (no event, no new
 * {@code updated_at}): another replica's connection learns it from its own first 401.
 */
@ApplicationScoped
public class DiscoveredProtection {

    private static final Logger LOG = Logger.getLogger(DiscoveredProtection.class);

    private final OAuthDiscovery discovery;
    private final TokenVault vault;
    private final Pool db;

    public DiscoveredProtection(OAuthDiscovery discovery, TokenVault vault, Pool db) {
        this.discovery = discovery;
        this.vault = vault;
        this.db = db;
    }

    /** The credentials of a server without oauth settings: none until it asks for authorization. */
    public Credentials credentials(McpServer server) {
        return new Discovered(server, vault.credentials(server), server.oauthResourceMetadata != null);
    }

    private final class Discovered implements Credentials {

        private final McpServer server;
        private final Credentials tokens;
        private volatile boolean asksForAuthorization;

        Discovered(McpServer server, Credentials tokens, boolean asksForAuthorization) {
            this.server = server;
            this.tokens = tokens;
            this.asksForAuthorization = asksForAuthorization;
        }

        @Override
        public Uni<String> authorization() {
            return asksForAuthorization ? tokens.authorization() : Uni.createFrom().nullItem();
        }

        @Override
        public Uni<String> refused(String value) {
            return tokens.refused(value);
        }

        /** Only reached while the server is not known to ask: with a mark, every request carries a token or fails first. */
        @Override
        public Uni<String> challenged(String challenge) {
            return discovery.protectedResource(server, challenge).chain(found -> {
                if (found == null) {
                    return Uni.createFrom().failure(ProblemException.upstream(
                            OAuthDiscovery.noAuthorizationServer(server, 401), 401));
                }
                asksForAuthorization = true;
                // The owner may have authorised already (a start before the first 401): their token is sent at once.
                return mark(found.location()).chain(tokens::authorization);
            });
        }

        /** Concurrent first 401s may all get here: the first write wins, and none after a move of the server. */
        private Uni<Void> mark(URI metadata) {
            return db.preparedQuery("UPDATE mcp_server SET oauth_resource_metadata = ? WHERE server_id = ? AND url = ? "
                            + "AND oauth IS NULL AND oauth_resource_metadata IS NULL")
                    .execute(Tuple.of(metadata.toString(), server.id, server.url))
                    .invoke(rows -> {
                        if (rows.rowCount() > 0) {
                            LOG.infof("MCP server %s asks for OAuth authorization (metadata %s): marked protected",
                                    server.id, metadata);
                        }
                    })
                    .replaceWithVoid()
                    .onFailure().recoverWithUni(e -> {
                        // This connection knows; the row learns at the next 401.
                        LOG.warnf("MCP server %s could not be marked protected: %s", server.id, e.getMessage());
                        return Uni.createFrom().voidItem();
                    });
        }
    }
}
