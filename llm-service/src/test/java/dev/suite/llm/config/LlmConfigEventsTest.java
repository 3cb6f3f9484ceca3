package dev.suite.llm.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.redis.RedisNames;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.suite.llm.TestUsers.ALICE;
import static dev.suite.llm.TestUsers.BOB;
import static dev.suite.llm.TestUsers.as;
import static dev.suite.llm.ConfigFixtures.PATH;
import static dev.suite.llm.ConfigFixtures.create;
import static dev.suite.llm.ConfigFixtures.openai;
import static dev.suite.llm.ConfigFixtures.uniqueName;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Events on {@code suite:llm:config}, heard by an independent Redis client, and the cache they evict. */
@QuarkusTest
class LlmConfigEventsTest {

    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    RedisNames names;
    @Inject
    LlmConfigCache cache;
    @Inject
    ObjectMapper mapper;

    private final List<String> heard = new CopyOnWriteArrayList<>();
    private ReactiveRedisSubscriber subscriber;

    @BeforeEach
    void listen() {
        subscriber = redis.pubsub(String.class).subscribe(names.channel("llm", "config"), heard::add)
                .await().atMost(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        subscriber.unsubscribe().await().atMost(Duration.ofSeconds(10));
    }

    private JsonNode awaitEvent(String type, String configId) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> heard.stream()
                .map(this::parse)
                .filter(e -> e.path("type").asText().equals(type) && e.path("subject").asText().equals(configId))
                .findFirst().orElse(null), e -> e != null);
    }

    private JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyChangePublishesACloudEventWithoutTheKey() {
        String name = uniqueName("evt");
        String id = create(ALICE, openai(name, "sk-event-secret-9999"));
        JsonNode created = awaitEvent("llm.config.created", id);
        assertEquals("1.0", created.path("specversion").asText());
        assertEquals("/llm-service", created.path("source").asText());
        assertFalse(created.path("id").asText().isEmpty());
        assertFalse(created.path("time").asText().isEmpty());
        assertEquals(ALICE, created.path("data").path("owner_id").asText());
        assertEquals(name, created.path("data").path("config").path("name").asText());
        assertTrue(created.path("data").path("config").path("has_api_key").asBoolean());

        as(ALICE).body(openai(name, "sk-event-secret-8888")).put(PATH + "/" + id).then().statusCode(200);
        awaitEvent("llm.config.updated", id);
        as(ALICE).delete(PATH + "/" + id).then().statusCode(204);
        awaitEvent("llm.config.deleted", id);

        for (String event : heard) {
            assertFalse(event.contains("sk-event-secret"), "no event may carry a key: " + event);
            assertFalse(event.contains("api_key_sealed") || event.contains("\"api_key\""), event);
        }
    }

    @Test
    void cacheAnswersOnlyTheOwner() throws Throwable {
        String id = create(ALICE, openai(uniqueName("cached"), "sk-cache-000000000"));
        var mine = VertxContextSupport.subscribeAndAwait(() -> cache.find(ALICE, id));
        assertTrue(mine.isPresent());
        assertEquals("openai", mine.get().provider().wireName());
        assertTrue(VertxContextSupport.subscribeAndAwait(() -> cache.find(BOB, id)).isEmpty());
    }

    @Test
    void anEventFromAnyReplicaEvictsTheCachedConfig() throws Throwable {
        String id = create(ALICE, openai(uniqueName("evict"), "sk-evict-000000000"));
        VertxContextSupport.subscribeAndAwait(() -> cache.find(ALICE, id));
        assertTrue(cache.holds(id));

        // What another replica would publish after changing this config.
        String event = """
                {"specversion":"1.0","id":"x","source":"/llm-service","type":"llm.config.updated","subject":"%s",
                 "data":{}}""".formatted(id);
        redis.pubsub(String.class).publish(names.channel("llm", "config"), event).await().atMost(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> !cache.holds(id));
    }

    @Test
    void anUpdateThroughTheApiEvictsTheCachedConfig() throws Throwable {
        String name = uniqueName("api-evict");
        String id = create(ALICE, openai(name, "sk-api-evict-00000"));
        VertxContextSupport.subscribeAndAwait(() -> cache.find(ALICE, id));
        as(ALICE).body("""
                {"name": "%s", "provider": "openai", "model": "gpt-5"}""".formatted(name))
                .put(PATH + "/" + id).then().statusCode(200);
        assertFalse(cache.holds(id));
        assertEquals("gpt-5", VertxContextSupport.subscribeAndAwait(() -> cache.find(ALICE, id)).orElseThrow().model());
    }
}
