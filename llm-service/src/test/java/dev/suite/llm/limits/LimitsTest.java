package dev.suite.llm.limits;

import dev.suite.commons.redis.RedisNames;
import dev.suite.llm.chat.FakeProviders;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static dev.suite.llm.TestUsers.ALICE;
import static dev.suite.llm.TestUsers.DAVE;
import static dev.suite.llm.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rate, token, concurrency and spend limits of users, configs and groups, answered in each API's shape. */
@QuarkusTest
@WithTestResource(FakeProviders.class)
class LimitsTest {

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    RedisNames names;

    @Inject
    SpendLedger ledger;

    private static String echo(String limits, String extra) {
        return as(ALICE).body("{\"name\": \"echo-" + UUID.randomUUID() + "\", \"provider\": \"echo\", \"limits\": " + limits
                + extra + "}").post("/api/llm/configs").then().statusCode(201).extract().path("config_id");
    }

    private static Response chat(String user, String model) {
        return as(user).body("{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi there\"}]}")
                .post("/v1/chat/completions");
    }

    private static Map<String, Object> used(String user, String id) {
        List<Map<String, Object>> scopes = as(user).get("/api/llm/limits").then().statusCode(200).extract().jsonPath()
                .getList("");
        return scopes.stream().filter(s -> id.equals(s.get("id"))).findFirst()
                .map(s -> (Map<String, Object>) s.get("used")).orElseThrow();
    }

    @Test
    void aConfigOverItsRequestRateAnswers429InTheShapeOfTheApiCalled() {
        String config = echo("{\"requests_per_minute\": 3}", "");
        for (int i = 0; i < 3; i++) {
            chat(ALICE, config).then().statusCode(200);
        }
        chat(ALICE, config).then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("error.type", equalTo("rate_limit_error"))
                .body("error.code", equalTo("rate_limit_exceeded"))
                .body("error.message", containsString("3 requests per minute"));
        as(ALICE).header("anthropic-version", "2023-06-01").body("{\"model\": \"" + config
                        + "\", \"max_tokens\": 20, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
                .post("/v1/messages").then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("type", equalTo("error"))
                .body("error.type", equalTo("rate_limit_error"))
                .body("error.message", containsString("config '"));
        as(ALICE).body("{\"model\": \"" + config + "\", \"input\": \"hi\"}").post("/v1/responses").then().statusCode(429)
                .body("error.code", equalTo("rate_limit_exceeded"));
        assertEquals(3, used(ALICE, config).get("requests_per_minute"), "refused calls count for nothing");
    }

    @Test
    void aConfigOverItsLimitIsPassedOverForItsFallback() {
        String spare = echo("null", "");
        String busy = echo("{\"requests_per_minute\": 1}", ", \"metadata\": {\"fallbacks\": [\"" + spare + "\"]}");
        chat(ALICE, busy).then().statusCode(200).header("X-Suite-Config-Id", busy);
        chat(ALICE, busy).then().statusCode(200).header("X-Suite-Config-Id", spare);
    }

    @Test
    void tokensCountOnceACallHasEnded() {
        String config = echo("{\"tokens_per_minute\": 10}", "");
        // "hi there" and its echo: 4 tokens a call. Two calls leave 2 of 10; the third uses 4 more.
        for (int i = 0; i < 3; i++) {
            chat(ALICE, config).then().statusCode(200);
            int calls = i + 1;
            await().until(() -> ((Number) used(ALICE, config).get("tokens_per_minute")).intValue() == 4 * calls);
        }
        chat(ALICE, config).then().statusCode(429).body("error.message", containsString("10 tokens per minute"));
    }

    @Test
    void callsInFlightBeyondTheLimitAreRefusedAndTheirPlacesComeBack() throws Exception {
        String slow = "gpt-slow-" + UUID.randomUUID().toString().substring(0, 8);
        String config = as(ALICE).body("{\"name\": \"slow-" + UUID.randomUUID() + "\", \"provider\": \"openai\", "
                        + "\"api_url\": \"" + FakeProviders.base() + "/openai/v1\", \"api_key\": \"" + FakeProviders.OPENAI_KEY
                        + "\", \"model\": \"" + slow + "\", \"limits\": {\"max_concurrent\": 2}}")
                .post("/api/llm/configs").then().statusCode(201).extract().path("config_id");
        List<CompletableFuture<Integer>> inFlight = List.of(
                CompletableFuture.supplyAsync(() -> chat(ALICE, config).statusCode()),
                CompletableFuture.supplyAsync(() -> chat(ALICE, config).statusCode()));
        await().until(() -> ((Number) used(ALICE, config).get("concurrent")).intValue() == 2);
        chat(ALICE, config).then().statusCode(429).header("Retry-After", "1")
                .body("error.message", containsString("2 calls in flight"));
        for (CompletableFuture<Integer> call : inFlight) {
            assertEquals(200, call.get());
        }
        await().until(() -> ((Number) used(ALICE, config).get("concurrent")).intValue() == 0);
        chat(ALICE, config).then().statusCode(200);
    }

    @Test
    void aSpentBudgetIsNamedAndSurvivesRedisForgettingIt() {
        String model = "budget-" + UUID.randomUUID().toString().substring(0, 8);
        // Ten cents a token: a call of "hi there" and its echo (4 tokens) costs $0.40.
        as(ALICE).body("{\"input_per_million\": 100000, \"output_per_million\": 100000}")
                .put("/api/llm/prices/" + model).then().statusCode(200);
        String config = echo("{\"daily_budget_usd\": 1.00, \"monthly_budget_usd\": 50}", ", \"model\": \"" + model + "\"");
        // $0, $0.40 and $0.80 spent are under the budget; $1.20 is over it.
        for (int i = 0; i < 3; i++) {
            chat(ALICE, config).then().statusCode(200);
            String spent = String.format("%.2f", 0.4 * (i + 1));
            await().until(() -> String.format("%.2f", Double.parseDouble(used(ALICE, config).get("spent_today_usd")
                    .toString())).equals(spent));
        }
        String message = chat(ALICE, config).then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("error.type", equalTo("insufficient_quota"))
                .body("error.code", equalTo("budget_exceeded"))
                .extract().path("error.message");
        assertTrue(message.contains("daily budget of config '") && message.contains("$1.2000 of $1.00"), message);

        // Redis loses the counters (restarted without persistence): the spend is summed again from MySQL,
        // once the usage rows, written in batches, are there.
        await().until(() -> ledger.spent(Scope.config(config, "budget", null), ALICE, Instant.now().minus(Duration.ofDays(1)))
                .await().atMost(Duration.ofSeconds(5)) == 1_200_000_000L);
        List<String> keys = redis.key().keys(names.key("llm", "limit", "config", config, "spend", "*"))
                .await().atMost(Duration.ofSeconds(5));
        assertEquals(2, keys.size(), keys.toString());
        redis.key().del(keys.toArray(String[]::new)).await().atMost(Duration.ofSeconds(5));
        chat(ALICE, config).then().statusCode(429).body("error.code", equalTo("budget_exceeded"));
        assertEquals(0, new BigDecimal("1.2").compareTo(
                new BigDecimal(used(ALICE, config).get("spent_this_month_usd").toString())));
    }

    @Test
    void aUsersOwnLimitAndAGroupsLimitApplyOnTopOfTheConfigs() {
        String davesEcho = as(DAVE).body("{\"name\": \"echo-" + UUID.randomUUID() + "\", \"provider\": \"echo\"}")
                .post("/api/llm/configs").then().statusCode(201).extract().path("config_id");
        chat(DAVE, davesEcho).then().statusCode(200);
        chat(DAVE, davesEcho).then().statusCode(200);
        chat(DAVE, davesEcho).then().statusCode(429).body("error.message", containsString("user dave"));
        as(DAVE).get("/api/llm/limits").then().statusCode(200)
                .body("[0].kind", equalTo("user")).body("[0].limits.requests_per_minute", equalTo(2));

        String member = echo("null", "");
        String group = "limited-" + UUID.randomUUID();
        as(ALICE).body("{\"name\": \"" + group + "\", \"members\": [{\"config_id\": \"" + member + "\"}], "
                + "\"limits\": {\"requests_per_minute\": 1}}").post("/api/llm/groups").then().statusCode(201)
                .body("limits.requests_per_minute", equalTo(1));
        chat(ALICE, group).then().statusCode(200);
        chat(ALICE, group).then().statusCode(429).body("error.message", containsString("model group '" + group + "'"));
        // The member itself is not limited when called by its own name.
        chat(ALICE, member).then().statusCode(200);
        as(ALICE).get("/api/llm/limits").then().body("kind", hasItem("group"));
    }

    @Test
    void badLimitsAreRefusedWithTheFieldNamed() {
        as(ALICE).body("{\"name\": \"echo-" + UUID.randomUUID() + "\", \"provider\": \"echo\", \"limits\": "
                        + "{\"requests_per_minute\": 0, \"daily_budget_usd\": -1, \"burst\": 3}}")
                .post("/api/llm/configs").then().statusCode(400);
        as(ALICE).body("{\"name\": \"echo-" + UUID.randomUUID() + "\", \"provider\": \"echo\", \"limits\": "
                        + "{\"requests_per_minute\": 0, \"daily_budget_usd\": -1}}")
                .post("/api/llm/configs").then().statusCode(400)
                .body("errors.field", hasItems("limits.requests_per_minute", "limits.daily_budget_usd"));
    }
}
