package dev.suite.task;

import io.restassured.path.json.JsonPath;

import java.time.Duration;
import java.util.Map;

import static dev.suite.task.TestUsers.as;
import static org.awaitility.Awaitility.await;

/** Tasks made and awaited through the API. */
public final class Tasks {

    private Tasks() {
    }

    public static String create(String user, Map<String, Object> body) {
        return as(user).body(body).post("/api/v1/tasks").then().statusCode(201).extract().path("task_id");
    }

    public static JsonPath get(String user, String id) {
        return as(user).get("/api/v1/tasks/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** Waits until the task is in {@code state}; answers it. */
    public static JsonPath awaitState(String user, String id, String state) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> state.equals(get(user, id).getString("state")));
        return get(user, id);
    }
}
