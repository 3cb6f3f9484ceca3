package dev.suite.workflow.realtime;

import dev.suite.commons.testing.SocketClient;
import dev.suite.workflow.Frames;
import dev.suite.workflow.Graphs;
import dev.suite.workflow.Upstreams;
import dev.suite.workflow.testnodes.GateNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.suite.commons.testing.SocketClient.type;
import static dev.suite.workflow.Executions.awaitEnd;
import static dev.suite.workflow.Executions.config;
import static dev.suite.workflow.Executions.submit;
import static dev.suite.workflow.Frames.event;
import static dev.suite.workflow.TestUsers.ALICE;
import static dev.suite.workflow.TestUsers.BOB;
import static dev.suite.workflow.TestUsers.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class WorkflowSocketTest {

    private static JsonObject threeNodes() {
        return Graphs.create().node("a", "noop", null, new JsonObject().put("value", "v")).node("b", "noop").node("c", "noop")
                .edge("a", "value", "b", "value").edge("b", "value", "c", "value").output("out", "c", "value").run(null);
    }

    @Test
    void aPromptRequestIsAcceptedAndItsEventsFollowInOrder() throws Exception {
        try (SocketClient socket = Frames.connect(ALICE, null)) {
            Frames.send(socket, "PROMPT_REQUEST", threeNodes());
            JsonObject accepted = socket.await(type("PROMPT_ACCEPTED_RESPONSE")).getJsonObject("payload");
            String id = accepted.getString("prompt_id");
            assertEquals(id, accepted.getString("execution_id"));
            assertEquals("queued", accepted.getString("status"));
            socket.await(event("EXECUTION_COMPLETE", id));
            List<String> types = Frames.eventsOf(socket, id).stream().map(e -> e.getString("type")
                    + (e.getJsonObject("payload").containsKey("node_id") ? ":" + e.getJsonObject("payload").getString("node_id") : ""))
                    .toList();
            assertEquals(List.of("EXECUTION_STATUS_UPDATE", "EXECUTION_STATUS_UPDATE", "NODE_EXECUTING:a", "NODE_COMPLETE:a",
                    "NODE_EXECUTING:b", "NODE_COMPLETE:b", "NODE_EXECUTING:c", "NODE_COMPLETE:c", "EXECUTION_COMPLETE"), types);
            JsonObject complete = socket.await(event("EXECUTION_COMPLETE", id)).getJsonObject("payload");
            assertEquals("v", complete.getJsonObject("outputs").getString("out"));
            assertEquals("completed", complete.getString("status"));
        }
    }

    @Test
    void aReconnectingClientIsReplayedWhatItMissedThenLiveEvents() throws Exception {
        String id;
        String lastSeen;
        List<JsonObject> seenLive;
        try (SocketClient first = Frames.connect(ALICE, null)) {
            Frames.send(first, "PROMPT_REQUEST", Graphs.create().node("a", "noop", null, new JsonObject().put("value", 1))
                    .node("hold", "test_gate", config("name", "replay")).node("after", "noop")
                    .edge("a", "value", "hold", "value").edge("hold", "value", "after", "value").run(null));
            id = first.await(type("PROMPT_ACCEPTED_RESPONSE")).getJsonObject("payload").getString("execution_id");
            first.await(e -> "NODE_EXECUTING".equals(e.getString("type"))
                    && "hold".equals(e.getJsonObject("payload").getString("node_id")));
            seenLive = Frames.eventsOf(first, id);
            lastSeen = seenLive.get(2).getString("event_id");
        }
        // Events the first socket never saw: the gate opens and the execution ends while nobody listens.
        GateNode.open("replay");
        awaitEnd(ALICE, id);
        try (SocketClient second = Frames.connect(ALICE, null)) {
            Frames.send(second, "SUBSCRIBE", new JsonObject().put("execution_id", id).put("last_event_id", lastSeen));
            second.await(event("EXECUTION_COMPLETE", id));
            List<JsonObject> replayed = Frames.eventsOf(second, id);
            // Exactly the events after the last one seen: the same ids as the live ones, then the rest.
            assertEquals(seenLive.subList(3, seenLive.size()), replayed.subList(0, seenLive.size() - 3));
            assertEquals(List.of("NODE_COMPLETE", "NODE_EXECUTING", "NODE_COMPLETE", "NODE_EXECUTING", "NODE_COMPLETE",
                    "EXECUTION_COMPLETE"), replayed.stream().map(e -> e.getString("type")).toList());
        }
        // Without last_event_id, everything kept is replayed; the same ids each time.
        try (SocketClient third = Frames.connect(ALICE, null);
             SocketClient fourth = Frames.connect(ALICE, null)) {
            Frames.send(third, "SUBSCRIBE", new JsonObject().put("execution_id", id));
            Frames.send(fourth, "SUBSCRIBE", new JsonObject().put("prompt_id", id));
            third.await(event("EXECUTION_COMPLETE", id));
            fourth.await(event("EXECUTION_COMPLETE", id));
            assertEquals(Frames.eventsOf(third, id), Frames.eventsOf(fourth, id));
            assertEquals(9, Frames.eventsOf(third, id).size());
        }
    }

    @Test
    void anotherUsersExecutionCannotBeFollowedOrInterrupted() throws Exception {
        String id = submit(ALICE, threeNodes());
        awaitEnd(ALICE, id);
        try (SocketClient bob = Frames.connect(BOB, null)) {
            Frames.send(bob, "SUBSCRIBE", new JsonObject().put("execution_id", id));
            JsonObject error = bob.await(type("ERROR")).getJsonObject("payload");
            assertEquals(404, error.getInteger("status"));
            Frames.send(bob, "INTERRUPT", new JsonObject().put("execution_id", id));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> bob.received.stream().filter(type("ERROR")).count() == 2);
            assertTrue(Frames.eventsOf(bob, id).isEmpty());
        }
    }

    @Test
    void badMessagesGetErrorsAndTheSocketStaysOpen() throws Exception {
        try (SocketClient socket = Frames.connect(ALICE, null)) {
            Frames.send(socket, "PROMPT_REQUEST", Graphs.create().node("x", "no_such").run(null));
            JsonObject invalid = socket.await(type("ERROR")).getJsonObject("payload");
            assertEquals(400, invalid.getInteger("status"));
            assertEquals("nodes[0].type", invalid.getJsonArray("errors").getJsonObject(0).getString("field"));
            socket.send(new JsonObject().put("type", "DANCE"));
            socket.send(new JsonObject().put("type", "SUBSCRIBE").put("payload", new JsonObject().put("execution_id", "x")
                    .put("last_event_id", "yesterday")));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> socket.received.stream().filter(type("ERROR")).count() == 3);
            socket.send(new JsonObject().put("type", "PING"));
            socket.await(type("PONG"));
        }
    }

    @Test
    void browsersOpenTheSocketWithASingleUseTicket() throws Exception {
        try (SocketClient anonymous = Frames.connect(null, null)) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> anonymous.closeStatus != null);
            assertEquals((short) 1008, anonymous.closeStatus);
        }
        String ticket = as(ALICE).post("/api/executions/socket-ticket").then().statusCode(200).extract().path("ticket");
        try (SocketClient socket = Frames.connect(null, "ticket=" + ticket)) {
            socket.send(new JsonObject().put("type", "PING"));
            socket.await(type("PONG"));
        }
        try (SocketClient again = Frames.connect(null, "ticket=" + ticket)) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> again.closeStatus != null);
        }
    }

    @Test
    void everySocketHearsHowFullTheQueueIs() throws Exception {
        try (SocketClient socket = Frames.connect(ALICE, null)) {
            JsonObject update = socket.await(type("SYSTEM_QUEUE_UPDATE")).getJsonObject("payload");
            assertEquals(4, update.getInteger("max_running"));
            assertTrue(update.containsKey("queued") && update.containsKey("running"));
        }
    }
}
