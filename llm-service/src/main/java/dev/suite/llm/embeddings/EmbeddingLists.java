package dev.suite.llm.embeddings;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.llm.chat.ChatCall;
import dev.suite.llm.chat.Usage;
import dev.suite.llm.chat.providers.Completion;
import dev.suite.llm.chat.providers.OpenAiShapes;
import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

/**
 * OpenAI's embeddings answer ({@code {"object": "list", "data": [{"embedding", "index"}], "usage"}})
 * built from vectors another provider returned, as floats or, with {@code encoding_format: base64},
 * as little-endian float32 bytes in base64 — as OpenAI's clients decode them.
 */
final class EmbeddingLists {

    private EmbeddingLists() {
    }

    static Completion of(ChatCall call, List<float[]> vectors, int promptTokens) {
        boolean base64 = "base64".equals(call.request().path("encoding_format").asText());
        ObjectNode body = OpenAiShapes.object().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                item.put("embedding", base64(vectors.get(i)));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float value : vectors.get(i)) {
                    values.add(value);
                }
            }
        }
        body.put("model", call.upstreamModel());
        body.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens);
        return new Completion(Buffer.buffer(body.toString()), new Usage(promptTokens, 0));
    }

    private static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
            bytes.putFloat(value);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    /** A JSON array of numbers as floats. */
    static float[] floats(com.fasterxml.jackson.databind.JsonNode values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values.get(i).asDouble();
        }
        return out;
    }
}
