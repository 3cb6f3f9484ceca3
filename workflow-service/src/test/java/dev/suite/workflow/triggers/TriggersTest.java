package dev.suite.workflow.triggers;

import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.events.EventPublisher;
import dev.suite.commons.redis.RedisNames;
import dev.suite.commons.timer.DueSet;
import dev.suite.workflow.Executions;
import dev.suite.workflow.Graphs;
import dev.suite.workflow.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static dev.suite.workflow.Executions.config;
import static dev.suite.workflow.TestUsers.ALICE;
import static dev.suite.workflow.TestUsers.BOB;
import static dev.suite.workflow.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Schedules, webhooks and event triggers: each firing starts one run, for the trigger's owner. */
@QuarkusTest
class TriggersTest {

    @Inject
    ScheduledTriggers schedules;

    @Inject
    EventPublisher publisher;

    @Inject
    RedisNames names;

    @Inject
    ObjectMapper mapper;

    /** A saved workflow greeting its input "who". */
    private static String greeter(String user) {
        return as(user).body(Graphs.create().input("who", "string", true)
                        .node("in", "interface_input", config("name", "who"))
                        .node("greet", "text_template", config("template", "Hi {{text}}"))
                        .node("out", "interface_output", config("name", "greeting"))
                        .edge("in", "value", "greet", "text").edge("greet", "text", "out", "value")
                        .json().put("name", "greeter-" + UUID.randomUUID()).encode())
                .post("/api/workflows").then().statusCode(201).extract().path("workflow_id");
    }

    private static String path(String workflowId) {
        return "/api/workflows/" + workflowId + "/triggers";
    }

    private static JsonPath trigger(String workflowId, String triggerId) {
        return as(ALICE).get(path(workflowId) + "/" + triggerId).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aScheduleRunsTheWorkflowAtEachTickWithItsInputsAndRecordsTheVersion() {
        String workflow = greeter(ALICE);
        String id = as(ALICE).body(Map.of("kind", "schedule", "name", "each second", "cron", "* * * * * *",
                        "inputs", Map.of("who", "tick")))
                .post(path(workflow)).then().statusCode(201).body("next_run_at", notNullValue())
                .body("missed", equalTo("catch_up_once")).body("time_zone", equalTo("UTC")).extract().path("trigger_id");
        await().atMost(Duration.ofSeconds(20)).until(() -> trigger(workflow, id).getLong("fires") >= 2);
        JsonPath done = Executions.awaitEnd(ALICE, trigger(workflow, id).getString("last_execution_id"));
        assertEquals("completed", done.getString("status"));
        assertEquals("Hi tick", done.getString("outputs.greeting"));
        assertEquals(1, done.getInt("workflow_version"), "the version that ran, though the trigger names none");

        as(ALICE).body(Map.of("kind", "schedule", "name", "each second", "cron", "* * * * * *", "enabled", false,
                        "inputs", Map.of("who", "tick")))
                .put(path(workflow) + "/" + id).then().statusCode(200).body("next_run_at", nullValue());
        long fires = trigger(workflow, id).getLong("fires");
        await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertTrue(trigger(workflow, id).getLong("fires") <= fires + 1, "fired after it was disabled");
    }

    @Test
    void twoReplicasFiringTheSameTickStartOneRun() {
        String workflow = greeter(ALICE);
        String id = as(ALICE).body(Map.of("kind", "schedule", "name", "yearly", "cron", "@yearly", "inputs", Map.of("who", "x")))
                .post(path(workflow)).then().statusCode(201).extract().path("trigger_id");
        Instant tick = Instant.now().minusMillis(200).truncatedTo(ChronoUnit.MILLIS);
        TestDb.update("UPDATE workflow_trigger SET next_run_at = ? WHERE trigger_id = ?", LocalDateTime.ofInstant(tick, ZoneOffset.UTC), id);
        List<DueSet.Due> due = List.of(new DueSet.Due(id, tick));
        Instant now = Instant.now();
        CompletableFuture<Map<String, Instant>> one = schedules.fire(due, now).subscribeAsCompletionStage();
        CompletableFuture<Map<String, Instant>> two = schedules.fire(due, now).subscribeAsCompletionStage();
        assertEquals(one.join().get(id), two.join().get(id));
        assertEquals(1, TestDb.count("SELECT COUNT(*) FROM execution WHERE trigger_id = ?", id));
        JsonPath after = trigger(workflow, id);
        assertEquals(1, after.getLong("fires"));
        assertTrue(Instant.parse(after.getString("next_run_at")).isAfter(now));
    }

    @Test
    void triggersAreCheckedForTheirKindTheWorkflowAndItsInputs() {
        String workflow = greeter(ALICE);
        as(ALICE).body(Map.of("kind", "schedule", "name", "s", "cron", "@daily", "secret", "x".repeat(20),
                        "inputs", Map.of("who", "a"))).post(path(workflow))
                .then().statusCode(400).body("errors.field", hasItem("secret"));
        as(ALICE).body(Map.of("kind", "schedule", "name", "s", "inputs", Map.of("who", "a"))).post(path(workflow))
                .then().statusCode(400).body("errors.field", hasItem("cron"));
        as(ALICE).body(Map.of("kind", "schedule", "name", "s", "cron", "@daily", "inputs", Map.of("who", 5))).post(path(workflow))
                .then().statusCode(400).body("errors.field", hasItem("inputs.who"));
        as(ALICE).body(Map.of("kind", "event", "name", "e", "event_type", "task.exploded")).post(path(workflow))
                .then().statusCode(400).body("errors.field", hasItem("event_type"));
        // The greeter takes "who", not an event: an event trigger could never start it.
        as(ALICE).body(Map.of("kind", "event", "name", "e", "event_type", "task.completed", "inputs", Map.of("who", "a")))
                .post(path(workflow)).then().statusCode(400).body("errors.field", hasItem("inputs.event"));
        as(ALICE).body(Map.of("kind", "cron", "name", "c")).post(path(workflow)).then().statusCode(400);
        as(ALICE).body(Map.of("kind", "webhook", "name", "w", "version", 7)).post(path(workflow)).then().statusCode(404);
        as(BOB).body(Map.of("kind", "webhook", "name", "w")).post(path(workflow)).then().statusCode(404);
        String id = as(ALICE).body(Map.of("kind", "webhook", "name", "w")).post(path(workflow)).then().statusCode(201)
                .extract().path("trigger_id");
        as(BOB).get(path(workflow) + "/" + id).then().statusCode(404);
        as(BOB).get(path(workflow)).then().statusCode(404);
        as(ALICE).get(path(workflow)).then().statusCode(200).body("trigger_id", hasItem(id));
        as(ALICE).body(Map.of("kind", "schedule", "name", "w", "cron", "@daily")).put(path(workflow) + "/" + id)
                .then().statusCode(400).body("errors.field", hasItem("kind"));
        as(ALICE).delete(path(workflow) + "/" + id).then().statusCode(204);
        as(ALICE).get(path(workflow) + "/" + id).then().statusCode(404);
    }

    private static String sign(String secret, long t, String body) {
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(Webhooks.hmac(secret, Long.toString(t), body.getBytes(StandardCharsets.UTF_8)));
    }

    private static Response hook(String url, String signature, String delivery, String body) {
        var request = RestAssured.given().contentType("application/json").body(body);
        if (signature != null) {
            request.header(Webhooks.SIGNATURE, signature);
        }
        if (delivery != null) {
            request.header(Webhooks.DELIVERY, delivery);
        }
        return request.post(url);
    }

    @Test
    void aSignedWebhookCallRunsTheWorkflowWithItsBodyAndAnswersItsOutputs() {
        String workflow = greeter(ALICE);
        JsonPath created = as(ALICE).body(Map.of("kind", "webhook", "name", "hook")).post(path(workflow))
                .then().statusCode(201).body("has_secret", equalTo(true)).extract().jsonPath();
        String id = created.getString("trigger_id");
        String secret = created.getString("secret");
        String url = created.getString("webhook_url");
        assertEquals(64, secret.length());
        as(ALICE).get(path(workflow) + "/" + id).then().body("secret", nullValue()).body("webhook_url", equalTo(url));

        String body = "{\"who\": \"Web\"}";
        long now = Instant.now().getEpochSecond();
        hook(url, null, null, body).then().statusCode(401);
        hook(url, sign("not-the-secret-at-all", now, body), null, body).then().statusCode(401);
        hook(url, sign(secret, now - 3600, body), null, body).then().statusCode(401).body("detail", containsString("s from now"));
        hook(url, sign(secret, now, body), null, body.replace("Web", "Bad")).then().statusCode(401);
        hook(url, sign(secret, now, "[1]"), null, "[1]").then().statusCode(400);
        hook(url, sign(secret, now, "{\"who\": 3}"), null, "{\"who\": 3}").then().statusCode(400)
                .body("errors.field", hasItem("inputs.who"));

        String first = hook(url, sign(secret, now, body), "delivery-1", body).then().statusCode(200)
                .body("status", equalTo("completed")).body("outputs.greeting", equalTo("Hi Web"))
                .extract().path("execution_id");
        // The sender retries the same delivery: nothing new starts.
        hook(url, sign(secret, now, body), "delivery-1", body).then().statusCode(200).body("execution_id", equalTo(first));
        String second = hook(url, sign(secret, now, body), "delivery-2", body).then().statusCode(200)
                .extract().path("execution_id");
        assertNotEquals(first, second);
        assertEquals(2, trigger(workflow, id).getLong("fires"));

        // Not waited for: 202 with where to follow it.
        as(ALICE).body(Map.of("kind", "webhook", "name", "hook", "respond_within_seconds", 0)).put(path(workflow) + "/" + id)
                .then().statusCode(200);
        String later = hook(url, sign(secret, now, body), "delivery-3", body).then().statusCode(202)
                .header("Location", containsString("/api/executions/")).extract().path("execution_id");
        assertEquals("completed", Executions.awaitEnd(ALICE, later).getString("status"));

        as(ALICE).body(Map.of("kind", "webhook", "name", "hook", "enabled", false)).put(path(workflow) + "/" + id)
                .then().statusCode(200);
        hook(url, sign(secret, now, body), "delivery-4", body).then().statusCode(409);
        hook("/api/hooks/" + UUID.randomUUID(), sign(secret, now, body), null, body).then().statusCode(404);
        // The open path leads nowhere else: a dot-segment that would resolve out of it is refused.
        RestAssured.given().urlEncodingEnabled(false).get("/api/hooks/%2e%2e/workflows").then().statusCode(400);
        RestAssured.given().urlEncodingEnabled(false).delete("/api/hooks/%2e%2e/workflows/" + workflow).then().statusCode(400);
        as(ALICE).get("/api/workflows/" + workflow).then().statusCode(200);
    }

    @Test
    void anEventOfTheOwnerRunsTheWorkflowOnceWhateverHearsIt() throws Exception {
        String workflow = as(ALICE).body(Graphs.create().input("event", "object", true)
                        .node("in", "interface_input", config("name", "event"))
                        .node("pick", "json_path", config("path", "$.data.task_id"))
                        .node("out", "interface_output", config("name", "task"))
                        .edge("in", "value", "pick", "value").edge("pick", "value", "out", "value")
                        .json().put("name", "on-task-" + UUID.randomUUID()).encode())
                .post("/api/workflows").then().statusCode(201).extract().path("workflow_id");
        String id = as(ALICE).body(Map.of("kind", "event", "name", "on done", "event_type", "task.completed"))
                .post(path(workflow)).then().statusCode(201).extract().path("trigger_id");
        String channel = names.channel("task", "events");
        CloudEvent done = CloudEvent.of("/task-service", "task.state", "t-1", mapper.valueToTree(Map.of("task_id", "t-1",
                "state", "COMPLETED"))).withOwner(ALICE);
        publisher.publish(channel, done).await().atMost(Duration.ofSeconds(5));
        // Heard again (another replica, a repeat): the same event id starts nothing new.
        publisher.publish(channel, done).await().atMost(Duration.ofSeconds(5));
        // Not this trigger's: another user's task, a task that is only running, an event naming no owner.
        publisher.publish(channel, CloudEvent.of("/task-service", "task.state", "t-2", mapper.valueToTree(Map.of("task_id", "t-2",
                "state", "COMPLETED"))).withOwner(BOB)).await().atMost(Duration.ofSeconds(5));
        publisher.publish(channel, CloudEvent.of("/task-service", "task.state", "t-3", mapper.valueToTree(Map.of("task_id", "t-3",
                "state", "PROCESSING"))).withOwner(ALICE)).await().atMost(Duration.ofSeconds(5));
        publisher.publish(channel, CloudEvent.of("/task-service", "task.state", "t-4", mapper.valueToTree(Map.of("task_id", "t-4",
                "state", "COMPLETED")))).await().atMost(Duration.ofSeconds(5));

        await().atMost(Duration.ofSeconds(10)).until(() -> trigger(workflow, id).getString("last_execution_id") != null);
        JsonPath run = Executions.awaitEnd(ALICE, trigger(workflow, id).getString("last_execution_id"));
        assertEquals("t-1", run.getString("outputs.task"));
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertEquals(1, TestDb.count("SELECT COUNT(*) FROM execution WHERE trigger_id = ?", id));
        assertEquals(1, trigger(workflow, id).getLong("fires"));
    }
}
