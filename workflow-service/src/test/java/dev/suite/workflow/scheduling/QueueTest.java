package dev.suite.workflow.scheduling;

import dev.suite.workflow.Graphs;
import dev.suite.workflow.Upstreams;
import dev.suite.workflow.testnodes.GateNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.suite.workflow.Executions.awaitEnd;
import static dev.suite.workflow.Executions.config;
import static dev.suite.workflow.Executions.get;
import static dev.suite.workflow.Executions.submit;
import static dev.suite.workflow.TestUsers.ALICE;
import static dev.suite.workflow.TestUsers.BOB;
import static dev.suite.workflow.TestUsers.CAROL;
import static dev.suite.workflow.TestUsers.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The global cap (4 in tests), priorities and FIFO within a priority, and turns between users. */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class QueueTest {

    private static JsonObject gated(String gate, Integer priority) {
        JsonObject run = Graphs.create().node("wait", "test_gate", config("name", gate)).run(null);
        return priority == null ? run : run.put("priority", priority);
    }

    @Test
    void theCapHoldsAndTheQueueIsOrderedByPriorityThenAge() {
        List<String> running = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            running.add(submit(ALICE, gated("cap", null)));
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> GateNode.reached("cap").size() == 4);
        String older = submit(ALICE, gated("cap", 5));
        String newer = submit(ALICE, gated("cap", 5));
        String urgent = submit(ALICE, gated("cap", 9));
        String low = submit(ALICE, gated("cap", 0));
        // Nothing more starts while four run, and the queue reads: priority first, then age.
        assertEquals(List.of(0, 1, 2, 3), List.of(position(urgent), position(older), position(newer), position(low)));
        assertEquals(4, GateNode.reached("cap").size());
        running.forEach(id -> assertEquals("running", get(ALICE, id).getString("status")));

        GateNode.open("cap");
        for (String id : List.of(running.get(0), older, newer, urgent, low)) {
            assertEquals("completed", awaitEnd(ALICE, id).getString("status"));
        }
    }

    @Test
    void aUserWithThousandsQueuedDoesNotStarveAnothersOneExecution() {
        String hold = "hold-" + UUID.randomUUID();
        String pass = "pass-" + UUID.randomUUID();
        List<String> holding = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            holding.add(submit(CAROL, gated(hold, null)));
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> GateNode.reached(hold).size() == 4);
        // The queue is full: carol queues 5,000, bob then queues one; all pass the open gate that records their order.
        GateNode.open(pass);
        List<String> carols = new ArrayList<>();
        for (int batch = 0; batch < 5; batch++) {
            JsonArray executions = new JsonArray();
            for (int i = 0; i < 1_000; i++) {
                executions.add(gated(pass, null));
            }
            carols.addAll(as(CAROL).body(new JsonObject().put("executions", executions).encode()).post("/api/executions/batch")
                    .then().statusCode(202).extract().<List<String>>path("items.execution_id"));
        }
        String bobs = submit(BOB, gated(pass, 1));
        int position = get(BOB, bobs).getInt("position");
        assertTrue(position <= 1, "bob's one execution waits behind at most one of carol's, not 5,000: " + position);

        GateNode.open(hold);
        assertEquals("completed", awaitEnd(BOB, bobs).getString("status"));
        int started = GateNode.reached(pass).indexOf(bobs);
        assertTrue(started >= 0 && started < 50, "bob's execution started after " + started + " of carol's");
        Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> GateNode.reached(pass).size() == 5_001);
        assertEquals("completed", awaitEnd(CAROL, carols.get(carols.size() - 1)).getString("status"));
    }

    private static int position(String id) {
        JsonPath execution = get(ALICE, id);
        assertEquals("queued", execution.getString("status"));
        return execution.getInt("position");
    }
}
