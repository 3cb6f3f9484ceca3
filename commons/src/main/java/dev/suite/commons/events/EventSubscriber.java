package dev.suite.commons.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.calls.Background;
import dev.suite.commons.retry.Backoff;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Subscribes to Redis pub/sub channels and keeps the subscriptions alive: when Redis goes away the
 * connection is re-established with backoff and the channel subscribed again. Events sent while
 * disconnected are lost (that is pub/sub), so each subscription has a hook that runs after every
 * re-subscription, for example to drop a cache that may have missed invalidations.
 */
@ApplicationScoped
public class EventSubscriber {

    private static final Logger LOG = Logger.getLogger(EventSubscriber.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);

    private final Redis redis;
    private final Vertx vertx;
    private final ObjectMapper mapper;
    private final Backoff reconnect;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    public EventSubscriber(Redis redis, Vertx vertx, ObjectMapper mapper, EventsConfig config) {
        this.redis = redis;
        this.vertx = vertx;
        this.mapper = mapper;
        this.reconnect = new Backoff(FIRST_RETRY, config.maxReconnectDelay());
    }

    /**
     * @param onEvent       called for every event on the channel (on an event-loop thread: no blocking)
     * @param onResubscribe called after each re-subscription that followed a lost connection
     */
    public Subscription subscribe(String channel, Consumer<CloudEvent> onEvent, Runnable onResubscribe) {
        Subscription subscription = new Subscription(channel, onEvent, onResubscribe);
        subscriptions.add(subscription);
        subscription.connect();
        return subscription;
    }

    void close(@Observes ShutdownEvent event) {
        subscriptions.forEach(Subscription::close);
    }

    /** One channel's subscription on its own connection. */
    public final class Subscription {

        private final String channel;
        private final Consumer<CloudEvent> onEvent;
        private final Runnable onResubscribe;
        private volatile RedisConnection connection;
        private volatile boolean subscribed;
        private volatile boolean closed;
        private boolean lostOnce;
        private int failures;

        private Subscription(String channel, Consumer<CloudEvent> onEvent, Runnable onResubscribe) {
            this.channel = channel;
            this.onEvent = onEvent;
            this.onResubscribe = onResubscribe;
        }

        private void connect() {
            if (closed) {
                return;
            }
            redis.connect()
                    .onItem().transformToUni(conn -> {
                        connection = conn;
                        conn.handler(this::onMessage);
                        conn.exceptionHandler(e -> lost(conn, e.getMessage()));
                        conn.endHandler(() -> lost(conn, "connection closed"));
                        return conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel));
                    })
                    .subscribe().with(ok -> {
                        subscribed = true;
                        failures = 0;
                        LOG.debugf("Subscribed to %s", channel);
                        if (lostOnce) {
                            LOG.infof("Re-subscribed to %s after losing Redis", channel);
                            runResubscribeHook();
                        }
                    }, e -> lost(connection, e.getMessage()));
        }

        private void onMessage(Response message) {
            if (message.size() < 3 || !"message".equals(message.get(0).toString())) {
                return;
            }
            try {
                onEvent.accept(mapper.readValue(message.get(2).toString(), CloudEvent.class));
            } catch (Exception e) {
                LOG.warnf("Ignored an unreadable or failing event on %s: %s", channel, e.getMessage());
            }
        }

        private synchronized void lost(RedisConnection conn, String why) {
            // A connection reports its end more than once (error, then close); act on the current one only.
            if (closed || conn != connection) {
                return;
            }
            connection = null;
            if (conn != null) {
                Background.tidy(conn.close(), LOG, "Closing the Redis connection of " + channel);
            }
            if (subscribed) {
                LOG.warnf("Lost the Redis subscription to %s (%s); re-subscribing", channel, why);
            }
            subscribed = false;
            lostOnce = true;
            long delay = reconnect.delay(++failures).toMillis();
            vertx.setTimer(delay, id -> connect());
        }

        private void runResubscribeHook() {
            try {
                onResubscribe.run();
            } catch (RuntimeException e) {
                LOG.warnf("Re-subscribe hook of %s failed: %s", channel, e.getMessage());
            }
        }

        private void close() {
            closed = true;
            subscribed = false;
            RedisConnection conn = connection;
            if (conn != null) {
                Background.tidy(conn.close(), LOG, "Closing the Redis connection of " + channel);
            }
        }
    }
}
