package dev.suite.task.schedules;

import dev.suite.commons.redis.RedisNames;
import dev.suite.commons.timer.DueSet;
import dev.suite.task.TestDb;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static dev.suite.task.TestUsers.ALICE;
import static dev.suite.task.TestUsers.BOB;
import static dev.suite.task.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recurring tasks: one task per tick, across replicas and restarts, with the missed-ticks policy. */
@QuarkusTest
class SchedulesTest {

    @Inject
    ScheduleTicker ticker;

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    RedisNames names;

    private static String schedule(String user, String cron, String missed) {
        return as(user).body(Map.of("name", "s-" + UUID.randomUUID(), "cron", cron, "missed", missed,
                        "task", Map.of("type", "noop", "priority", 7)))
                .post("/api/v1/schedules").then().statusCode(201).body("next_run_at", notNullValue())
                .extract().path("schedule_id");
    }

    private static List<Map<String, Object>> runs(String scheduleId) {
        return as(ALICE).get("/api/v1/tasks?schedule_id=" + scheduleId + "&limit=200").then().statusCode(200)
                .extract().jsonPath().getList("items");
    }

    @Test
    void aScheduleEverySecondMakesOneTaskPerTickUntilDisabled() {
        String id = schedule(ALICE, "* * * * * *", "skip");
        await().atMost(Duration.ofSeconds(20)).until(() -> runs(id).size() >= 3);
        List<Map<String, Object>> runs = runs(id);
        List<Object> ticks = runs.stream().map(r -> r.get("scheduled_for")).toList();
        assertEquals(ticks.size(), ticks.stream().distinct().count(), "one task per tick: " + ticks);
        for (Map<String, Object> run : runs) {
            assertEquals(0, Instant.parse(run.get("scheduled_for").toString()).getNano(), "ticks fall on the second");
            assertEquals(7, run.get("priority"));
        }
        // Off: no tick after the answer (one being handled may still land), and next_run_at is null.
        JsonPath body = as(ALICE).body(Map.of("name", "every second", "cron", "* * * * * *", "enabled", false,
                        "task", Map.of("type", "noop")))
                .put("/api/v1/schedules/" + id).then().statusCode(200).body("enabled", equalTo(false))
                .body("next_run_at", nullValue()).extract().jsonPath();
        assertTrue(body.getLong("runs") >= 3);
        int afterOff = runs(id).size();
        await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertTrue(runs(id).size() <= afterOff + 1, "ticks after disabling");
    }

    @Test
    void twoReplicasTakingTheSameTickMakeOneTask() {
        String id = schedule(ALICE, "@yearly", "skip");
        Instant tick = Instant.now().minusMillis(100).truncatedTo(ChronoUnit.MILLIS);
        TestDb.update("UPDATE task_schedule SET next_run_at = ? WHERE schedule_id = ?", LocalDateTime.ofInstant(tick, ZoneOffset.UTC), id);
        List<DueSet.Due> due = List.of(new DueSet.Due(id, tick));
        Instant now = Instant.now();
        CompletableFuture<Map<String, Instant>> one = ticker.fire(due, now).subscribeAsCompletionStage();
        CompletableFuture<Map<String, Instant>> two = ticker.fire(due, now).subscribeAsCompletionStage();
        Instant next = one.join().get(id);
        assertEquals(next, two.join().get(id));
        assertTrue(next.isAfter(now));
        assertEquals(1, runs(id).size());
        as(ALICE).get("/api/v1/schedules/" + id).then().body("runs", equalTo(1)).body("last_task_id", notNullValue());
    }

    @Test
    void aTickLeftByAReplicaThatDiedIsTakenWhenItsLeaseLapses() {
        String id = schedule(ALICE, "@yearly", "skip");
        Instant tick = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // Another replica claimed it and died before handling it: a claim moves the item a lease
        // (2 s in tests) ahead, which is what is written here in one step — so this replica's own
        // loop cannot claim the tick first, as it could between a put and a separate claim. Put
        // before the row says the tick is due: the reconciler's restore only adds missing items,
        // so it cannot slip the tick in, due at once, between the two writes.
        DueSet set = new DueSet(redis, names.key("task", "schedules", "due"));
        set.put(Map.of(id, tick.plus(Duration.ofSeconds(2)))).await().atMost(Duration.ofSeconds(5));
        TestDb.update("UPDATE task_schedule SET next_run_at = ? WHERE schedule_id = ?", LocalDateTime.ofInstant(tick, ZoneOffset.UTC), id);
        await().atMost(Duration.ofSeconds(10)).until(() -> runs(id).size() == 1);
        Instant ran = Instant.parse(runs(id).get(0).get("created_at").toString());
        assertTrue(!ran.isBefore(tick.plusMillis(1500)), "taken before the lease lapsed: " + ran + ", tick " + tick);
    }

    @Test
    void aTickMissedPastTheGraceIsSkippedOrCaughtUpOnce() {
        String skipping = schedule(ALICE, "0 * * * * *", "skip");
        String catchingUp = schedule(ALICE, "0 * * * * *", "catch_up_once");
        // The suite was down for an hour: both schedules' ticks are an hour old.
        Instant tick = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
        for (String id : List.of(skipping, catchingUp)) {
            TestDb.update("UPDATE task_schedule SET next_run_at = ? WHERE schedule_id = ?", LocalDateTime.ofInstant(tick, ZoneOffset.UTC), id);
            ticker.arm(id, tick).await().atMost(Duration.ofSeconds(5));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> runs(catchingUp).size() == 1);
        assertEquals(tick.toString(), runs(catchingUp).get(0).get("scheduled_for"));
        await().atMost(Duration.ofSeconds(10)).until(() -> as(ALICE).get("/api/v1/schedules/" + skipping).then()
                .extract().jsonPath().getInt("skipped") == 1);
        as(ALICE).get("/api/v1/schedules/" + skipping).then().body("last_error", containsString("missed"))
                .body("runs", equalTo(0));
        assertTrue(runs(skipping).isEmpty());
        // Both look ahead again, to the next minute, not to the hour of missed ticks.
        for (String id : List.of(skipping, catchingUp)) {
            Instant next = Instant.parse(as(ALICE).get("/api/v1/schedules/" + id).then().extract().path("next_run_at"));
            assertTrue(next.isAfter(Instant.now().minusSeconds(1)) && next.isBefore(Instant.now().plusSeconds(61)), next.toString());
        }
    }

    @Test
    void badSchedulesAreRefusedWithTheirFieldsAndOthersAreNotSeen() {
        as(ALICE).body(Map.of("name", "bad", "cron", "every day", "time_zone", "Mars/Olympus", "task", Map.of("type", "noop")))
                .post("/api/v1/schedules").then().statusCode(400).body("errors.field", hasItems("cron", "time_zone"));
        as(ALICE).body(Map.of("name", "bad", "cron", "@daily", "missed", "sometimes",
                        "task", Map.of("type", "paint", "run_at", Instant.now().toString())))
                .post("/api/v1/schedules").then().statusCode(400).body("errors.field", hasItem("missed"));
        as(ALICE).body(Map.of("name", "bad", "cron", "@daily", "task", Map.of("type", "paint")))
                .post("/api/v1/schedules").then().statusCode(400).body("errors.field", hasItem("task.type"));
        as(ALICE).body(Map.of("name", "bad", "cron", "@daily", "task", Map.of("type", "noop", "idempotency_key", "k")))
                .post("/api/v1/schedules").then().statusCode(400).body("errors.field", hasItem("task.idempotency_key"));
        as(ALICE).body(Map.of("name", "bad", "cron", "@daily")).post("/api/v1/schedules").then().statusCode(400)
                .body("errors.field", hasItem("task"));

        String name = "nightly-" + UUID.randomUUID();
        String id = as(ALICE).body(Map.of("name", name, "cron", "0 3 * * *", "time_zone", "Europe/Paris",
                        "task", Map.of("type", "noop"))).post("/api/v1/schedules").then().statusCode(201)
                .body("time_zone", equalTo("Europe/Paris")).body("missed", equalTo("catch_up_once"))
                .extract().path("schedule_id");
        // Three in Paris is 02:00Z in winter, 01:00Z in summer.
        int hour = Instant.parse(as(ALICE).get("/api/v1/schedules/" + id).then().extract().path("next_run_at"))
                .atZone(ZoneOffset.UTC).getHour();
        assertTrue(hour == 1 || hour == 2, "hour " + hour);
        as(ALICE).body(Map.of("name", name, "cron", "@daily", "task", Map.of("type", "noop"))).post("/api/v1/schedules")
                .then().statusCode(409);
        as(BOB).get("/api/v1/schedules/" + id).then().statusCode(404);
        as(BOB).delete("/api/v1/schedules/" + id).then().statusCode(404);
        as(BOB).get("/api/v1/schedules").then().statusCode(200).body("items.schedule_id", org.hamcrest.Matchers.not(hasItem(id)));
        as(ALICE).delete("/api/v1/schedules/" + id).then().statusCode(204);
        as(ALICE).get("/api/v1/schedules/" + id).then().statusCode(404);
    }
}
