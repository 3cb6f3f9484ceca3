package dev.suite.commons.identity;

import dev.suite.commons.redis.RedisNames;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * Who is on the other end of a WebSocket. A client that can send headers authenticates the upgrade
 * like any request; a browser cannot, so it first trades its key or token for a ticket (a service's
 * {@code POST …/socket-ticket}) — single use, valid a minute, kept in Redis so any replica can take
 * it — and opens the socket with {@code ?ticket=…}.
 */
@ApplicationScoped
public class SocketTickets {

    public static final Duration TTL = Duration.ofSeconds(60);

    // An instance field, not a static one: a native build would seed a static generator at build time.
    private final SecureRandom random = new SecureRandom();
    private final ReactiveValueCommands<String, String> values;
    private final RedisNames names;

    public SocketTickets(ReactiveRedisDataSource redis, RedisNames names) {
        this.values = redis.value(String.class, String.class);
        this.names = names;
    }

    public Uni<String> issue(String ownerId) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return values.setex(key(ticket), TTL.toSeconds(), ownerId).replaceWith(ticket);
    }

    /**
     * The user of a socket: the authenticated upgrade's, else the one its {@code ticket} query
     * parameter was issued to (the ticket is spent); null when neither names one.
     */
    public Uni<String> owner(SecurityIdentity identity, String query) {
        if (identity != null && !identity.isAnonymous()) {
            return Uni.createFrom().item(identity.getPrincipal().getName());
        }
        String ticket = ticketOf(query);
        return ticket == null ? Uni.createFrom().nullItem() : values.getdel(key(ticket));
    }

    private static String ticketOf(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("ticket=")) {
                return URLDecoder.decode(pair.substring(7), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private String key(String ticket) {
        return names.key("sockets", "ticket", ticket);
    }
}
