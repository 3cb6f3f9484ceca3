package dev.suite.llm.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.llm.chat.ReplyShape;
import dev.suite.llm.chat.Usage;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The frames of a Responses stream, byte for byte where the SDK tests cannot see: delta events are
 * assembled from bytes made once per item, and must be the very JSON the generator writes for the
 * other events.
 */
class ResponseEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Quotes, a backslash, a line break, a control character, a non-ASCII letter and an emoji. */
    private static final String AWKWARD = "say \"hi\" \\ \n\u0001 é 😀";

    @Test
    void deltaEventsAreCompactJsonWithTheirFieldsInOrder() throws Exception {
        List<JsonNode> events = stream(
                chunk("{\"reasoning_content\":" + quoted(AWKWARD) + "}"),
                chunk("{\"content\":" + quoted(AWKWARD) + "}"),
                chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"function\":{\"name\":\"f\",\"arguments\":"
                        + quoted("{\"a\":") + "}}]}"),
                chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":" + quoted("1}") + "}}]}"));

        for (int i = 0; i < events.size(); i++) {
            assertEquals(i, events.get(i).path("sequence_number").asInt(), "sequence numbers count up from 0");
        }
        JsonNode reasoning = only(events, "response.reasoning_summary_text.delta");
        assertEquals(List.of("type", "sequence_number", "item_id", "output_index", "summary_index", "delta"), fields(reasoning));
        assertEquals(AWKWARD, reasoning.path("delta").asText());
        assertEquals(0, reasoning.path("output_index").asInt());

        JsonNode text = only(events, "response.output_text.delta");
        assertEquals(List.of("type", "sequence_number", "item_id", "output_index", "content_index", "delta", "logprobs"),
                fields(text));
        assertEquals(AWKWARD, text.path("delta").asText());
        assertEquals(1, text.path("output_index").asInt());
        assertEquals(itemId(events, 1), text.path("item_id").asText());

        List<JsonNode> arguments = all(events, "response.function_call_arguments.delta");
        assertEquals(List.of("type", "sequence_number", "item_id", "output_index", "delta"), fields(arguments.get(0)));
        assertEquals("{\"a\":1}", arguments.get(0).path("delta").asText() + arguments.get(1).path("delta").asText());
        assertEquals(itemId(events, 2), arguments.get(1).path("item_id").asText());

        JsonNode completed = only(events, "response.completed").path("response");
        assertEquals(AWKWARD, completed.path("output").path(1).path("content").path(0).path("text").asText());
        assertEquals("{\"a\":1}", completed.path("output").path(2).path("arguments").asText());
    }

    /** The stream's events, each checked to be the compact JSON Jackson itself writes for it. */
    private static List<JsonNode> stream(String... chunks) throws Exception {
        ResponsesRequests.Parsed parsed = ResponsesRequests.parse(
                "{\"model\":\"m\",\"input\":\"hi\",\"store\":false,\"stream\":true}".getBytes(StandardCharsets.UTF_8));
        ReplyShape.Stream stream = new ResponsesShape("owner", parsed, null, null).stream();
        Buffer out = Buffer.buffer();
        for (String chunk : chunks) {
            stream.chunk(chunk, out);
        }
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
        return events;
    }

    private static String chunk(String delta) {
        return "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"finish_reason\":null}]}";
    }

    private static String quoted(String text) throws Exception {
        return JSON.writeValueAsString(text);
    }

    private static String itemId(List<JsonNode> events, int outputIndex) {
        for (JsonNode event : events) {
            if (event.path("type").asText().equals("response.output_item.added")
                    && event.path("output_index").asInt() == outputIndex) {
                return event.path("item").path("id").asText();
            }
        }
        throw new AssertionError("no item " + outputIndex);
    }

    private static List<JsonNode> all(List<JsonNode> events, String type) {
        return events.stream().filter(e -> e.path("type").asText().equals(type)).toList();
    }

    private static JsonNode only(List<JsonNode> events, String type) {
        List<JsonNode> found = all(events, type);
        assertEquals(1, found.size(), type);
        return found.get(0);
    }

    private static List<String> fields(JsonNode event) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = event.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
