package dev.suite.llm.chat;

import dev.suite.commons.testing.RecordedSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static dev.suite.llm.TestUsers.ALICE;
import static dev.suite.llm.TestUsers.as;
import static dev.suite.llm.chat.ChatFixtures.openai;
import static dev.suite.llm.chat.ChatFixtures.userMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A gateway call is a GenAI client span in the caller's trace: names and counts, never text; the provider learns no trace. */
@QuarkusTest
@WithTestResource(FakeProviders.class)
class GenAiTracingTest {

    private static final String SECRET_PROMPT = "a prompt that must not be traced";

    @Test
    void aStreamedChatIsAGenAiSpanWithUsageAndFirstToken() {
        String upstreamModel = "gpt-ok-" + UUID.randomUUID().toString().substring(0, 8);
        ChatFixtures.Config c = openai(ALICE, upstreamModel);
        String traceId = "1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b";
        as(ALICE).header("traceparent", "00-" + traceId + "-a1b2c3d4e5f60718-01")
                .body(userMessage(c.name(), SECRET_PROMPT, "\"stream\": true, \"stream_options\": {\"include_usage\": true}"))
                .post("/v1/chat/completions").then().statusCode(200);

        SpanData chat = RecordedSpans.awaitSpan(s -> s.getTraceId().equals(traceId) && s.getName().startsWith("chat "));
        SpanData server = RecordedSpans.awaitSpan(s -> s.getTraceId().equals(traceId) && s.getKind() == SpanKind.SERVER);
        assertEquals("chat " + c.name(), chat.getName());
        assertEquals(SpanKind.CLIENT, chat.getKind());
        assertEquals(server.getSpanId(), chat.getParentSpanId());
        assertEquals("chat", chat.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")));
        assertEquals(c.name(), chat.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")));
        assertEquals(upstreamModel, chat.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model")));
        assertEquals("openai", chat.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")));
        assertEquals(c.id(), chat.getAttributes().get(AttributeKey.stringKey("suite.llm.config_id")));
        assertTrue(chat.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")) > 0, chat.toString());
        assertTrue(chat.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")) > 0, chat.toString());
        assertTrue(chat.getEvents().stream().map(EventData::getName).anyMatch("gen_ai.first_token"::equals), chat.toString());
        assertEquals(StatusCode.UNSET, chat.getStatus().getStatusCode());
        for (SpanData span : RecordedSpans.inTrace(traceId)) {
            assertTrue(!span.toString().contains(SECRET_PROMPT), "no prompt text in " + span);
        }
        assertEquals("", FakeProviders.TRACEPARENTS.get(upstreamModel), "the provider is sent no trace context");
    }

    @Test
    void aCallTheProviderRefusesIsAnError() {
        String upstreamModel = "gpt-bad-request-" + UUID.randomUUID().toString().substring(0, 8);
        ChatFixtures.Config c = openai(ALICE, upstreamModel);
        String traceId = "2e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b";
        int status = as(ALICE).header("traceparent", "00-" + traceId + "-a1b2c3d4e5f60718-01")
                .body(userMessage(c.name(), "hi", null)).post("/v1/chat/completions").then().extract().statusCode();
        assertTrue(status >= 400, "status " + status);
        SpanData chat = RecordedSpans.awaitSpan(s -> s.getTraceId().equals(traceId) && s.getName().startsWith("chat "));
        assertEquals(StatusCode.ERROR, chat.getStatus().getStatusCode());
        assertEquals((long) status, chat.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
    }
}
