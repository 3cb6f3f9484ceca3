package dev.suite.llm.chat;

import dev.suite.llm.embeddings.EmbeddingsOperation;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A span per gateway call in the OpenTelemetry GenAI semantic conventions: {@code chat <model>} or
 * {@code embeddings <model>}, a client span of the model call whatever route the client used, with
 * the provider, the models asked for and answering, the token usage and, for streams, the time to
 * the first token as an event. Retries and fallbacks are events on it. Never prompt or completion
 * text: only names and counts. Nothing is recorded while tracing is off.
 */
@ApplicationScoped
public class GenAiSpans {

    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> CONFIG_ID = AttributeKey.stringKey("suite.llm.config_id");
    static final AttributeKey<String> GROUP_ID = AttributeKey.stringKey("suite.llm.group_id");
    static final AttributeKey<Boolean> STREAM = AttributeKey.booleanKey("suite.llm.stream");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

    private final Tracer tracer;

    public GenAiSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Starts the call's span, a child of the request that made it. */
    Span start(Operation operation, String requestedModel, boolean stream) {
        String name = operation instanceof EmbeddingsOperation ? "embeddings" : "chat";
        Span span = tracer.spanBuilder(requestedModel == null ? name : name + " " + requestedModel)
                .setSpanKind(SpanKind.CLIENT).setAttribute(OPERATION, name).setAttribute(STREAM, stream).startSpan();
        if (span.isRecording() && requestedModel != null) {
            span.setAttribute(REQUEST_MODEL, requestedModel);
        }
        return span;
    }

    static void firstToken(Span span) {
        span.addEvent("gen_ai.first_token");
    }

    /** A retry of the same config, or a move to the next one, and why. */
    static void attemptFailed(Span span, String event, String configId, ChatException error) {
        if (span.isRecording()) {
            span.addEvent(event, configId == null ? Attributes.of(ERROR_TYPE, error.type())
                    : Attributes.of(CONFIG_ID, configId, ERROR_TYPE, error.type()));
        }
    }

    /** Ends the span with what answered (null when no provider was called) and the usage it reported. */
    static void end(Span span, ChatCall call, String groupId, int status, Usage used) {
        if (span.isRecording()) {
            span.setAttribute(STATUS, (long) status);
            if (call != null) {
                span.setAttribute(PROVIDER, call.config().provider().wireName());
                span.setAttribute(RESPONSE_MODEL, call.upstreamModel());
                span.setAttribute(CONFIG_ID, call.config().configId());
            }
            if (groupId != null) {
                span.setAttribute(GROUP_ID, groupId);
            }
            if (used != null) {
                span.setAttribute(INPUT_TOKENS, (long) used.promptTokens());
                span.setAttribute(OUTPUT_TOKENS, (long) used.completionTokens());
            }
            if (status >= 400) {
                span.setAttribute(ERROR_TYPE, Integer.toString(status));
                span.setStatus(StatusCode.ERROR);
            }
        }
        span.end();
    }
}
