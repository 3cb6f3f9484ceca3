package dev.suite.llm.groups;

import dev.suite.llm.chat.FakeProviders;
import dev.suite.llm.chat.ProviderFixtures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static dev.suite.llm.TestUsers.ALICE;
import static dev.suite.llm.TestUsers.BOB;
import static dev.suite.llm.TestUsers.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model groups: their API, failover with cooldown on every route, and the spread by weight. */
@QuarkusTest
@WithTestResource(FakeProviders.class)
class ModelGroupsTest {

    private static final String GROUPS = "/api/llm/groups";

    private static String group(String name, String strategy, String members) {
        return as(ALICE).body("{\"name\": \"" + name + "\", \"strategy\": \"" + strategy + "\", \"members\": " + members
                + ", \"cooldown_seconds\": 60}").post(GROUPS).then().statusCode(201).extract().path("group_id");
    }

    @Test
    void aFailingMemberCoolsDownAndTheCallMovesOnAtOnceOnEveryRoute() {
        String broken = "gpt-429-" + UUID.randomUUID().toString().substring(0, 8);
        String brokenConfig = ProviderFixtures.openai(ALICE, broken);
        String healthyConfig = ProviderFixtures.provider(ALICE, "openai", false).configId();
        String name = "fast-" + UUID.randomUUID();
        group(name, "priority", "[{\"config_id\": \"" + brokenConfig + "\", \"priority\": 0}, {\"config_id\": \""
                + healthyConfig + "\", \"priority\": 1}]");

        Response first = as(ALICE).body("{\"model\": \"" + name + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
                .post("/v1/chat/completions");
        first.then().statusCode(200).header("X-Suite-Config-Id", healthyConfig);
        assertEquals(1, FakeProviders.calls(broken), "the member that failed is not retried: the next member answers");
        // Cooling down: the broken member is passed over on every route, by this replica and any other.
        as(ALICE).header("anthropic-version", "2023-06-01")
                .body("{\"model\": \"" + name + "\", \"max_tokens\": 20, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
                .post("/v1/messages").then().statusCode(200).header("X-Suite-Config-Id", healthyConfig);
        as(ALICE).body("{\"model\": \"" + name + "\", \"input\": \"hi\", \"store\": false}").post("/v1/responses")
                .then().statusCode(200).header("X-Suite-Config-Id", healthyConfig);
        assertEquals(1, FakeProviders.calls(broken));
    }

    @Test
    void aWeightedGroupSpreadsCallsByWeight() {
        String heavy = echoConfig();
        String light = echoConfig();
        String name = "spread-" + UUID.randomUUID();
        group(name, "weighted", "[{\"config_id\": \"" + heavy + "\", \"weight\": 3}, {\"config_id\": \"" + light
                + "\", \"weight\": 1}]");
        Map<String, Integer> answered = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            String by = as(ALICE).body("{\"model\": \"" + name + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
                    .post("/v1/chat/completions").then().statusCode(200).extract().header("X-Suite-Config-Id");
            answered.merge(by, 1, Integer::sum);
        }
        // 150 expected of 200; 110 to 190 holds but for one run in millions.
        assertTrue(answered.getOrDefault(heavy, 0) >= 110 && answered.getOrDefault(heavy, 0) <= 190, answered.toString());
        assertEquals(200, answered.getOrDefault(heavy, 0) + answered.getOrDefault(light, 0));
    }

    @Test
    void membersMustBeTheCallersOwnConfigsAndGroupsAreTheirOwnersOnly() {
        String mine = echoConfig();
        String bobs = as(BOB).body("{\"name\": \"echo-" + UUID.randomUUID() + "\", \"provider\": \"echo\"}")
                .post("/api/llm/configs").then().statusCode(201).extract().path("config_id");
        as(ALICE).body("{\"name\": \"g-" + UUID.randomUUID() + "\", \"members\": [{\"config_id\": \"" + mine
                        + "\"}, {\"config_id\": \"" + bobs + "\"}, {\"config_id\": \"" + mine + "\"}]}")
                .post(GROUPS).then().statusCode(400)
                .body("errors.field", hasItem("members[1].config_id"))
                .body("errors.field", hasItem("members[2].config_id"));
        String name = "g-" + UUID.randomUUID();
        String id = group(name, "weighted", "[{\"config_id\": \"" + mine + "\"}]");
        as(ALICE).body("{\"name\": \"" + name + "\", \"members\": [{\"config_id\": \"" + mine + "\"}]}").post(GROUPS)
                .then().statusCode(409);
        as(ALICE).get(GROUPS + "/" + id).then().statusCode(200).body("members[0].weight", equalTo(1))
                .body("cooldown_seconds", equalTo(60));
        as(BOB).get(GROUPS + "/" + id).then().statusCode(404);
        as(BOB).body("{\"model\": \"" + name + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(404);
        as(ALICE).delete(GROUPS + "/" + id).then().statusCode(204);
        as(ALICE).body("{\"model\": \"" + name + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(404);
    }

    private static String echoConfig() {
        return as(ALICE).body("{\"name\": \"echo-" + UUID.randomUUID() + "\", \"provider\": \"echo\"}")
                .post("/api/llm/configs").then().statusCode(201).extract().path("config_id");
    }
}
