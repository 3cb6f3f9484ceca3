package dev.suite.commons.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

/** A WebSocket client for the services' tests: connects, sends JSON, and keeps every message it gets. */
public final class SocketClient implements AutoCloseable {

    private static final Vertx VERTX = Vertx.vertx();

    public final List<JsonObject> received = new CopyOnWriteArrayList<>();
    private final WebSocketClient client;
    private final WebSocket socket;
    public volatile Short closeStatus;

    private SocketClient(WebSocketClient client, WebSocket socket) {
        this.client = client;
        this.socket = socket;
        socket.textMessageHandler(text -> received.add(new JsonObject(text)));
        socket.closeHandler(v -> closeStatus = socket.closeStatusCode());
    }

    /** Connects to {@code path} as {@code user} (null: without credentials) of the service on {@code port}. */
    public static SocketClient connect(int port, String path, String user, String query) throws Exception {
        WebSocketClient client = VERTX.createWebSocketClient();
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                .setURI(path + (query == null ? "" : "?" + query));
        if (user != null) {
            options.addHeader("Authorization", "Bearer " + user + "-key");
        }
        // Handlers are set in the completion callback, and the connect is started from an event loop,
        // which the connection then uses: the callback is registered before that loop can read
        // anything the server sends. Started from the test's thread instead, the upgrade could
        // complete, and a close sent right after it be handled, before the callback was registered.
        java.util.concurrent.CompletableFuture<SocketClient> made = new java.util.concurrent.CompletableFuture<>();
        VERTX.runOnContext(start -> client.connect(options).onComplete(connected -> {
            if (connected.succeeded()) {
                made.complete(new SocketClient(client, connected.result()));
            } else {
                made.completeExceptionally(connected.cause());
            }
        }));
        return made.get(10, TimeUnit.SECONDS);
    }

    public void send(JsonObject message) {
        socket.writeTextMessage(message.encode());
    }

    /** Waits for a message matching {@code test} and answers the first one. */
    public JsonObject await(Predicate<JsonObject> test) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.stream().anyMatch(test));
        return received.stream().filter(test).findFirst().orElseThrow();
    }

    public static Predicate<JsonObject> type(String type) {
        return m -> type.equals(m.getString("type"));
    }

    /** Sends {@code message} and waits for the first message after it that matches {@code reply}. */
    public JsonObject sendAndAwait(JsonObject message, Predicate<JsonObject> reply) {
        int seen = (int) received.stream().filter(reply).count();
        send(message);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.stream().filter(reply).count() > seen);
        return received.stream().filter(reply).skip(seen).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        socket.close();
        client.close();
    }
}
