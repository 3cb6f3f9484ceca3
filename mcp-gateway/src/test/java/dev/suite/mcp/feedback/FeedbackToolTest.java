package dev.suite.mcp.feedback;

import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.events.EventPublisher;
import dev.suite.commons.redis.RedisNames;
import dev.suite.mcp.NodeServers;
import dev.suite.mcp.TestDb;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.suite.mcp.TestUsers.ALICE;
import static dev.suite.mcp.TestUsers.BOB;
import static dev.suite.mcp.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An agent asks its person through collect_feedback and waits; the person answers through the API. */
@QuarkusTest
class FeedbackToolTest {

    /** The smallest valid PNG: a 1×1 transparent pixel. */
    static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    @TestHTTPResource("/")
    URL base;
    @Inject
    EventPublisher publisher;
    @Inject
    RedisNames names;

    /** The agent: the official SDK client calling collect_feedback, in the background. */
    CompletableFuture<JsonObject> agent(String user, String path, String summary, int timeoutSeconds) {
        return CompletableFuture.supplyAsync(() -> {
            String out = NodeServers.runScript("sdk-client.mjs", Map.of("MCP_TOKEN", user + "-key",
                    "FEEDBACK_SUMMARY", summary, "FEEDBACK_TIMEOUT", Integer.toString(timeoutSeconds)),
                    Duration.ofMinutes(2), base + path, "feedback");
            return new JsonObject(out.strip().lines().reduce((a, b) -> b).orElse("{}"));
        });
    }

    /** Waits until the person's list shows the agent's request, and answers its id. */
    static String pendingRequest(String user, String summary) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<Map<String, Object>> items = as(user).get("/api/mcp/feedback?status=pending").then().statusCode(200)
                    .extract().jsonPath().getList("items");
            return items.stream().filter(i -> summary.equals(i.get("summary"))).map(i -> (String) i.get("feedback_id"))
                    .findFirst().orElse(null);
        }, id -> id != null);
    }

    @Test
    void theAgentGetsThePersonsTextAndImages() throws Exception {
        String summary = "Does the **login page** look right? " + UUID.randomUUID();
        CompletableFuture<JsonObject> agent = agent(ALICE, "mcp", summary, 60);
        String id = pendingRequest(ALICE, summary);
        as(ALICE).body(Map.of("text", "Looks good, but the button is too small.",
                        "images", List.of(Map.of("mime_type", "image/png", "data", Base64.getEncoder().encodeToString(PNG)))))
                .post("/api/mcp/feedback/" + id + "/answer").then().statusCode(200)
                .body("status", equalTo("answered"));
        JsonObject out = agent.get(60, TimeUnit.SECONDS);
        assertEquals(false, out.getBoolean("is_error"), out.encode());
        JsonArray content = out.getJsonArray("content");
        assertEquals("Looks good, but the button is too small.", content.getJsonObject(0).getString("text"));
        assertEquals("image", content.getJsonObject(1).getString("type"));
        assertEquals("image/png", content.getJsonObject(1).getString("mime_type"));
        assertEquals(PNG.length, content.getJsonObject(1).getInteger("bytes"));
        as(ALICE).get("/api/mcp/feedback/" + id).then().statusCode(200)
                .body("images[0].mime_type", equalTo("image/png"));
    }

    @Test
    void progressKeepsALongWaitAliveAndTheBuiltInServerAnswersAlone() throws Exception {
        String summary = "Slow answer " + UUID.randomUUID();
        // The client's own timeout is 5 s: only the progress notifications carry the call past it.
        CompletableFuture<JsonObject> agent = agent(ALICE, "mcp/servers/suite", summary, 60);
        String id = pendingRequest(ALICE, summary);
        await().pollDelay(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(8)).until(() -> true);
        as(ALICE).body(Map.of("text", "finally")).post("/api/mcp/feedback/" + id + "/answer").then().statusCode(200);
        JsonObject out = agent.get(60, TimeUnit.SECONDS);
        assertEquals("finally", out.getJsonArray("content").getJsonObject(0).getString("text"), out.encode());
        assertTrue(out.getInteger("progress") >= 5, out.encode());
    }

    @Test
    void noAnswerEndsInAClearTimeout() throws Exception {
        String summary = "Nobody home " + UUID.randomUUID();
        JsonObject out = agent(ALICE, "mcp", summary, 2).get(60, TimeUnit.SECONDS);
        assertEquals(true, out.getBoolean("is_error"), out.encode());
        assertTrue(out.getJsonArray("content").getJsonObject(0).getString("text").contains("No feedback arrived within 2"));
        as(ALICE).get("/api/mcp/feedback?status=timed_out").then().statusCode(200)
                .body("items.summary", hasItem(summary));
    }

    @Test
    void anAnswerGivenThroughAnotherReplicaWakesTheWaitingCall() throws Exception {
        String summary = "Other replica " + UUID.randomUUID();
        CompletableFuture<JsonObject> agent = agent(ALICE, "mcp", summary, 60);
        String id = pendingRequest(ALICE, summary);
        // What another replica does when the person answers there: store the answer, then publish.
        TestDb.update("UPDATE mcp_feedback SET status = 'answered', answer_text = 'from elsewhere', "
                + "answered_at = NOW(6) WHERE feedback_id = ?", id);
        publisher.publish(names.channel("mcp", "feedback"), CloudEvent.of("/mcp-gateway", FeedbackHub.ANSWERED, id,
                null)).await().atMost(Duration.ofSeconds(10));
        JsonObject out = agent.get(60, TimeUnit.SECONDS);
        assertEquals("from elsewhere", out.getJsonArray("content").getJsonObject(0).getString("text"), out.encode());
    }

    @Test
    void imagesOfTheWrongTypeOrSizeAreRefusedAndOthersNeverSeeTheRequest() throws Exception {
        String summary = "Validation " + UUID.randomUUID();
        CompletableFuture<JsonObject> agent = agent(ALICE, "mcp", summary, 60);
        String id = pendingRequest(ALICE, summary);
        String path = "/api/mcp/feedback/" + id + "/answer";
        as(ALICE).body(Map.of("text", "x", "images", List.of(Map.of("mime_type", "image/svg+xml", "data", "PHN2Zz4=")))) 
                .post(path).then().statusCode(415);
        as(ALICE).body(Map.of("text", "x", "images", List.of(Map.of("mime_type", "image/png",
                        "data", Base64.getEncoder().encodeToString("GIF89a not a png".getBytes())))))
                .post(path).then().statusCode(415);
        byte[] big = new byte[70_000];
        System.arraycopy(PNG, 0, big, 0, PNG.length);
        as(ALICE).body(Map.of("text", "x", "images", List.of(Map.of("mime_type", "image/png",
                "data", Base64.getEncoder().encodeToString(big))))).post(path).then().statusCode(413);
        as(ALICE).body(Map.of("images", List.of())).post(path).then().statusCode(400);

        as(BOB).get("/api/mcp/feedback/" + id).then().statusCode(404);
        as(BOB).body(Map.of("text", "not mine")).post(path).then().statusCode(404);
        as(BOB).get("/api/mcp/feedback?status=pending").then().statusCode(200)
                .body("items.summary", org.hamcrest.Matchers.not(hasItem(summary)));

        as(ALICE).body(Map.of("text", "ok")).post(path).then().statusCode(200);
        as(ALICE).body(Map.of("text", "twice")).post(path).then().statusCode(409);
        assertEquals("ok", agent.get(60, TimeUnit.SECONDS).getJsonArray("content").getJsonObject(0).getString("text"));
        assertEquals(0, TestDb.count("SELECT COUNT(*) FROM mcp_feedback_image WHERE feedback_id = ?", id));
    }
}
