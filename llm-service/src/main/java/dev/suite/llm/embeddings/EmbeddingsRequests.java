package dev.suite.llm.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.llm.chat.ChatException;
import dev.suite.llm.chat.GatewayRequests;

import java.util.ArrayList;
import java.util.List;

/** Checks of {@code POST /v1/embeddings}, answered with OpenAI's 400s before any provider is called. */
final class EmbeddingsRequests {

    /** Inputs one request may embed, as OpenAI allows. */
    static final int MAX_INPUTS = 2048;

    private EmbeddingsRequests() {
    }

    static ObjectNode validated(byte[] body) {
        ObjectNode request = GatewayRequests.object(body);
        JsonNode model = request.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw ChatException.invalidRequest("'model' is required: the name of one of your configs.");
        }
        JsonNode input = request.get("input");
        if (input == null || !(input.isTextual() || input.isArray()) || input.isEmpty() && input.isArray()) {
            throw ChatException.invalidRequest("'input' must be a string, an array of strings, or token arrays.");
        }
        if (input.isTextual() && input.asText().isEmpty()) {
            throw ChatException.invalidRequest("'input' must not be empty.");
        }
        if (input.isArray()) {
            if (input.size() > MAX_INPUTS) {
                throw ChatException.invalidRequest("'input' holds " + input.size() + " items; at most " + MAX_INPUTS + ".");
            }
            boolean tokens = input.get(0).isInt() || input.get(0).isArray();
            for (int i = 0; i < input.size(); i++) {
                JsonNode item = input.get(i);
                boolean ok = tokens ? item.isInt() || item.isArray() && !item.isEmpty() && allInts(item)
                        : item.isTextual() && !item.asText().isEmpty();
                if (!ok) {
                    throw ChatException.invalidRequest("input[" + i + "] must be " + (tokens ? "a token or a non-empty token array"
                            : "a non-empty string") + ", like the items before it.");
                }
            }
        }
        String format = request.path("encoding_format").asText("float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw ChatException.invalidRequest("'encoding_format' must be float or base64.");
        }
        JsonNode dimensions = request.get("dimensions");
        if (dimensions != null && !dimensions.isNull() && (!dimensions.canConvertToInt() || dimensions.asInt() < 1)) {
            throw ChatException.invalidRequest("'dimensions' must be a positive integer.");
        }
        if (request.has("stream")) {
            throw ChatException.invalidRequest("Embeddings are not streamed: remove 'stream'.");
        }
        return request;
    }

    /** The texts to embed; token arrays (which only OpenAI-compatible providers take) are a 400 here. */
    static List<String> texts(JsonNode request, String provider) {
        JsonNode input = request.path("input");
        List<String> texts = new ArrayList<>();
        if (input.isTextual()) {
            texts.add(input.asText());
            return texts;
        }
        for (JsonNode item : input) {
            if (!item.isTextual()) {
                throw ChatException.invalidRequest("Token arrays cannot be embedded by a " + provider
                        + " config; send the text instead.");
            }
            texts.add(item.asText());
        }
        return texts;
    }

    private static boolean allInts(JsonNode array) {
        for (JsonNode token : array) {
            if (!token.isInt()) {
                return false;
            }
        }
        return true;
    }
}
