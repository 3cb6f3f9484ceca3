package dev.suite.task.events;

import dev.suite.commons.redis.StreamIds;
import dev.suite.commons.testing.SocketClient;
import dev.suite.task.Tasks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static dev.suite.commons.testing.SocketClient.type;
import static dev.suite.task.TestUsers.ALICE;
import static dev.suite.task.TestUsers.BOB;
import static dev.suite.task.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /ws/tasks: live events across a user's tasks, replay after a reconnect, and nobody else's tasks. */
@QuarkusTest
class TaskSocketTest {

    private static Predicate<JsonObject> state(String taskId, String state) {
        return m -> "task.state".equals(m.getString("type")) && taskId.equals(m.getString("subject"))
                && state.equals(m.getJsonObject("data").getString("state"));
    }

    private static String noop(String user) {
        return Tasks.create(user, Map.of("type", "noop"));
    }

    @Test
    void aSubscriberToAllItsTasksSeesEachOneThroughAndNobodyElses() throws Exception {
        try (SocketClient socket = SocketClient.connect(RestAssured.port, "/ws/tasks", ALICE, null)) {
            JsonObject ack = socket.sendAndAwait(new JsonObject().put("type", "subscribe").put("all", true), type("subscribed"));
            assertEquals(true, ack.getBoolean("all"));
            String bobs = noop(BOB);
            String first = noop(ALICE);
            String second = noop(ALICE);
            JsonObject done = socket.await(state(first, "COMPLETED"));
            socket.await(state(second, "COMPLETED"));
            assertTrue(done.getString("id").matches("\\d+-\\d+"), done.encode());
            assertEquals(first, done.getJsonObject("data").getString("task_id"));
            Tasks.awaitState(BOB, bobs, "COMPLETED");
            // Bob's task finished before Alice's marker task was even created: had it come, it would be here.
            String marker = noop(ALICE);
            socket.await(state(marker, "COMPLETED"));
            assertTrue(socket.received.stream().noneMatch(m -> bobs.equals(m.getString("subject"))));
            socket.sendAndAwait(new JsonObject().put("type", "ping"), type("pong"));
        }
    }

    @Test
    void aSubscriberToSomeTasksSeesOnlyThoseAndOthersIdsAreRefused() throws Exception {
        String bobs = noop(BOB);
        String mine = Tasks.create(ALICE, Map.of("type", "noop", "run_at", Instant.now().plusSeconds(2).toString()));
        try (SocketClient socket = SocketClient.connect(RestAssured.port, "/ws/tasks", ALICE, null)) {
            JsonObject ack = socket.sendAndAwait(new JsonObject().put("type", "subscribe")
                    .put("task_ids", new JsonArray().add(mine).add(bobs)), type("subscribed"));
            assertEquals(List.of(mine), ack.getJsonArray("task_ids").getList());
            assertEquals(List.of(bobs), socket.await(type("error")).getJsonArray("ids").getList());
            String other = noop(ALICE);
            Tasks.awaitState(ALICE, other, "COMPLETED");
            socket.await(state(mine, "COMPLETED"));
            assertTrue(socket.received.stream().noneMatch(m -> other.equals(m.getString("subject"))));
        }
    }

    @Test
    void aClientThatReconnectsWithItsLastEventIdIsReplayedWhatItMissedOnceAndInOrder() throws Exception {
        String task;
        String lastSeen;
        try (SocketClient socket = SocketClient.connect(RestAssured.port, "/ws/tasks", ALICE, null)) {
            socket.sendAndAwait(new JsonObject().put("type", "subscribe").put("all", true), type("subscribed"));
            task = Tasks.create(ALICE, Map.of("type", "noop", "run_at", Instant.now().plusSeconds(2).toString()));
            lastSeen = socket.await(m -> "task.state".equals(m.getString("type")) && task.equals(m.getString("subject")))
                    .getString("id");
        }
        Tasks.awaitState(ALICE, task, "COMPLETED");
        try (SocketClient socket = SocketClient.connect(RestAssured.port, "/ws/tasks", ALICE, null)) {
            socket.send(new JsonObject().put("type", "subscribe").put("task_ids", new JsonArray().add(task))
                    .put("last_event_id", lastSeen));
            socket.await(state(task, "COMPLETED"));
            List<JsonObject> replayed = socket.received.stream()
                    .filter(m -> "task.state".equals(m.getString("type"))).toList();
            assertTrue(replayed.stream().noneMatch(m -> lastSeen.equals(m.getString("id"))), replayed.toString());
            List<String> ids = replayed.stream().map(m -> m.getString("id")).toList();
            assertEquals(ids.stream().sorted((a, b) -> StreamIds.isAfter(a, b) ? 1 : -1).toList(), ids);
            assertEquals(ids.stream().distinct().toList(), ids);
            socket.sendAndAwait(new JsonObject().put("type", "subscribe").put("last_event_id", "not-an-id"), type("error"));
        }
    }

    @Test
    void aBrowserOpensItWithATicketAndWithoutOneItIsClosed() throws Exception {
        String ticket = as(ALICE).post("/api/v1/tasks/socket-ticket").then().statusCode(200).extract().path("ticket");
        try (SocketClient socket = SocketClient.connect(RestAssured.port, "/ws/tasks", null, "ticket=" + ticket)) {
            socket.sendAndAwait(new JsonObject().put("type", "subscribe").put("all", true), type("subscribed"));
        }
        try (SocketClient anonymous = SocketClient.connect(RestAssured.port, "/ws/tasks", null, null)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> anonymous.closeStatus != null);
            assertEquals((short) 1008, anonymous.closeStatus);
        }
    }
}
