package dev.suite.session.roundtables;

import dev.suite.commons.testing.SocketClient;
import dev.suite.session.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.suite.commons.testing.SocketClient.type;
import static dev.suite.session.TestUsers.ALICE;
import static dev.suite.session.TestUsers.BOB;
import static dev.suite.session.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class RoundtableTest {

    private static Map<String, Object> participant(String name, String config, boolean moderator) {
        Map<String, Object> p = new HashMap<>();
        p.put("name", name);
        p.put("llm_config_id", config);
        p.put("role_prompt", "You are " + name + ".");
        p.put("moderator", moderator);
        return p;
    }

    private static String create(Map<String, Object> body) {
        return as(ALICE).body(body).post("/api/roundtables").then().statusCode(201).extract().path("roundtable_id");
    }

    private static void awaitIdle(String id) {
        await().atMost(Duration.ofSeconds(30)).until(() ->
                as(ALICE).get("/api/roundtables/" + id).then().extract().path("status"), equalTo("idle"));
    }

    @Test
    void aTurnStreamedByteByByteKeepsEveryCharacter() {
        // The fake writes one byte per read: every multi-byte character straddles two buffers.
        String id = create(Map.of("title", "Panel", "topic", "tea", "max_rounds", 1,
                "participants", List.of(participant("Ada", "bytewise-a", false))));
        as(ALICE).body(Map.of("content", "绿茶は最高？🍵")).post("/api/roundtables/" + id + "/messages")
                .then().statusCode(202);
        awaitIdle(id);
        as(ALICE).get("/api/roundtables/" + id + "/messages").then().statusCode(200)
                .body("items.speaker", contains("user", "Ada"))
                .body("items[1].content", equalTo("绿茶は最高？🍵"));
    }

    @Test
    void speakersTakeTurnsUntilMaxRoundsAndTurnsStreamToSubscribers() throws Exception {
        String id = create(Map.of("title", "Panel", "topic", "tea", "max_rounds", 2,
                "participants", List.of(participant("Ada", "echo-a", false), participant("Bo", "echo-b", false))));
        try (SocketClient socket = SocketClient.connect(RestAssured.port, "/ws/sessions", ALICE, null)) {
            socket.sendAndAwait(new JsonObject().put("roundtable_ids", new JsonArray().add(id)).put("type", "subscribe"),
                    SocketClient.type("subscribed"));
            as(ALICE).body(Map.of("content", "Is green tea best?")).post("/api/roundtables/" + id + "/messages")
                    .then().statusCode(202).body("speaker", equalTo("user"));
            JsonObject stopped = socket.await(type("roundtable.stopped"));
            assertEquals("max_rounds", stopped.getJsonObject("data").getString("stop_reason"));
            assertTrue(socket.received.stream().anyMatch(type("roundtable.turn.delta")));
            assertEquals(5, socket.received.stream().filter(type("roundtable.message.created")).count());
        }
        as(ALICE).get("/api/roundtables/" + id + "/messages").then().statusCode(200)
                .body("items.speaker", contains("user", "Ada", "Bo", "Ada", "Bo"))
                .body("items.round", contains(0, 1, 1, 2, 2))
                .body("items[1].content", equalTo("Is green tea best?"))
                .body("items[2].content", equalTo("Ada: Is green tea best?"));
        as(ALICE).get("/api/roundtables/" + id).then().body("status", equalTo("idle"))
                .body("stop_reason", equalTo("max_rounds"));
        // Each speaker saw the shared transcript, its own turns as the assistant's.
        JsonObject lastAda = Upstreams.llm.requests.stream()
                .filter(r -> "echo-a".equals(r.getString("model"))).reduce((a, b) -> b).orElseThrow();
        JsonArray messages = lastAda.getJsonArray("messages");
        assertEquals("system", messages.getJsonObject(0).getString("role"));
        assertTrue(messages.getJsonObject(0).getString("content").contains("You are Ada."));
        assertEquals("assistant", messages.getJsonObject(2).getString("role"));
    }

    @Test
    void aKeywordOrMaxMessagesEndsTheDiscussion() {
        String keyword = create(Map.of("title", "k", "stop_keyword", "AGREED", "max_rounds", 5,
                "participants", List.of(participant("A", "echo-a", false), participant("B", "echo-b", false))));
        as(ALICE).body(Map.of("content", "we agreed")).post("/api/roundtables/" + keyword + "/messages").then().statusCode(202);
        awaitIdle(keyword);
        as(ALICE).get("/api/roundtables/" + keyword).then().body("stop_reason", equalTo("keyword"));
        as(ALICE).get("/api/roundtables/" + keyword + "/messages").then().body("items.size()", equalTo(2));

        String capped = create(Map.of("title", "c", "max_messages", 3, "max_rounds", 10,
                "participants", List.of(participant("A", "echo-a", false), participant("B", "echo-b", false))));
        as(ALICE).body(Map.of("content", "go")).post("/api/roundtables/" + capped + "/messages").then().statusCode(202);
        awaitIdle(capped);
        as(ALICE).get("/api/roundtables/" + capped).then().body("stop_reason", equalTo("max_messages"));
        as(ALICE).get("/api/roundtables/" + capped + "/messages").then().body("items.size()", equalTo(4));
    }

    @Test
    void theModeratorPicksSpeakersAndDoesNotSpeak() {
        String id = create(Map.of("title", "m", "turn_order", "moderator", "max_rounds", 1,
                "participants", List.of(participant("Mod", "echo-m", true), participant("A", "echo-a", false),
                        participant("B", "echo-b", false))));
        as(ALICE).body(Map.of("content", "start")).post("/api/roundtables/" + id + "/messages").then().statusCode(202);
        awaitIdle(id);
        as(ALICE).get("/api/roundtables/" + id + "/messages").then().body("items.speaker", contains("user", "A", "B"));
    }

    @Test
    void aStopEndsTheRunningTurnAndASecondMessageWaitsForIt() throws Exception {
        String id = create(Map.of("title", "s", "max_rounds", 5,
                "participants", List.of(participant("Slow", "slow-a", false), participant("Slower", "slow-b", false))));
        String longText = "word ".repeat(300);
        try (SocketClient socket = SocketClient.connect(RestAssured.port, "/ws/sessions", ALICE, null)) {
            socket.sendAndAwait(new JsonObject().put("roundtable_ids", new JsonArray().add(id)).put("type", "subscribe"),
                    SocketClient.type("subscribed"));
            as(ALICE).body(Map.of("content", longText)).post("/api/roundtables/" + id + "/messages").then().statusCode(202);
            as(ALICE).get("/api/roundtables/" + id).then().body("status", equalTo("running"));
            as(ALICE).body(Map.of("content", "again")).post("/api/roundtables/" + id + "/messages").then().statusCode(409);
            as(BOB).post("/api/roundtables/" + id + "/stop").then().statusCode(404);
            // The first turn is streaming (9 s at the slow model's pace) when the stop comes.
            socket.await(type("roundtable.turn.delta"));
            as(ALICE).post("/api/roundtables/" + id + "/stop").then().statusCode(200);
        }
        awaitIdle(id);
        as(ALICE).get("/api/roundtables/" + id).then().body("stop_reason", equalTo("stopped"));
        // The interrupted turn is kept with what it had said; nothing followed it.
        List<String> speakers = as(ALICE).get("/api/roundtables/" + id + "/messages").then().extract().path("items.speaker");
        assertEquals(List.of("user", "Slow"), speakers);
        as(ALICE).body(Map.of("content", "short now")).post("/api/roundtables/" + id + "/messages").then().statusCode(202);
        as(ALICE).post("/api/roundtables/" + id + "/stop").then().statusCode(200);
        awaitIdle(id);
    }

    @Test
    void invalidRoundtablesAreRefusedAndOthersAreNotFound() {
        as(ALICE).body(Map.of("title", "", "turn_order", "chaos", "max_rounds", 0, "participants", List.of()))
                .post("/api/roundtables").then().statusCode(400)
                .body("errors.field", hasItems("title", "turn_order", "max_rounds", "participants"));
        as(ALICE).body(Map.of("title", "t", "turn_order", "moderator",
                        "participants", List.of(participant("A", "x", false), participant("a", "y", false))))
                .post("/api/roundtables").then().statusCode(400)
                .body("errors.field", hasItems("turn_order", "participants[1].name"));
        String id = create(Map.of("title", "mine", "participants", List.of(participant("A", "echo-a", false))));
        as(BOB).get("/api/roundtables/" + id).then().statusCode(404);
        as(BOB).get("/api/roundtables/" + id + "/messages").then().statusCode(404);
        as(BOB).body(Map.of("content", "hi")).post("/api/roundtables/" + id + "/messages").then().statusCode(404);
        as(BOB).delete("/api/roundtables/" + id).then().statusCode(404);
        as(ALICE).body(Map.of("content", " ")).post("/api/roundtables/" + id + "/messages").then().statusCode(400);
        as(ALICE).delete("/api/roundtables/" + id).then().statusCode(204);
        as(ALICE).get("/api/roundtables/" + id).then().statusCode(404);
    }

    @Test
    void aFailingModelEndsTheDiscussionAsFailed() {
        String id = create(Map.of("title", "f", "participants", List.of(participant("A", "broken-a", false))));
        as(ALICE).body(Map.of("content", "hello")).post("/api/roundtables/" + id + "/messages").then().statusCode(202);
        awaitIdle(id);
        as(ALICE).get("/api/roundtables/" + id).then().body("stop_reason", equalTo("failed"));
    }
}
