package dev.suite.llm.chat;

import dev.suite.commons.redis.RedisNames;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.suite.llm.TestUsers.ALICE;
import static dev.suite.llm.TestUsers.BOB;
import static dev.suite.llm.TestUsers.as;
import static dev.suite.llm.chat.ChatFixtures.chat;
import static dev.suite.llm.chat.ChatFixtures.config;
import static dev.suite.llm.chat.ChatFixtures.openai;
import static dev.suite.llm.chat.ChatFixtures.userMessage;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(FakeProviders.class)
class UsageAndKeepAliveTest {

    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    RedisNames names;

    @Test
    void slowStartingStreamIsKeptAliveWithSseComments() {
        ChatFixtures.Config c = openai(ALICE, "gpt-sleepy-" + UUID.randomUUID().toString().substring(0, 8));
        String body = chat(ALICE, userMessage(c.name(), "Hi", "\"stream\": true")).then().statusCode(200)
                .extract().asString();
        assertTrue(body.contains(": keep-alive"), body);
        assertTrue(body.contains("Awake") && body.endsWith("data: [DONE]\n\n"), body);
    }

    @Test
    void usageIsAggregatedPerConfigModelAndDayForTheCallerOnly() {
        ChatFixtures.Config echo = config(ALICE, "echo", null, null, null, null);
        List<String> heard = new CopyOnWriteArrayList<>();
        ReactiveRedisSubscriber subscriber = redis.pubsub(String.class)
                .subscribe(names.channel("llm", "usage"), heard::add).await().atMost(Duration.ofSeconds(10));
        try {
            chat(ALICE, userMessage(echo.name(), "one two three", null)).then().statusCode(200);
            chat(ALICE, userMessage(echo.name(), "four", "\"stream\": true")).then().statusCode(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> heard.stream().anyMatch(e ->
                    e.contains("llm.usage.recorded") && e.contains(echo.id())));
        } finally {
            subscriber.unsubscribe().await().atMost(Duration.ofSeconds(10));
        }
        // The two calls may be written in different batches: wait until both are summed.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                as(ALICE).get("/api/llm/usage?group_by=config").then().statusCode(200)
                        .body("group_by", equalTo("config"))
                        .body("groups.find { it.key == '" + echo.id() + "' }.calls", equalTo(2))
                        .body("groups.find { it.key == '" + echo.id() + "' }.completion_tokens", equalTo(4))
                        .body("groups.find { it.key == '" + echo.id() + "' }.errors", equalTo(0)));
        as(ALICE).get("/api/llm/usage?group_by=model").then().statusCode(200).body("groups.key", hasItem("echo"));
        as(ALICE).get("/api/llm/usage?group_by=day&from=2020-01-01").then().statusCode(200)
                .body("groups.size()", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        as(BOB).get("/api/llm/usage").then().statusCode(200).body("groups.key", not(hasItem(echo.id())));
        as(ALICE).get("/api/llm/usage?group_by=user&from=yesterday").then().statusCode(400)
                .body("errors.field", equalTo(List.of("group_by", "from")));
    }

    @Test
    void aCallOverHttp2IsAccountedAsAnswered() throws Exception {
        ChatFixtures.Config echo = config(ALICE, "echo", null, null, null, null);
        // Java's client upgrades a plain-text connection to HTTP/2 (h2c); the stream then closes as
        // soon as the answer has ended, which must not count as the client leaving.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":"
                            + RestAssured.port + "/v1/chat/completions"))
                    .header("Authorization", "Bearer alice-key").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(userMessage(echo.name(), "one two three", null))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(answer.statusCode() == 200, answer.body());
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                as(ALICE).get("/api/llm/usage?group_by=config").then().statusCode(200)
                        .body("groups.find { it.key == '" + echo.id() + "' }.calls", equalTo(3))
                        .body("groups.find { it.key == '" + echo.id() + "' }.errors", equalTo(0))
                        .body("groups.find { it.key == '" + echo.id() + "' }.completion_tokens", equalTo(9)));
    }
}
