package dev.suite.llm.embeddings;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.suite.llm.chat.FakeProviders;
import dev.suite.llm.chat.ProviderFixtures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.UUID;

import static dev.suite.llm.TestUsers.ALICE;
import static dev.suite.llm.TestUsers.as;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official OpenAI Java client against {@code /v1/embeddings}, over the providers that have embeddings. */
@QuarkusTest
@WithTestResource(FakeProviders.class)
class EmbeddingsSdkTest {

    private OpenAIClient client;

    @BeforeEach
    void connect() {
        client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + RestAssured.port + "/v1").apiKey(ALICE + "-key")
                .maxRetries(0).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "gemini", "ollama"})
    void aBatchOfInputsIsEmbeddedInOrderWhateverTheProvider(String provider) {
        ProviderFixtures.Provider p = ProviderFixtures.provider(ALICE, provider, false);
        CreateEmbeddingResponse answer = client.embeddings().create(EmbeddingCreateParams.builder().model(p.configName())
                .inputOfArrayOfStrings(List.of("first", "second", "third")).build());
        assertEquals(3, answer.data().size());
        for (int i = 0; i < 3; i++) {
            List<Double> expected = FakeProviders.vector(i);
            List<Float> got = answer.data().get(i).embedding();
            assertEquals(expected.size(), got.size());
            for (int d = 0; d < got.size(); d++) {
                assertEquals(expected.get(d), got.get(d), 1e-6, "input " + i + ", dimension " + d);
            }
        }
        if (!provider.equals("gemini")) {
            assertTrue(answer.usage().promptTokens() > 0, "the provider's token count is the usage");
        }
    }

    @Test
    void theEchoProviderGivesStableUnitVectorsOffline() {
        String echo = as(ALICE).body("{\"name\": \"echo-" + UUID.randomUUID() + "\", \"provider\": \"echo\"}")
                .post("/api/llm/configs").then().statusCode(201).extract().path("name");
        CreateEmbeddingResponse one = client.embeddings().create(EmbeddingCreateParams.builder().model(echo)
                .input("the same text").dimensions(32).build());
        CreateEmbeddingResponse again = client.embeddings().create(EmbeddingCreateParams.builder().model(echo)
                .input("the same text").dimensions(32).build());
        List<Float> vector = one.data().get(0).embedding();
        assertEquals(32, vector.size());
        assertEquals(vector, again.data().get(0).embedding());
        double norm = vector.stream().mapToDouble(v -> v * v).sum();
        assertEquals(1.0, norm, 1e-4);
        assertEquals(3, one.usage().promptTokens());
    }

    @Test
    void aProviderWithoutEmbeddingsAndBadInputAreClear400s() {
        ProviderFixtures.Provider claude = ProviderFixtures.provider(ALICE, "anthropic", false);
        BadRequestException refused = assertThrows(BadRequestException.class, () -> client.embeddings().create(
                EmbeddingCreateParams.builder().model(claude.configName()).input("hello").build()));
        assertTrue(refused.getMessage().contains("has no embeddings API"), refused.getMessage());
        as(ALICE).body("{\"model\": \"x\", \"input\": []}").post("/v1/embeddings").then().statusCode(400)
                .body("error.message", containsString("'input'"));
        as(ALICE).body("{\"model\": \"x\", \"input\": [\"a\", 3]}").post("/v1/embeddings").then().statusCode(400)
                .body("error.message", containsString("input[1]"));
        ProviderFixtures.Provider gemini = ProviderFixtures.provider(ALICE, "gemini", false);
        as(ALICE).body("{\"model\": \"" + gemini.configName() + "\", \"input\": [[1, 2, 3]]}").post("/v1/embeddings")
                .then().statusCode(400).body("error.message", containsString("Token arrays"));
    }
}
