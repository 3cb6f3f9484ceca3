package dev.suite.llm.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.llm.chat.ReplyShape;
import dev.suite.llm.chat.Usage;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The frames of a Messages stream, byte for byte where the SDK tests cannot see: delta events are
 * assembled from bytes made once per block, and must be the very JSON the generator writes for the
 * other events.
 */
class MessagesEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Quotes, a backslash, a line break, a control character, a non-ASCII letter and an emoji. */
    private static final String AWKWARD = "say \"hi\" \\ \n\u0001 é 😀";

    @Test
    void deltaEventsAreCompactJsonOfTheirBlock() throws Exception {
        ReplyShape.Stream stream = new MessagesShape("my-model").stream();
        Buffer out = Buffer.buffer();
        stream.chunk(chunk("{\"reasoning_content\":" + quoted(AWKWARD) + "}", null), out);
        stream.chunk(chunk("{\"content\":" + quoted(AWKWARD) + "}", null), out);
        stream.chunk(chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"function\":{\"name\":\"f\",\"arguments\":"
                + quoted("{\"a\":1}") + "}}]}", "tool_calls"), out);
        stream.end(new Usage(3, 4), out);

        List<JsonNode> events = new ArrayList<>();
        for (String frame : out.toString().split("\n\n")) {
            String[] lines = frame.split("\n");
            String data = lines[1].substring("data: ".length());
            JsonNode event = JSON.readTree(data);
            assertEquals(event.toString(), data, "compact JSON, escaped as Jackson escapes");
            assertEquals("event: " + event.path("type").asText(), lines[0]);
            events.add(event);
        }
        assertEquals(List.of(
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":" + quoted(AWKWARD) + "}}",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":" + quoted(AWKWARD) + "}}",
                "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":"
                        + quoted("{\"a\":1}") + "}}"),
                ofType(events, "content_block_delta").stream().map(JsonNode::toString).toList());
        assertEquals("tool_use", ofType(events, "message_delta").get(0).path("delta").path("stop_reason").asText());
    }

    private static List<JsonNode> ofType(List<JsonNode> events, String type) {
        return events.stream().filter(e -> e.path("type").asText().equals(type)).toList();
    }

    private static String chunk(String delta, String finishReason) {
        return "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
    }

    private static String quoted(String text) throws Exception {
        return JSON.writeValueAsString(text);
    }
}
