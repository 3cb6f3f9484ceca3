package dev.suite.mcp.oauth;

import dev.suite.commons.crypto.SecretBox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/** {@code mcp_oauth_token}: tokens sealed, each bound to its server row and kind. */
@ApplicationScoped
public class TokenStore {

    private final Pool db;
    private final SecretBox box;

    public TokenStore(Pool db, SecretBox box) {
        this.db = db;
        this.box = box;
    }

    public Uni<TokenRow> find(String serverId) {
        return db.preparedQuery("SELECT * FROM mcp_oauth_token WHERE server_id = ?").execute(Tuple.of(serverId))
                .map(rows -> rows.iterator().hasNext() ? read(rows.iterator().next()) : null);
    }

    public Uni<TokenRow> save(TokenRow row) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        TokenRow saved = new TokenRow(row.serverId(), row.ownerId(), row.issuer(), row.tokenEndpoint(),
                row.revocationEndpoint(), row.clientKey(), row.resource(), row.accessToken(), row.refreshToken(),
                row.scopes(), row.expiresAt(), row.needsReauth(), now);
        return db.preparedQuery("REPLACE INTO mcp_oauth_token (server_id, owner_id, issuer, token_endpoint, "
                        + "revocation_endpoint, client_key, resource, access_token_sealed, refresh_token_sealed, scopes, "
                        + "expires_at, needs_reauth, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .execute(Tuple.tuple(Arrays.asList(row.serverId(), row.ownerId(), row.issuer(), row.tokenEndpoint(),
                        row.revocationEndpoint(), row.clientKey(), row.resource(),
                        seal(row.accessToken(), row.serverId(), "access_token"),
                        seal(row.refreshToken(), row.serverId(), "refresh_token"), row.scopes(), utc(row.expiresAt()),
                        row.needsReauth(), utc(now))))
                .replaceWith(saved);
    }

    public Uni<Void> delete(String serverId) {
        return db.preparedQuery("DELETE FROM mcp_oauth_token WHERE server_id = ?").execute(Tuple.of(serverId))
                .replaceWithVoid();
    }

    private TokenRow read(Row row) {
        String serverId = row.getString("server_id");
        LocalDateTime expires = row.getLocalDateTime("expires_at");
        return new TokenRow(serverId, row.getString("owner_id"), row.getString("issuer"),
                row.getString("token_endpoint"), row.getString("revocation_endpoint"), row.getString("client_key"),
                row.getString("resource"), open(row.getString("access_token_sealed"), serverId, "access_token"),
                open(row.getString("refresh_token_sealed"), serverId, "refresh_token"), row.getString("scopes"),
                expires == null ? null : expires.toInstant(ZoneOffset.UTC), row.getBoolean("needs_reauth"),
                row.getLocalDateTime("updated_at").toInstant(ZoneOffset.UTC));
    }

    private String seal(String value, String serverId, String kind) {
        return value == null ? null : box.seal(value, context(serverId, kind));
    }

    private String open(String sealed, String serverId, String kind) {
        return sealed == null ? null : box.open(sealed, context(serverId, kind));
    }

    static String context(String serverId, String kind) {
        return "mcp_oauth_token:" + serverId + ":" + kind;
    }

    private static LocalDateTime utc(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
