package dev.suite.workflow.openapi;

import dev.suite.commons.testing.WireContract;
import dev.suite.workflow.Graphs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static dev.suite.workflow.Executions.config;
import static dev.suite.workflow.TestUsers.ALICE;
import static dev.suite.workflow.TestUsers.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The service's OpenAPI document describes its wire: real requests and responses of every route
 * family, checked against the document the service serves at /q/openapi.
 */
@QuarkusTest
class WireContractTest {

    private WireContract contract;

    @BeforeEach
    void readTheDocument() {
        contract = WireContract.of(RestAssured.given().get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString());
    }

    private RequestSpecification alice() {
        return as(ALICE).filter(contract);
    }

    /** A graph of built-in nodes that call nothing: greets its input "who". */
    private static Graphs greeter() {
        return Graphs.create().input("who", "string", true)
                .node("in", "interface_input", config("name", "who"))
                .node("greet", "text_template", config("template", "Hi {{text}}"))
                .node("out", "interface_output", config("name", "greeting"))
                .edge("in", "value", "greet", "text").edge("greet", "text", "out", "value");
    }

    /** A person decides on a value, which then goes on to a template either way. */
    private static JsonObject review() {
        return Graphs.create()
                .node("ask", "approval", new JsonObject(), new JsonObject().put("value", "draft"))
                .node("yes", "text_template", config("template", "OK {{text}}"))
                .node("nope", "text_template", config("template", "NO {{text}}"))
                .edge("ask", "approved", "yes", "text").edge("ask", "rejected", "nope", "text")
                .output("ok", "yes", "text").output("no", "nope", "text")
                .run(null);
    }

    private String submit(JsonObject request) {
        return alice().body(request.encode()).post("/api/executions").then().statusCode(202).extract().path("execution_id");
    }

    private JsonPath awaitStatus(String executionId, String... statuses) {
        AtomicReference<JsonPath> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            last.set(alice().get("/api/executions/" + executionId).then().statusCode(200).extract().jsonPath());
            return List.of(statuses).contains(last.get().getString("status"));
        });
        return last.get();
    }

    private JsonPath awaitEnd(String executionId) {
        return awaitStatus(executionId, "completed", "failed", "interrupted");
    }

    private static String sign(String secret, long t, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyRouteFamilySpeaksAsDocumented() {
        // Workflows
        String workflow = alice().body(greeter().json().put("name", "wire-" + UUID.randomUUID())
                        .put("description", "greets").encode())
                .post("/api/workflows").then().statusCode(201).extract().path("workflow_id");
        alice().get("/api/workflows/" + workflow).then().statusCode(200);
        alice().get("/api/workflows?limit=5").then().statusCode(200);
        String read = alice().get("/api/workflows/" + workflow).then().statusCode(200).extract().asString();
        alice().body(read).put("/api/workflows/" + workflow).then().statusCode(200);
        alice().contentType("application/merge-patch+json").body("{\"description\": \"greets warmly\"}")
                .patch("/api/workflows/" + workflow).then().statusCode(200);
        alice().get("/api/workflows/" + workflow + "/versions").then().statusCode(200);
        alice().get("/api/workflows/" + workflow + "?version=1").then().statusCode(200);

        // A saved workflow run, and what its execution shows
        String run = alice().body(Map.of("inputs", Map.of("who", "Wire"), "priority", 6)).post("/api/workflows/" + workflow + "/run")
                .then().statusCode(202).extract().path("execution_id");
        assertEquals("completed", awaitEnd(run).getString("status"));
        alice().get("/api/executions?limit=5").then().statusCode(200);
        alice().get("/api/executions?status=completed&limit=5").then().statusCode(200);
        alice().get("/api/executions/" + run + "/nodes/greet/outputs").then().statusCode(200);
        String rerun = alice().body(Map.of("from_node", "greet")).post("/api/executions/" + run + "/rerun")
                .then().statusCode(202).extract().path("execution_id");
        assertEquals("completed", awaitEnd(rerun).getString("status"));

        // Inline graphs, one and many
        String inline = submit(greeter().run(new JsonObject().put("who", "inline")).put("priority", 3));
        awaitEnd(inline);
        List<String> batch = alice().body(new JsonObject().put("executions", List.of(
                        greeter().run(new JsonObject().put("who", "one")),
                        greeter().run(new JsonObject().put("who", "two")))).encode())
                .post("/api/executions/batch").then().statusCode(202).extract().path("items.execution_id");
        batch.forEach(this::awaitEnd);

        // Approvals, and interrupting a waiting run and a running one
        String approved = submit(review());
        awaitStatus(approved, "waiting");
        alice().body(Map.of("data", "final", "comment", "fine")).post("/api/executions/" + approved + "/nodes/ask/approve")
                .then().statusCode(200);
        assertEquals("completed", awaitEnd(approved).getString("status"));
        String rejected = submit(review());
        awaitStatus(rejected, "waiting");
        alice().post("/api/executions/" + rejected + "/nodes/ask/reject").then().statusCode(200);
        awaitEnd(rejected);
        String waiting = submit(review());
        awaitStatus(waiting, "waiting");
        alice().post("/api/executions/" + waiting + "/interrupt").then().statusCode(200);
        String running = submit(Graphs.create().node("hold", "delay", config("ms", 60_000), new JsonObject().put("value", 1)).run(null));
        awaitStatus(running, "running");
        alice().post("/api/executions/" + running + "/interrupt").then().statusCode(202);
        awaitEnd(running);
        alice().delete("/api/executions/" + running).then().statusCode(204);

        // Triggers
        String triggers = "/api/workflows/" + workflow + "/triggers";
        String schedule = alice().body(Map.of("kind", "schedule", "name", "daily", "cron", "@daily", "inputs", Map.of("who", "cron")))
                .post(triggers).then().statusCode(201).extract().path("trigger_id");
        JsonPath webhook = alice().body(Map.of("kind", "webhook", "name", "hook")).post(triggers)
                .then().statusCode(201).extract().jsonPath();
        String hook = webhook.getString("trigger_id");
        alice().get(triggers).then().statusCode(200);
        String scheduleRead = alice().get(triggers + "/" + schedule).then().statusCode(200).extract().asString();
        alice().body(scheduleRead).put(triggers + "/" + schedule).then().statusCode(200);
        String hookRead = alice().get(triggers + "/" + hook).then().statusCode(200).extract().asString();
        alice().body(hookRead).put(triggers + "/" + hook).then().statusCode(200);

        // A webhook delivery, answered with the finished run (200) and, not waited for, with where to follow it (202)
        String body = "{\"who\": \"Web\"}";
        long now = Instant.now().getEpochSecond();
        RestAssured.given().filter(contract).contentType("application/json").header("X-Suite-Signature", sign(webhook.getString("secret"), now, body))
                .header("X-Suite-Delivery", "wire-1").body(body).post(webhook.getString("webhook_url")).then().statusCode(200);
        alice().body(Map.of("kind", "webhook", "name", "hook", "respond_within_seconds", 0)).put(triggers + "/" + hook)
                .then().statusCode(200);
        String later = RestAssured.given().filter(contract).contentType("application/json")
                .header("X-Suite-Signature", sign(webhook.getString("secret"), now, body)).header("X-Suite-Delivery", "wire-2")
                .body(body).post(webhook.getString("webhook_url")).then().statusCode(202).extract().path("execution_id");
        awaitEnd(later);
        alice().delete(triggers + "/" + schedule).then().statusCode(204);
        alice().delete(triggers + "/" + hook).then().statusCode(204);

        // The node catalog, the socket ticket, health
        alice().get("/api/nodes").then().statusCode(200);
        alice().get("/api/nodes/text_template").then().statusCode(200);
        alice().post("/api/executions/socket-ticket").then().statusCode(200);
        RestAssured.given().filter(contract).get("/api/health").then().statusCode(200);

        // Problems
        alice().body("{\"description\": \"no name\"}").post("/api/workflows").then().statusCode(400);
        alice().get("/api/workflows/not-a-workflow").then().statusCode(404);

        alice().delete("/api/workflows/" + workflow).then().statusCode(204);

        assertEquals(List.of(), contract.findings());
        assertEquals(List.of(), contract.documentFindings());
    }
}
