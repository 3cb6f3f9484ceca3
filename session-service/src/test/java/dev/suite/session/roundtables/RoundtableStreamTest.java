package dev.suite.session.roundtables;

import dev.suite.session.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.suite.session.TestUsers.ALICE;
import static dev.suite.session.TestUsers.BOB;
import static dev.suite.session.TestUsers.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST …/messages with Accept: text/event-stream: the turns it starts, streamed in the answer. */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class RoundtableStreamTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String panel() {
        return as(ALICE).body(Map.of("title", "Panel", "topic", "tea", "max_rounds", 1, "participants", List.of(
                        Map.of("name", "Ada", "llm_config_id", "echo-a"), Map.of("name", "Bo", "llm_config_id", "echo-b"))))
                .post("/api/roundtables").then().statusCode(201).extract().path("roundtable_id");
    }

    private static HttpResponse<java.io.InputStream> post(String user, String id, String content) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port
                                + "/api/roundtables/" + id + "/messages"))
                        .header("Authorization", "Bearer " + user + "-key")
                        .header("Content-Type", "application/json")
                        .header("Accept", "text/event-stream")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("content", content).encode())).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    /** The stream's events as {name, id, data}, read until the server ends it. */
    private static List<JsonObject> events(HttpResponse<java.io.InputStream> response) throws Exception {
        List<JsonObject> out = new ArrayList<>();
        JsonObject current = new JsonObject();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (!current.isEmpty()) {
                        out.add(current);
                    }
                    current = new JsonObject();
                } else if (line.startsWith("event:")) {
                    current.put("name", line.substring(6).strip());
                } else if (line.startsWith("id:")) {
                    current.put("id", line.substring(3).strip());
                } else if (line.startsWith("data:")) {
                    current.put("data", new JsonObject(line.substring(5).strip()));
                }
            }
        }
        return out;
    }

    @Test
    void theAnswerStreamsEveryTurnAndEndsWhenTheDiscussionStops() throws Exception {
        String id = panel();
        HttpResponse<java.io.InputStream> response = post(ALICE, id, "Is green tea best?");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<JsonObject> events = events(response);
        List<String> names = events.stream().map(e -> e.getString("name")).toList();
        assertEquals("roundtable.message.created", names.get(0), names.toString());
        assertEquals("user", events.get(0).getJsonObject("data").getJsonObject("data").getString("speaker"));
        assertEquals("roundtable.stopped", names.get(names.size() - 1), names.toString());
        assertEquals(3, names.stream().filter("roundtable.message.created"::equals).count(), names.toString());
        assertEquals(2, names.stream().filter("roundtable.turn.started"::equals).count(), names.toString());
        assertTrue(names.contains("roundtable.turn.delta"), names.toString());
        JsonObject created = events.get(0);
        assertEquals(created.getString("id"), created.getJsonObject("data").getString("id"), "the SSE id is the event id");
        assertEquals(id, created.getJsonObject("data").getString("subject"));
        // The transcript holds what was streamed.
        as(ALICE).get("/api/roundtables/" + id + "/messages").then().statusCode(200).body("items.size()", equalTo(3));
    }

    @Test
    void aRefusedPostIsAProblemNotAStream() throws Exception {
        String id = panel();
        HttpResponse<java.io.InputStream> other = post(BOB, id, "hello");
        assertEquals(404, other.statusCode());
        assertTrue(new String(other.body().readAllBytes(), StandardCharsets.UTF_8).contains("\"status\":404"));
        HttpResponse<java.io.InputStream> blank = post(ALICE, id, " ");
        assertEquals(400, blank.statusCode());
        // Without Accept: text/event-stream the post answers at once, as before.
        as(ALICE).body(Map.of("content", "quick")).post("/api/roundtables/" + id + "/messages").then().statusCode(202);
    }
}
