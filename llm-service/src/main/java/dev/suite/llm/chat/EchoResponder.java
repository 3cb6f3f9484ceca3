package dev.suite.llm.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.llm.chat.providers.Completion;
import dev.suite.llm.chat.providers.OpenAiShapes;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in {@code echo} provider: answers with the last user message, without any network,
 * streaming it word by word. Tokens are counted the same way for prompt and answer (a word or a
 * punctuation mark is a token), so usage figures are consistent and reproducible.
 */
public final class EchoResponder {

    private static final Pattern TOKEN = Pattern.compile("\\w+|[^\\w\\s]", Pattern.UNICODE_CHARACTER_CLASS);
    /** A word with the white space before it: the unit of the echo stream. */
    private static final Pattern PIECE = Pattern.compile("\\s*\\S+");

    private EchoResponder() {
    }

    static String reply(JsonNode messages) {
        String last = "";
        for (JsonNode message : messages) {
            if ("user".equals(message.path("role").asText())) {
                last = OpenAiShapes.text(message.get("content"));
            }
        }
        return last;
    }

    static Usage usage(JsonNode messages, String reply) {
        int prompt = 0;
        for (JsonNode message : messages) {
            prompt += tokens(OpenAiShapes.text(message.get("content")));
        }
        return new Usage(prompt, tokens(reply));
    }

    public static int tokens(String text) {
        Matcher m = TOKEN.matcher(text);
        int count = 0;
        while (m.find()) {
            count++;
        }
        return count;
    }

    static List<String> pieces(String reply) {
        List<String> pieces = new ArrayList<>();
        Matcher m = PIECE.matcher(reply);
        while (m.find()) {
            pieces.add(m.group());
        }
        return pieces;
    }

    static Completion completion(ChatCall call) {
        JsonNode messages = call.request().path("messages");
        String reply = reply(messages);
        ObjectNode message = OpenAiShapes.object().put("role", "assistant").put("content", reply);
        return OpenAiShapes.completion(call, message, "stop", usage(messages, reply));
    }

    /** The whole echo stream as OpenAI chunks, in order (without the closing {@code [DONE]}). */
    static List<String> chunks(ChatCall call) {
        JsonNode messages = call.request().path("messages");
        String reply = reply(messages);
        List<String> chunks = new ArrayList<>();
        chunks.add(OpenAiShapes.chunk(call, d -> d.put("role", "assistant").put("content", ""), null));
        for (String piece : pieces(reply)) {
            chunks.add(OpenAiShapes.chunk(call, d -> d.put("content", piece), null));
        }
        chunks.add(OpenAiShapes.chunk(call, d -> { }, "stop"));
        if (call.includeUsage()) {
            chunks.add(OpenAiShapes.usageChunk(call, usage(messages, reply)));
        }
        return chunks;
    }
}
