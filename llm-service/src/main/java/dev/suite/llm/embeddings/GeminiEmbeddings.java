package dev.suite.llm.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.llm.chat.ChatCall;
import dev.suite.llm.chat.providers.Completion;
import dev.suite.llm.chat.providers.OpenAiShapes;
import dev.suite.llm.chat.providers.UpstreamRequest;
import dev.suite.llm.config.Provider;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Gemini's {@code batchEmbedContents}: one request per input text, {@code outputDimensionality} for
 * {@code dimensions}. Gemini reports no token counts for embeddings, so usage counts none.
 */
final class GeminiEmbeddings extends EmbeddingsAdapter {

    @Override
    public Provider provider() {
        return Provider.GEMINI;
    }

    @Override
    public UpstreamRequest request(ChatCall call) {
        ObjectNode body = OpenAiShapes.object();
        ArrayNode requests = body.putArray("requests");
        JsonNode dimensions = call.request().get("dimensions");
        for (String text : EmbeddingsRequests.texts(call.request(), "gemini")) {
            ObjectNode one = requests.addObject().put("model", "models/" + call.upstreamModel());
            one.putObject("content").putArray("parts").addObject().put("text", text);
            if (dimensions != null && dimensions.canConvertToInt()) {
                one.put("outputDimensionality", dimensions.asInt());
            }
        }
        MultiMap headers = json();
        if (call.apiKey() != null) {
            headers.add("x-goog-api-key", call.apiKey());
        }
        return new UpstreamRequest(call.config().apiUrl() + "/models/" + call.upstreamModel() + ":batchEmbedContents",
                headers, Buffer.buffer(body.toString()));
    }

    @Override
    public Completion completion(ChatCall call, Buffer upstreamBody) {
        List<float[]> vectors = new ArrayList<>();
        for (JsonNode embedding : OpenAiShapes.parse(upstreamBody).path("embeddings")) {
            vectors.add(EmbeddingLists.floats(embedding.path("values")));
        }
        return EmbeddingLists.of(call, vectors, 0);
    }
}
