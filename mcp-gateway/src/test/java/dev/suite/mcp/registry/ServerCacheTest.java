package dev.suite.mcp.registry;

import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.events.EventPublisher;
import dev.suite.mcp.ModernFakeServer;
import dev.suite.mcp.NodeServers;
import dev.suite.mcp.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.suite.mcp.TestUsers.ALICE;
import static dev.suite.mcp.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

/** The proxy's copy of server rows follows changes made through any replica. */
@QuarkusTest
class ServerCacheTest {

    @Inject
    EventPublisher publisher;
    @Inject
    McpServerEvents events;

    @Test
    void anotherReplicasChangeReachesThisReplicasCopy() {
        try (NodeServers.Running everything = NodeServers.everything("streamableHttp");
                ModernFakeServer modern = new ModernFakeServer()) {
            String id = as(ALICE).body(Map.of("name", "cache-" + UUID.randomUUID().toString().substring(0, 8),
                            "type", "http-stream", "url", everything.url()))
                    .post("/api/mcp/servers").then().statusCode(201).extract().path("server_id");
            as(ALICE).get("/api/mcp/servers/" + id + "/tools").then().statusCode(200).body("tools.name", hasItem("get-sum"));

            // Another replica changes the row and announces it; this one only hears the event.
            TestDb.update("UPDATE mcp_server SET url = ?, updated_at = NOW(6) WHERE server_id = ?", modern.url(), id);
            publisher.publish(events.channel(), CloudEvent.of(McpServerEvents.SOURCE, McpServerEvents.UPDATED, id, null))
                    .await().atMost(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> as(ALICE).get("/api/mcp/servers/" + id + "/tools")
                    .then().statusCode(200).body("tools.name", hasItem("slow")));
        }
    }
}
