package dev.suite.llm.chat.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.llm.chat.ChatCall;
import dev.suite.llm.chat.Usage;
import dev.suite.llm.config.Provider;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * OpenAI and OpenAI-compatible servers (vLLM, LM Studio, DeepSeek…): the request goes through with
 * only the model replaced, the answer comes back byte for byte; we read just enough to count usage.
 */
@ApplicationScoped
public class OpenAiAdapter implements ProviderAdapter {

    @Override
    public Provider provider() {
        return Provider.OPENAI;
    }

    @Override
    public UpstreamRequest request(ChatCall call) {
        ObjectNode body = call.request().deepCopy();
        body.put("model", call.upstreamModel());
        if (call.stream()) {
            // Always ask for usage so every call is accounted; the extra chunk is dropped again
            // when the client did not ask for it.
            ((ObjectNode) body.with("stream_options")).put("include_usage", true);
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Content-Type", "application/json")
                .add("Accept", call.stream() ? "text/event-stream" : "application/json");
        if (call.apiKey() != null) {
            headers.add("Authorization", "Bearer " + call.apiKey());
        }
        return new UpstreamRequest(call.config().apiUrl() + "/chat/completions", headers, Buffer.buffer(body.toString()));
    }

    @Override
    public Completion completion(ChatCall call, Buffer upstreamBody) {
        return new Completion(upstreamBody, usageOf(OpenAiShapes.parse(upstreamBody).path("usage")));
    }

    @Override
    public StreamTranslator translator(ChatCall call) {
        return new StreamTranslator() {
            private Usage usage = Usage.NONE;

            @Override
            public void onFrame(String event, String data, ChunkSink out) {
                if ("[DONE]".equals(data)) {
                    return;
                }
                // Only usage-bearing chunks are parsed; the rest pass through untouched.
                if (data.contains("\"usage\"") && !data.contains("\"usage\":null")) {
                    JsonNode chunk = OpenAiShapes.parse(data);
                    if (chunk.path("usage").isObject()) {
                        usage = usageOf(chunk.path("usage"));
                        if (!call.includeUsage() && chunk.path("choices").isEmpty()) {
                            return;
                        }
                    }
                }
                out.chunk(data);
            }

            @Override
            public void onEnd(ChunkSink out) {
            }

            @Override
            public Usage usage() {
                return usage;
            }
        };
    }

    static Usage usageOf(JsonNode usage) {
        return new Usage(usage.path("prompt_tokens").asInt(0), usage.path("completion_tokens").asInt(0),
                usage.path("prompt_tokens_details").path("cached_tokens").asInt(0),
                usage.path("completion_tokens_details").path("reasoning_tokens").asInt(0));
    }
}
