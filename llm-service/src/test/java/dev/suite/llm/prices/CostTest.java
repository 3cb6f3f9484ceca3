package dev.suite.llm.prices;

import dev.suite.llm.chat.FakeProviders;
import dev.suite.llm.chat.ProviderFixtures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.suite.llm.TestUsers.ALICE;
import static dev.suite.llm.TestUsers.BOB;
import static dev.suite.llm.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Cost accounting: cached-input and reasoning tokens as each provider reports them, the price
 * table (shipped prices, a user's own over them, matching by prefix), and the cost in usage.
 */
@QuarkusTest
@WithTestResource(FakeProviders.class)
class CostTest {

    private static final String PRICES = "/api/llm/prices";

    private static Map<String, Object> usageOf(String user, String groupBy, String key) {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonPath usage = as(user).queryParam("group_by", groupBy).queryParam("from", today).get("/api/llm/usage")
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> groups = usage.getList("groups");
        return groups.stream().filter(g -> key.equals(g.get("key"))).findFirst().orElse(Map.of());
    }

    @Test
    void cachedAndReasoningTokensOfEveryProviderArePricedFromYourTable() {
        // Each fake reports 2,000 prompt tokens (1,500 from the cache) and 300 completion tokens
        // (200 of them reasoning, where the provider counts them apart) in its own wire format.
        Map<String, Integer> reasoning = Map.of("openai", 200, "anthropic", 0, "gemini", 200);
        for (String provider : List.of("openai", "anthropic", "gemini")) {
            String prefix = switch (provider) {
                case "openai" -> "gpt";
                case "anthropic" -> "claude";
                default -> "gemini";
            };
            String model = prefix + "-cached-" + UUID.randomUUID().toString().substring(0, 8);
            as(ALICE).body("{\"input_per_million\": 2, \"cached_input_per_million\": 0.5, \"output_per_million\": 8}")
                    .put(PRICES + "/" + model).then().statusCode(200).body("source", equalTo("custom"));
            String config = ProviderFixtures.config(ALICE, provider, model);
            String chat = "{\"model\": \"" + config + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
            as(ALICE).body(chat).post("/v1/chat/completions").then().statusCode(200)
                    .body("usage.prompt_tokens", equalTo(2000))
                    .body("usage.completion_tokens", equalTo(300))
                    .body("usage.prompt_tokens_details.cached_tokens", equalTo(1500))
                    .body("usage.completion_tokens_details.reasoning_tokens", equalTo(reasoning.get(provider)));
            String streamed = as(ALICE).body("{\"model\": \"" + config + "\", \"stream\": true, \"stream_options\": "
                            + "{\"include_usage\": true}, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
                    .post("/v1/chat/completions").then().statusCode(200).extract().asString();
            assertEquals(true, streamed.contains("\"cached_tokens\":1500"), streamed);
            // Anthropic's clients see the cached part apart, as Anthropic reports it.
            as(ALICE).header("anthropic-version", "2023-06-01").body("{\"model\": \"" + config
                            + "\", \"max_tokens\": 50, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
                    .post("/v1/messages").then().statusCode(200)
                    .body("usage.input_tokens", equalTo(500))
                    .body("usage.cache_read_input_tokens", equalTo(1500))
                    .body("usage.output_tokens", equalTo(300));

            // 500 × $2 + 1,500 × $0.50 + 300 × $8 per million = $0.00415 a call; three calls.
            await().untilAsserted(() -> {
                Map<String, Object> group = usageOf(ALICE, "model", model);
                assertEquals(3, group.get("calls"), provider + ": " + group);
                assertEquals(6000, group.get("prompt_tokens"));
                assertEquals(4500, group.get("cached_tokens"));
                assertEquals(3 * reasoning.get(provider), group.get("reasoning_tokens"));
                assertEquals(0, new BigDecimal("0.01245").compareTo(new BigDecimal(group.get("cost_usd").toString())),
                        provider + ": " + group);
                assertEquals(0, group.get("unpriced_calls"));
            });
        }
    }

    @Test
    void shippedPricesApplyByPrefixAndYoursOverrideThemForYouOnly() {
        as(BOB).get(PRICES).then().statusCode(200)
                .body("find { it.model == 'gpt-4o-mini' }.input_per_million", equalTo(0.15f))
                .body("find { it.model == 'gpt-4o-mini' }.source", equalTo("default"))
                .body("model", hasItems("gpt-5", "claude-sonnet-4-5", "gemini-2.5-flash"));

        // An echo config naming a dated model is priced by the shipped entry it starts with.
        String dated = "gpt-4o-mini-2024-07-18";
        String config = as(BOB).body("{\"name\": \"echo-" + UUID.randomUUID() + "\", \"provider\": \"echo\", \"model\": \""
                + dated + "\"}").post("/api/llm/configs").then().statusCode(201).extract().path("config_id");
        // Echo counts a word as a token: 4 prompt tokens, 4 completion tokens.
        as(BOB).body("{\"model\": \"" + config + "\", \"messages\": [{\"role\": \"user\", \"content\": \"price me by prefix\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).body("usage.total_tokens", equalTo(8));
        // 4 × $0.15 + 4 × $0.60 per million = $0.000003.
        await().untilAsserted(() -> assertEquals(0, new BigDecimal("0.000003").compareTo(
                new BigDecimal(usageOf(BOB, "model", dated).getOrDefault("cost_usd", "-1").toString()))));

        // A price of your own is yours alone; dropping it brings the shipped one back.
        as(ALICE).body("{\"input_per_million\": 1, \"output_per_million\": 2}").put(PRICES + "/GPT-4o-mini")
                .then().statusCode(200).body("model", equalTo("gpt-4o-mini")).body("cached_input_per_million", equalTo(1));
        await().untilAsserted(() -> as(ALICE).get(PRICES).then()
                .body("find { it.model == 'gpt-4o-mini' }.source", equalTo("custom")));
        as(BOB).get(PRICES).then().body("find { it.model == 'gpt-4o-mini' }.source", equalTo("default"));
        as(ALICE).delete(PRICES + "/gpt-4o-mini").then().statusCode(204);
        as(ALICE).get(PRICES).then().body("find { it.model == 'gpt-4o-mini' }.input_per_million", equalTo(0.15f));
        as(ALICE).delete(PRICES + "/gpt-4o-mini").then().statusCode(404);
        // A model name with a provider prefix is a path of its own.
        as(ALICE).body("{\"input_per_million\": 3, \"output_per_million\": 4}").put(PRICES + "/openrouter/some-model")
                .then().statusCode(200).body("model", equalTo("openrouter/some-model"));
    }

    @Test
    void aModelWithoutAPriceIsCountedAsUnpriced() {
        String model = "gpt-ok-" + UUID.randomUUID().toString().substring(0, 8);
        String config = ProviderFixtures.openai(ALICE, model);
        as(ALICE).body("{\"model\": \"" + config + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);
        await().untilAsserted(() -> {
            Map<String, Object> group = usageOf(ALICE, "config", config);
            assertEquals(1, group.get("unpriced_calls"), group.toString());
            assertEquals(0, new BigDecimal(group.get("cost_usd").toString()).signum());
        });
        // Written plainly, not as 0E-9.
        as(ALICE).queryParam("group_by", "config").get("/api/llm/usage").then()
                .body(containsString("\"cost_usd\":0.000000000"));
    }

    @Test
    void badPricesAreRefusedWithEveryFieldNamed() {
        as(ALICE).body("{\"input_per_million\": -1, \"cached_input_per_million\": 1000001}")
                .put(PRICES + "/gpt-4o").then().statusCode(400)
                .contentType(containsString("problem+json"))
                .body("errors.field", hasItems("input_per_million", "cached_input_per_million", "output_per_million"));
        as(ALICE).body("{\"input_per_million\": 1, \"output_per_million\": 1, \"discount\": 1}")
                .put(PRICES + "/gpt-4o").then().statusCode(400);
    }
}
