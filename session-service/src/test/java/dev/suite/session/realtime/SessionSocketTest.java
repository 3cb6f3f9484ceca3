package dev.suite.session.realtime;

import dev.suite.commons.testing.SocketClient;
import dev.suite.session.Fixtures;
import dev.suite.session.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.suite.commons.testing.SocketClient.type;
import static dev.suite.session.TestUsers.ALICE;
import static dev.suite.session.TestUsers.BOB;
import static dev.suite.session.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class SessionSocketTest {

    @Test
    void aSubscriberReceivesMessageEventsOfItsSessions() throws Exception {
        String session = Fixtures.session(ALICE, "agent");
        try (SocketClient socket = SocketClient.connect(RestAssured.port, "/ws/sessions", ALICE, null)) {
            JsonObject ack = socket.sendAndAwait(new JsonObject().put("session_ids", new JsonArray().add(session)).put("type", "subscribe"),
                    SocketClient.type("subscribed"));
            assertEquals(List.of(session), ack.getJsonArray("session_ids").getList());
            String id = Fixtures.message(ALICE, session, "user", "live", 1);
            JsonObject created = socket.await(type("message.created"));
            assertEquals(session, created.getString("subject"));
            assertEquals(id, created.getJsonObject("data").getString("message_id"));
            assertTrue(created.getString("id").matches("\\d+-\\d+"));
            as(ALICE).body(Map.of("content", "edited")).put("/api/messages/" + id).then().statusCode(200);
            assertEquals("edited", socket.await(type("message.updated")).getJsonObject("data").getString("content"));
            as(ALICE).delete("/api/messages/" + id).then().statusCode(204);
            assertEquals(id, socket.await(type("message.deleted")).getJsonObject("data").getString("message_id"));
            socket.send(new JsonObject().put("type", "ping"));
            socket.await(type("pong"));
        }
    }

    @Test
    void anotherUsersSessionIsRefusedLikeAMissingOne() throws Exception {
        String alices = Fixtures.session(ALICE, "agent");
        try (SocketClient bob = SocketClient.connect(RestAssured.port, "/ws/sessions", BOB, null)) {
            JsonObject ack = bob.sendAndAwait(new JsonObject().put("session_ids", new JsonArray().add(alices)).put("type", "subscribe"),
                    SocketClient.type("subscribed"));
            assertTrue(ack.getJsonArray("session_ids").isEmpty());
            JsonObject error = bob.await(type("error"));
            assertEquals(404, error.getInteger("status"));
            Fixtures.message(ALICE, alices, "user", "private", 1);
            // A marker event of Bob's own, sent after Alice's, proves Alice's never came.
            String bobs = Fixtures.session(BOB, "agent");
            bob.sendAndAwait(new JsonObject().put("session_ids", new JsonArray().add(bobs)).put("type", "subscribe"),
                    SocketClient.type("subscribed"));
            Fixtures.message(BOB, bobs, "user", "mine", 1);
            bob.await(type("message.created"));
            assertEquals(1, bob.received.stream().filter(type("message.created")).count());
            assertEquals(bobs, bob.received.stream().filter(type("message.created")).findFirst().orElseThrow()
                    .getString("subject"));
        }
    }

    @Test
    void withoutCredentialsOrTicketTheSocketIsClosed() throws Exception {
        try (SocketClient anonymous = SocketClient.connect(RestAssured.port, "/ws/sessions", null, null)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> anonymous.closeStatus != null);
            assertEquals((short) 1008, anonymous.closeStatus);
        }
    }

    @Test
    void aBrowserOpensWithASingleUseTicket() throws Exception {
        String session = Fixtures.session(ALICE, "agent");
        String ticket = as(ALICE).post("/api/sessions/socket-ticket").then().statusCode(200).extract().path("ticket");
        try (SocketClient socket = SocketClient.connect(RestAssured.port, "/ws/sessions", null, "ticket=" + ticket)) {
            socket.sendAndAwait(new JsonObject().put("session_ids", new JsonArray().add(session)).put("type", "subscribe"),
                    SocketClient.type("subscribed"));
            Fixtures.message(ALICE, session, "user", "via ticket", 1);
            socket.await(type("message.created"));
        }
        try (SocketClient again = SocketClient.connect(RestAssured.port, "/ws/sessions", null, "ticket=" + ticket)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> again.closeStatus != null);
        }
    }

    @Test
    void aReconnectWithTheLastEventIdReceivesWhatItMissed() throws Exception {
        String session = Fixtures.session(ALICE, "agent");
        String other = Fixtures.session(ALICE, "agent");
        String lastSeen;
        try (SocketClient first = SocketClient.connect(RestAssured.port, "/ws/sessions", ALICE, null)) {
            first.sendAndAwait(new JsonObject().put("session_ids", new JsonArray().add(session)).put("type", "subscribe"),
                    SocketClient.type("subscribed"));
            Fixtures.message(ALICE, session, "user", "seen", 1);
            lastSeen = first.await(type("message.created")).getString("id");
        }
        String missed1 = Fixtures.message(ALICE, session, "user", "missed one", 1);
        Fixtures.message(ALICE, other, "user", "not followed", 1);
        String missed2 = Fixtures.message(ALICE, session, "assistant", "missed two", 1);
        try (SocketClient second = SocketClient.connect(RestAssured.port, "/ws/sessions", ALICE, null)) {
            second.sendAndAwait(new JsonObject().put("session_ids", new JsonArray().add(session)).put("last_event_id", lastSeen).put("type", "subscribe"),
                    SocketClient.type("subscribed"));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    second.received.stream().filter(type("message.created")).count() == 2);
            List<String> replayed = second.received.stream().filter(type("message.created"))
                    .map(m -> m.getJsonObject("data").getString("message_id")).toList();
            assertEquals(List.of(missed1, missed2), replayed);
            String live = Fixtures.message(ALICE, session, "user", "live again", 1);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    second.received.stream().filter(type("message.created")).count() == 3);
            assertEquals(live, second.received.stream().filter(type("message.created")).skip(2).findFirst()
                    .orElseThrow().getJsonObject("data").getString("message_id"));
        }
    }
}
