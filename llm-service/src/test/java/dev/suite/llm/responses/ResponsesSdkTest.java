package dev.suite.llm.responses;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import dev.suite.llm.chat.FakeProviders;
import dev.suite.llm.chat.ProviderFixtures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.suite.llm.TestUsers.ALICE;
import static dev.suite.llm.TestUsers.BOB;
import static dev.suite.llm.TestUsers.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official OpenAI Java client against {@code /v1/responses}, over every provider: plain,
 * streamed with its typed events, function calls, and continuing with {@code previous_response_id}.
 */
@QuarkusTest
@WithTestResource(FakeProviders.class)
class ResponsesSdkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FunctionTool WEATHER = FunctionTool.builder().name("get_weather").strict(false)
            .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                    .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string")))).build())
            .build();

    private OpenAIClient client;

    @BeforeEach
    void connect() {
        client = client(ALICE);
    }

    private static OpenAIClient client(String user) {
        return OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + RestAssured.port + "/v1").apiKey(user + "-key")
                .maxRetries(0).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "gemini", "ollama"})
    void plainAndStreamedTextOverEveryProvider(String provider) {
        ProviderFixtures.Provider p = ProviderFixtures.provider(ALICE, provider, false);
        ResponseCreateParams params = ResponseCreateParams.builder().model(p.configName()).instructions("Be brief.")
                .input("Hello").build();
        Response plain = client.responses().create(params);
        assertEquals(p.text(), text(plain));
        assertTrue(plain.id().startsWith("resp_"));
        assertTrue(plain.usage().orElseThrow().outputTokens() > 0);
        assertEquals(p.thinks(), plain.output().get(0).isReasoning(), "reasoning comes first, as its own item");

        List<String> types = new ArrayList<>();
        StringBuilder deltas = new StringBuilder();
        Response completed = null;
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
            for (ResponseStreamEvent event : (Iterable<ResponseStreamEvent>) stream.stream()::iterator) {
                types.add(kind(event));
                event.outputTextDelta().ifPresent(d -> deltas.append(d.delta()));
                if (event.isCompleted()) {
                    completed = event.asCompleted().response();
                }
            }
        }
        assertEquals(p.text(), deltas.toString());
        assertEquals(p.text(), text(completed));
        assertTrue(completed.usage().orElseThrow().outputTokens() > 0, "response.completed carries the usage");
        assertEquals("response.created", types.get(0));
        assertEquals("response.completed", types.get(types.size() - 1));
        assertTrue(types.containsAll(List.of("response.output_item.added", "response.content_part.added",
                "response.output_text.done", "response.output_item.done")), types.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "gemini", "ollama"})
    void functionCallsPlainAndStreamedOverEveryProvider(String provider) throws Exception {
        ProviderFixtures.Provider p = ProviderFixtures.provider(ALICE, provider, true);
        ResponseCreateParams params = ResponseCreateParams.builder().model(p.configName()).input("Weather in Paris?")
                .addTool(WEATHER).build();
        ResponseFunctionToolCall plain = call(client.responses().create(params));
        StringBuilder arguments = new StringBuilder();
        Response completed = null;
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
            for (ResponseStreamEvent event : (Iterable<ResponseStreamEvent>) stream.stream()::iterator) {
                event.functionCallArgumentsDelta().ifPresent(d -> arguments.append(d.delta()));
                if (event.isCompleted()) {
                    completed = event.asCompleted().response();
                }
            }
        }
        for (ResponseFunctionToolCall call : List.of(plain, call(completed))) {
            assertEquals("get_weather", call.name());
            assertEquals(Map.of("city", "Paris"), JSON.readValue(call.arguments(), Map.class));
        }
        assertEquals(Map.of("city", "Paris"), JSON.readValue(arguments.toString(), Map.class));
    }

    @Test
    void aConversationContinuesFromAStoredResponseOfItsOwnerOnly() {
        ProviderFixtures.Provider p = ProviderFixtures.provider(ALICE, "openai", true);
        Response first = client.responses().create(ResponseCreateParams.builder().model(p.configName())
                .instructions("Be brief.").input("Weather in Paris?").addTool(WEATHER).build());
        ResponseFunctionToolCall call = call(first);
        client.responses().create(ResponseCreateParams.builder().model(p.configName()).previousResponseId(first.id())
                .addTool(WEATHER).inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(
                        ResponseInputItem.FunctionCallOutput.builder().callId(call.callId()).output("18 °C and sunny").build())))
                .build());
        JsonArray sent = FakeProviders.lastRequest(p.upstreamModel()).getJsonArray("messages");
        // Instructions are not carried over; the earlier turn and its answer are, then the new input.
        assertEquals("user", sent.getJsonObject(0).getString("role"));
        assertEquals("Weather in Paris?", sent.getJsonObject(0).getString("content"));
        assertEquals(call.callId(), sent.getJsonObject(1).getJsonArray("tool_calls").getJsonObject(0).getString("id"));
        assertEquals("tool", sent.getJsonObject(2).getString("role"));
        assertEquals("18 °C and sunny", sent.getJsonObject(2).getString("content"));

        as(ALICE).get("/v1/responses/" + first.id()).then().statusCode(200).body("id", equalTo(first.id()));
        as(BOB).get("/v1/responses/" + first.id()).then().statusCode(404).body("error.code", equalTo("response_not_found"));
        assertThrows(NotFoundException.class, () -> client(BOB).responses().create(ResponseCreateParams.builder()
                .model(p.configName()).previousResponseId(first.id()).input("And tomorrow?").build()));
        as(BOB).delete("/v1/responses/" + first.id()).then().statusCode(404);
        as(ALICE).delete("/v1/responses/" + first.id()).then().statusCode(200).body("deleted", equalTo(true));
        as(ALICE).get("/v1/responses/" + first.id()).then().statusCode(404);
    }

    @Test
    void builtInToolsAndUnknownItemsAreRefusedByName() {
        as(ALICE).body("{\"model\": \"x\", \"input\": \"hi\", \"tools\": [{\"type\": \"web_search\"}]}").post("/v1/responses")
                .then().statusCode(400).body("error.message", equalTo(
                        "tools[0].type 'web_search' is not supported by this gateway; only function tools are."));
        as(ALICE).body("{\"model\": \"x\", \"input\": [{\"type\": \"computer_call_output\"}]}").post("/v1/responses")
                .then().statusCode(400).body("error.message", equalTo(
                        "input[0].type 'computer_call_output' is not supported by this gateway."));
    }

    /** The event's type, for the ones whose order this test checks. */
    private static String kind(ResponseStreamEvent event) {
        if (event.isCreated()) {
            return "response.created";
        } else if (event.isOutputItemAdded()) {
            return "response.output_item.added";
        } else if (event.isContentPartAdded()) {
            return "response.content_part.added";
        } else if (event.isOutputTextDone()) {
            return "response.output_text.done";
        } else if (event.isOutputItemDone()) {
            return "response.output_item.done";
        } else if (event.isCompleted()) {
            return "response.completed";
        }
        return "other";
    }

    private static String text(Response response) {
        StringBuilder out = new StringBuilder();
        for (ResponseOutputItem item : response.output()) {
            item.message().ifPresent(m -> m.content().forEach(c -> c.outputText().ifPresent(t -> out.append(t.text()))));
        }
        return out.toString();
    }

    private static ResponseFunctionToolCall call(Response response) {
        return response.output().stream().filter(ResponseOutputItem::isFunctionCall).findFirst().orElseThrow()
                .asFunctionCall();
    }
}
