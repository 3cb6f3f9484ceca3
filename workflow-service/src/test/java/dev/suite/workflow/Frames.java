package dev.suite.workflow;

import dev.suite.commons.testing.SocketClient;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Predicate;

/** The {@code /ws/workflows} protocol for tests: {@code {type, payload}} messages and execution events. */
public final class Frames {

    private Frames() {
    }

    /** Connects to the service under test as {@code user} (null: without credentials). */
    public static SocketClient connect(String user, String query) throws Exception {
        return SocketClient.connect(RestAssured.port, "/ws/workflows", user, query);
    }

    public static void send(SocketClient socket, String type, JsonObject payload) {
        socket.send(new JsonObject().put("type", type).put("payload", payload));
    }

    /** Events of one execution, in the order received. */
    public static List<JsonObject> eventsOf(SocketClient socket, String executionId) {
        return socket.received.stream().filter(m -> m.containsKey("event_id") && executionId.equals(
                m.getJsonObject("payload", new JsonObject()).getString("execution_id"))).toList();
    }

    public static Predicate<JsonObject> event(String type, String executionId) {
        return m -> type.equals(m.getString("type"))
                && executionId.equals(m.getJsonObject("payload", new JsonObject()).getString("execution_id"));
    }
}
