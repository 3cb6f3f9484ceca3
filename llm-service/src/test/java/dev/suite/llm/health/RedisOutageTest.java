package dev.suite.llm.health;

import dev.suite.commons.redis.RedisNames;
import dev.suite.commons.testing.PrivateRedis;
import dev.suite.llm.config.LlmConfigCache;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.suite.llm.TestUsers.ALICE;
import static dev.suite.llm.TestUsers.as;
import static dev.suite.llm.ConfigFixtures.PATH;
import static dev.suite.llm.ConfigFixtures.create;
import static dev.suite.llm.ConfigFixtures.openai;
import static dev.suite.llm.ConfigFixtures.uniqueName;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis goes away and comes back: readiness follows it, liveness never flips, writes keep working,
 * the reveal (which must be rate-limited) is refused with 503, and the event subscription heals.
 */
@QuarkusTest
@WithTestResource(PrivateRedis.class)
class RedisOutageTest {

    @Inject
    LlmConfigCache cache;
    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    RedisNames names;

    private static int readyStatus() {
        return RestAssured.get("/q/health/ready").statusCode();
    }

    @Test
    void serviceDegradesWhileRedisIsDownAndRecoversWhenItReturns() throws Throwable {
        await().atMost(Duration.ofSeconds(30)).until(() -> readyStatus() == 200);
        String id = create(ALICE, openai(uniqueName("outage"), "sk-outage-00000000"));
        VertxContextSupport.subscribeAndAwait(() -> cache.find(ALICE, id));
        assertTrue(cache.holds(id));

        PrivateRedis.stopServer();
        await().atMost(Duration.ofSeconds(30)).until(() -> readyStatus() == 503);
        RestAssured.get("/q/health/live").then().statusCode(200);
        as(ALICE).get(PATH + "/" + id + "/key").then().statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:suite:problem:unavailable"));
        // MySQL still answers, so configs can still be written; the lost event is only a notification.
        String during = create(ALICE, openai(uniqueName("during"), "sk-during-0000000"));

        PrivateRedis.startServer();
        await().atMost(Duration.ofSeconds(30)).until(() -> readyStatus() == 200);
        // Events may have been missed while away, so the re-subscription drops the cache.
        await().atMost(Duration.ofSeconds(30)).until(() -> !cache.holds(id));
        as(ALICE).get(PATH + "/" + during + "/key").then().statusCode(200);

        // And the subscription is live again: another replica's event evicts.
        VertxContextSupport.subscribeAndAwait(() -> cache.find(ALICE, id));
        assertTrue(cache.holds(id));
        String event = """
                {"specversion":"1.0","id":"y","source":"/llm-service","type":"llm.config.deleted","subject":"%s"}"""
                .formatted(id);
        redis.pubsub(String.class).publish(names.channel("llm", "config"), event).await().atMost(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> !cache.holds(id));
    }
}
