package dev.suite.llm.messages;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ContentBlockParam;
import dev.suite.llm.chat.FakeProviders;
import dev.suite.llm.chat.ProviderFixtures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.suite.llm.TestUsers.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official Anthropic Java client against {@code POST /v1/messages}, over every provider: plain,
 * streamed, and with tools. It sends the suite key in {@code x-api-key}, as Anthropic's clients do.
 */
@QuarkusTest
@WithTestResource(FakeProviders.class)
class MessagesSdkTest {

    private static final Tool WEATHER = Tool.builder().name("get_weather").description("The weather in a city")
            .inputSchema(Tool.InputSchema.builder().properties(Tool.InputSchema.Properties.builder()
                    .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string"))).build()).build())
            .build();

    private AnthropicClient client;

    @BeforeEach
    void connect() {
        client = AnthropicOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + RestAssured.port)
                .apiKey(ALICE + "-key")
                .maxRetries(0)
                .build();
    }

    private static MessageCreateParams.Builder ask(String model, String text) {
        return MessageCreateParams.builder().model(model).maxTokens(256).system("Be brief.").addUserMessage(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "gemini", "ollama"})
    void plainAndStreamedTextOverEveryProvider(String provider) {
        ProviderFixtures.Provider p = ProviderFixtures.provider(ALICE, provider, false);
        Message plain = client.messages().create(ask(p.configName(), "Hello").build());
        assertEquals(p.text(), text(plain));
        assertEquals(StopReason.END_TURN, plain.stopReason().orElseThrow());
        assertTrue(plain.usage().outputTokens() > 0, "usage is reported: " + plain.usage());
        assertEquals(p.configName(), plain.model().asString());

        Message streamed = accumulate(ask(p.configName(), "Hello").build());
        assertEquals(p.text(), text(streamed));
        assertEquals(StopReason.END_TURN, streamed.stopReason().orElseThrow());
        assertTrue(streamed.usage().outputTokens() > 0, "the closing message_delta carries the usage");
        if (p.thinks()) {
            assertTrue(streamed.content().get(0).isThinking(), "thinking comes first, as its own block");
            assertTrue(plain.content().get(0).isThinking());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "gemini", "ollama"})
    void toolCallsPlainAndStreamedOverEveryProvider(String provider) {
        ProviderFixtures.Provider p = ProviderFixtures.provider(ALICE, provider, true);
        MessageCreateParams params = ask(p.configName(), "Weather in Paris?").addTool(WEATHER).build();
        for (Message message : List.of(client.messages().create(params), accumulate(params))) {
            ContentBlock last = message.content().get(message.content().size() - 1);
            assertTrue(last.isToolUse(), "a tool_use block: " + message.content());
            assertEquals("get_weather", last.asToolUse().name());
            assertEquals(Map.of("city", "Paris"), last.asToolUse()._input().convert(Map.class));
            assertEquals(StopReason.TOOL_USE, message.stopReason().orElseThrow());
        }
    }

    @Test
    void aToolResultGoesBackToTheProviderAsATurnOfTheConversation() {
        ProviderFixtures.Provider p = ProviderFixtures.provider(ALICE, "openai", true);
        Message call = client.messages().create(ask(p.configName(), "Weather in Paris?").addTool(WEATHER).build());
        String id = call.content().get(call.content().size() - 1).asToolUse().id();
        client.messages().create(ask(p.configName(), "Weather in Paris?").addTool(WEATHER)
                .addMessage(call)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                        .toolUseId(id).content("18 °C and sunny").build())))
                .build());
        var sent = FakeProviders.lastRequest(p.upstreamModel());
        var messages = sent.getJsonArray("messages");
        assertEquals("system", messages.getJsonObject(0).getString("role"));
        assertEquals("Be brief.", messages.getJsonObject(0).getString("content"));
        assertEquals("get_weather", messages.getJsonObject(2).getJsonArray("tool_calls").getJsonObject(0)
                .getJsonObject("function").getString("name"));
        assertEquals("tool", messages.getJsonObject(3).getString("role"));
        assertEquals(id, messages.getJsonObject(3).getString("tool_call_id"));
        assertEquals("18 °C and sunny", messages.getJsonObject(3).getString("content"));
    }

    @Test
    void errorsAreAnthropicShapedSoTheClientReportsThem() {
        AnthropicServiceException missing = assertThrows(AnthropicServiceException.class,
                () -> client.messages().create(ask("no-such-config", "Hello").build()));
        assertEquals(404, missing.statusCode());
        assertEquals("not_found_error", missing.type().orElseThrow().asString());
        assertTrue(missing.apiMessage().orElseThrow().contains("no-such-config"), missing.getMessage());

        AnthropicClient stranger = AnthropicOkHttpClient.builder().baseUrl("http://127.0.0.1:" + RestAssured.port)
                .apiKey("not-a-suite-key").maxRetries(0).build();
        AnthropicServiceException refused = assertThrows(AnthropicServiceException.class,
                () -> stranger.messages().create(ask("anything", "Hello").build()));
        assertEquals(401, refused.statusCode());
        assertEquals("authentication_error", refused.type().orElseThrow().asString());
    }

    private Message accumulate(MessageCreateParams params) {
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        return accumulator.message();
    }

    private static String text(Message message) {
        StringBuilder out = new StringBuilder();
        message.content().stream().filter(ContentBlock::isText).forEach(block -> out.append(block.asText().text()));
        return out.toString();
    }
}
