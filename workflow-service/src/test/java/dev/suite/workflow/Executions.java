package dev.suite.workflow;

import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static dev.suite.workflow.TestUsers.as;

/** Submitting executions and waiting for them, for tests. */
public final class Executions {

    private Executions() {
    }

    /** Submits a run (202) and answers its id. */
    public static String submit(String user, JsonObject request) {
        return as(user).body(request.encode()).post("/api/executions").then().statusCode(202).extract().path("execution_id");
    }

    public static JsonPath get(String user, String executionId) {
        return as(user).get("/api/executions/" + executionId).then().statusCode(200).extract().jsonPath();
    }

    /** Waits until the execution has ended and answers it. */
    public static JsonPath awaitEnd(String user, String executionId) {
        AtomicReference<JsonPath> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            last.set(get(user, executionId));
            return List.of("completed", "failed", "interrupted").contains(last.get().getString("status"));
        });
        return last.get();
    }

    public static JsonPath awaitStatus(String user, String executionId, String status) {
        AtomicReference<JsonPath> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            last.set(get(user, executionId));
            return status.equals(last.get().getString("status"));
        });
        return last.get();
    }

    /** A node's entry in an execution. */
    public static Map<String, Object> node(JsonPath execution, String nodeId) {
        List<Map<String, Object>> nodes = execution.getList("nodes");
        return nodes.stream().filter(n -> nodeId.equals(n.get("node_id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no node " + nodeId + " in " + nodes));
    }

    public static JsonObject config(Object... pairs) {
        JsonObject config = new JsonObject();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            config.put((String) pairs[i], pairs[i + 1]);
        }
        return config;
    }
}
