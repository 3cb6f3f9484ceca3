package dev.suite.llm.chat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static dev.suite.llm.TestUsers.ALICE;
import static dev.suite.llm.chat.ChatFixtures.config;
import static dev.suite.llm.chat.ChatFixtures.openai;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official OpenAI Java client, pointed at the gateway, works for plain, streaming and tool calls. */
@QuarkusTest
@WithTestResource(FakeProviders.class)
class OpenAiSdkTest {

    private OpenAIClient client;

    @BeforeEach
    void connect() {
        client = OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + RestAssured.port + "/v1")
                .apiKey(ALICE + "-key")
                .maxRetries(0)
                .build();
    }

    @Test
    void plainCompletion() {
        ChatFixtures.Config echo = config(ALICE, "echo", null, null, null, null);
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(echo.name()).addUserMessage("Hello through the SDK").build());
        assertEquals("Hello through the SDK", completion.choices().get(0).message().content().orElseThrow());
        assertEquals(4L, completion.usage().orElseThrow().completionTokens());
    }

    @Test
    void streamingCompletion() {
        ChatFixtures.Config c = openai(ALICE, "gpt-ok-" + UUID.randomUUID().toString().substring(0, 8));
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model(c.name()).addUserMessage("Hi").build())) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(choice ->
                    choice.delta().content().ifPresent(text::append)));
        }
        assertEquals("Hello from OpenAI", text.toString());
    }

    @Test
    void toolCallsPlainAndStreamed() {
        ChatFixtures.Config c = openai(ALICE, "gpt-tools-" + UUID.randomUUID().toString().substring(0, 8));
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(c.name())
                .addUserMessage("Weather in Paris?")
                .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                        .name("get_weather")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object")).build())
                        .build()).build())
                .build();
        ChatCompletion completion = client.chat().completions().create(params);
        var call = completion.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
        assertEquals("get_weather", call.function().name());
        assertEquals("{\"city\":\"Paris\"}", call.function().arguments());

        StringBuilder arguments = new StringBuilder();
        String[] name = {null};
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().toolCalls()
                    .ifPresent(calls -> calls.forEach(tc -> tc.function().ifPresent(fn -> {
                        fn.name().ifPresent(n -> name[0] = n);
                        fn.arguments().ifPresent(arguments::append);
                    })))));
        }
        assertEquals("get_weather", name[0]);
        assertEquals("{\"city\":\"Paris\"}", arguments.toString());
    }

    @Test
    void unknownModelIsTheSdksNotFound() {
        NotFoundException e = assertThrows(NotFoundException.class, () -> client.chat().completions().create(
                ChatCompletionCreateParams.builder().model("no-such-model").addUserMessage("Hi").build()));
        assertTrue(e.getMessage().contains("no-such-model"), e.getMessage());
    }
}
