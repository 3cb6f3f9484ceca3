package dev.suite.llm.chat.stream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.suite.llm.chat.ChatException;
import dev.suite.llm.chat.providers.OpenAiShapes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the other APIs' streams need of an OpenAI {@code chat.completion.chunk}: each choice's
 * reasoning, text, tool call pieces and finish reason. Read with a streaming parser rather than
 * into a tree: a stream has a chunk per token or so, and building a tree for each one cost the
 * Messages and Responses streams more than all their other work together.
 *
 * <p>The records mirror the chunk's JSON. A field of another type than the API's reads as absent.
 */
public final class ChunkDeltas {

    /** One of {@code choices}: its delta, and its {@code finish_reason}, null until it finishes. */
    public record Choice(Delta delta, String finishReason) {
    }

    /**
     * @param reasoning {@code reasoning_content}, "" when none
     * @param content   {@code content}, "" when none
     */
    public record Delta(String reasoning, String content, List<ToolCall> toolCalls) {

        static final Delta NONE = new Delta("", "", List.of());
    }

    /**
     * A piece of a tool call: the first one of a call carries its id and name, the next ones more of
     * its arguments.
     *
     * @param index which of the answer's calls this piece belongs to
     */
    public record ToolCall(int index, String id, Function function) {
    }

    /**
     * @param name      "" but in a call's first piece
     * @param arguments "" when none
     */
    public record Function(String name, String arguments) {

        static final Function NONE = new Function("", "");
    }

    private ChunkDeltas() {
    }

    /** The chunk's choices, in order. */
    public static List<Choice> read(String chunk) {
        // From UTF-8 bytes: Jackson's byte parser is the faster of its two, copying included.
        try (JsonParser json = OpenAiShapes.JSON.getFactory().createParser(chunk.getBytes(StandardCharsets.UTF_8))) {
            List<Choice> choices = new ArrayList<>(1);
            json.nextToken();
            if (isObject(json)) {
                while (nextField(json)) {
                    if (json.currentName().equals("choices") && json.currentToken() == JsonToken.START_ARRAY) {
                        while (json.nextToken() != JsonToken.END_ARRAY) {
                            choices.add(choice(json));
                        }
                    } else {
                        json.skipChildren();
                    }
                }
            }
            return choices;
        } catch (IOException e) {
            throw new ChatException(502, "upstream_error", "upstream_malformed",
                    "The provider streamed malformed JSON.", null, false);
        }
    }

    private static Choice choice(JsonParser json) throws IOException {
        Delta delta = Delta.NONE;
        String finishReason = null;
        if (isObject(json)) {
            while (nextField(json)) {
                switch (json.currentName()) {
                    case "delta" -> delta = delta(json);
                    case "finish_reason" -> finishReason = text(json, null);
                    default -> json.skipChildren();
                }
            }
        }
        return new Choice(delta, finishReason);
    }

    private static Delta delta(JsonParser json) throws IOException {
        String reasoning = "";
        String content = "";
        List<ToolCall> toolCalls = List.of();
        if (isObject(json)) {
            while (nextField(json)) {
                switch (json.currentName()) {
                    case "reasoning_content" -> reasoning = text(json, "");
                    case "content" -> content = text(json, "");
                    case "tool_calls" -> toolCalls = toolCalls(json);
                    default -> json.skipChildren();
                }
            }
        }
        return new Delta(reasoning, content, toolCalls);
    }

    private static List<ToolCall> toolCalls(JsonParser json) throws IOException {
        if (json.currentToken() != JsonToken.START_ARRAY) {
            json.skipChildren();
            return List.of();
        }
        List<ToolCall> calls = new ArrayList<>(1);
        while (json.nextToken() != JsonToken.END_ARRAY) {
            calls.add(toolCall(json));
        }
        return calls;
    }

    private static ToolCall toolCall(JsonParser json) throws IOException {
        int index = 0;
        String id = "";
        Function function = Function.NONE;
        if (isObject(json)) {
            while (nextField(json)) {
                switch (json.currentName()) {
                    case "index" -> index = json.getValueAsInt(0);
                    case "id" -> id = text(json, "");
                    case "function" -> function = function(json);
                    default -> json.skipChildren();
                }
            }
        }
        return new ToolCall(index, id, function);
    }

    private static Function function(JsonParser json) throws IOException {
        String name = "";
        String arguments = "";
        if (isObject(json)) {
            while (nextField(json)) {
                switch (json.currentName()) {
                    case "name" -> name = text(json, "");
                    case "arguments" -> arguments = text(json, "");
                    default -> json.skipChildren();
                }
            }
        }
        return new Function(name, arguments);
    }

    /** True when the parser is at an object; anything else is skipped. */
    private static boolean isObject(JsonParser json) throws IOException {
        if (json.currentToken() == JsonToken.START_OBJECT) {
            return true;
        }
        json.skipChildren();
        return false;
    }

    /** Moves to the value of the object's next field, whose name is then {@code currentName()}; false at its end. */
    private static boolean nextField(JsonParser json) throws IOException {
        if (json.nextToken() != JsonToken.FIELD_NAME) {
            return false;
        }
        json.nextToken();
        return true;
    }

    /** The current value as text (a number or boolean as written); null, an object or an array as {@code absent}. */
    private static String text(JsonParser json, String absent) throws IOException {
        String text = json.getValueAsString(absent);
        json.skipChildren();
        return text;
    }
}
