package dev.suite.llm.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.llm.chat.ChatException;
import dev.suite.llm.chat.GatewayRequests;
import dev.suite.llm.chat.providers.OpenAiShapes;

/**
 * An OpenAI Responses request as the Chat Completions request the gateway runs: {@code input} (a
 * string, or message, {@code function_call} and {@code function_call_output} items),
 * {@code instructions}, function tools, {@code tool_choice}, {@code text.format},
 * {@code reasoning.effort} and the sampling settings. Built-in tools (web search, file search,
 * computer use …) and file inputs cannot be carried and are refused with a 400 naming them.
 */
final class ResponsesRequests {

    /**
     * A checked request.
     *
     * @param input the new turn as Chat Completions messages, in order
     */
    record Parsed(ObjectNode request, ArrayNode input, String previousResponseId, boolean store, boolean stream) {
    }

    private ResponsesRequests() {
    }

    static Parsed parse(byte[] body) {
        ObjectNode in = GatewayRequests.object(body);
        JsonNode model = in.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw invalid("'model' is required: the name of one of your configs.");
        }
        // Server-side state this gateway does not keep: refused rather than silently ignored.
        for (String field : new String[] {"conversation", "prompt"}) {
            if (in.hasNonNull(field)) {
                throw invalid("'" + field + "' is not supported by this gateway; use previous_response_id and instructions.");
            }
        }
        if (in.path("background").asBoolean(false)) {
            throw invalid("'background' responses are not supported by this gateway; use stream for long answers.");
        }
        JsonNode instructions = in.get("instructions");
        if (instructions != null && !instructions.isNull() && !instructions.isTextual()) {
            throw invalid("'instructions' must be a string.");
        }
        ArrayNode input = input(in.get("input"));
        JsonNode previous = in.get("previous_response_id");
        if (previous != null && !previous.isNull() && !previous.isTextual()) {
            throw invalid("'previous_response_id' must be a string.");
        }
        JsonNode store = in.get("store");
        JsonNode stream = in.get("stream");
        for (JsonNode flag : new JsonNode[] {store, stream}) {
            if (flag != null && !flag.isNull() && !flag.isBoolean()) {
                throw invalid("'store' and 'stream' must be booleans.");
            }
        }
        return new Parsed(in, input, previous == null || previous.isNull() ? null : previous.asText(),
                store == null || store.isNull() || store.asBoolean(), stream != null && stream.asBoolean(false));
    }

    /** The Chat Completions request: instructions, then the earlier turns, then the new input. */
    static ObjectNode chatRequest(Parsed parsed, ArrayNode earlier) {
        ObjectNode in = parsed.request();
        ObjectNode out = OpenAiShapes.object();
        out.put("model", in.path("model").asText());
        ArrayNode messages = out.putArray("messages");
        if (in.path("instructions").isTextual()) {
            messages.addObject().put("role", "system").put("content", in.path("instructions").asText());
        }
        messages.addAll(earlier);
        messages.addAll(parsed.input());
        if (messages.isEmpty()) {
            throw invalid("'input' is required.");
        }
        tools(in, out);
        integer(in, "max_output_tokens", "max_completion_tokens", out);
        GatewayRequests.copyNumber(in, "temperature", out);
        GatewayRequests.copyNumber(in, "top_p", out);
        if (in.path("parallel_tool_calls").isBoolean()) {
            out.put("parallel_tool_calls", in.path("parallel_tool_calls").asBoolean());
        }
        if (in.path("user").isTextual()) {
            out.put("user", in.path("user").asText());
        }
        JsonNode effort = in.path("reasoning").get("effort");
        if (effort != null && effort.isTextual()) {
            out.put("reasoning_effort", effort.asText());
        }
        format(in.path("text").get("format"), out);
        if (parsed.stream()) {
            out.put("stream", true);
            // response.completed carries the usage, so the gateway asks every provider for it.
            out.putObject("stream_options").put("include_usage", true);
        }
        return out;
    }

    /** {@code input}: a string (one user message) or a list of items. */
    private static ArrayNode input(JsonNode input) {
        ArrayNode out = OpenAiShapes.array();
        if (input == null || input.isNull()) {
            return out;
        }
        if (input.isTextual()) {
            out.addObject().put("role", "user").put("content", input.asText());
            return out;
        }
        if (!input.isArray()) {
            throw invalid("'input' must be a string or an array of items.");
        }
        for (int i = 0; i < input.size(); i++) {
            item(input.get(i), "input[" + i + "]", out);
        }
        return out;
    }

    private static void item(JsonNode item, String at, ArrayNode out) {
        String type = item.path("type").asText(item.has("role") ? "message" : "");
        switch (type) {
            case "message" -> message(item, at, out);
            case "function_call" -> {
                ObjectNode call = OpenAiShapes.object().put("id", required(item, "call_id", at)).put("type", "function");
                call.putObject("function").put("name", required(item, "name", at))
                        .put("arguments", item.path("arguments").asText("{}"));
                // Calls of one turn go in one assistant message, as Chat Completions wants them.
                JsonNode last = out.isEmpty() ? null : out.get(out.size() - 1);
                if (last != null && "assistant".equals(last.path("role").asText()) && last.has("tool_calls")) {
                    ((ArrayNode) last.get("tool_calls")).add(call);
                } else {
                    ObjectNode assistant = out.addObject().put("role", "assistant");
                    assistant.putNull("content");
                    assistant.putArray("tool_calls").add(call);
                }
            }
            case "function_call_output" -> {
                JsonNode output = item.path("output");
                if (!output.isTextual() && !output.isArray()) {
                    throw invalid(at + ".output must be a string or an array of text parts.");
                }
                out.addObject().put("role", "tool").put("tool_call_id", required(item, "call_id", at))
                        .put("content", output.isTextual() ? output.asText() : OpenAiShapes.text(textParts(output, at + ".output")));
            }
            case "reasoning" -> {
                // Reasoning of earlier turns informs nothing a provider behind another API reads.
            }
            default -> throw invalid(at + ".type '" + type + "' is not supported by this gateway.");
        }
    }

    private static void message(JsonNode item, String at, ArrayNode out) {
        String role = item.path("role").asText();
        if (!role.equals("user") && !role.equals("assistant") && !role.equals("system") && !role.equals("developer")) {
            throw invalid(at + ".role must be user, assistant, system or developer.");
        }
        JsonNode content = item.get("content");
        if (content != null && content.isTextual()) {
            out.addObject().put("role", role).put("content", content.asText());
            return;
        }
        if (content == null || !content.isArray()) {
            throw invalid(at + ".content must be a string or an array of content parts.");
        }
        if (!role.equals("user")) {
            // Assistant, system and developer turns carry text only.
            out.addObject().put("role", role).put("content", OpenAiShapes.text(textParts(content, at + ".content")));
            return;
        }
        ArrayNode parts = OpenAiShapes.array();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String where = at + ".content[" + i + "]";
            switch (part.path("type").asText()) {
                case "input_text", "output_text", "text" -> parts.addObject().put("type", "text")
                        .put("text", part.path("text").asText());
                case "input_image" -> {
                    if (!part.path("image_url").isTextual()) {
                        throw invalid(where + ".image_url is required (a URL or a data URL); file_id is not supported.");
                    }
                    ObjectNode image = parts.addObject().put("type", "image_url").putObject("image_url")
                            .put("url", part.path("image_url").asText());
                    if (part.path("detail").isTextual()) {
                        image.put("detail", part.path("detail").asText());
                    }
                }
                default -> throw invalid(where + ".type '" + part.path("type").asText() + "' is not supported by this gateway.");
            }
        }
        out.addObject().put("role", "user").set("content", parts);
    }

    /** Text parts (input_text, output_text) as Chat Completions text parts; anything else is refused. */
    private static ArrayNode textParts(JsonNode content, String at) {
        ArrayNode parts = OpenAiShapes.array();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String type = part.path("type").asText();
            if (!type.equals("input_text") && !type.equals("output_text") && !type.equals("text")) {
                throw invalid(at + "[" + i + "].type '" + type + "' is not supported here; only text is.");
            }
            parts.addObject().put("type", "text").put("text", part.path("text").asText());
        }
        return parts;
    }

    private static void tools(JsonNode in, ObjectNode out) {
        JsonNode tools = in.get("tools");
        if (tools != null && !tools.isNull()) {
            if (!tools.isArray()) {
                throw invalid("'tools' must be an array.");
            }
            if (!tools.isEmpty()) {
                ArrayNode functions = out.putArray("tools");
                for (int i = 0; i < tools.size(); i++) {
                    JsonNode tool = tools.get(i);
                    if (!"function".equals(tool.path("type").asText())) {
                        throw invalid("tools[" + i + "].type '" + tool.path("type").asText()
                                + "' is not supported by this gateway; only function tools are.");
                    }
                    ObjectNode fn = functions.addObject().put("type", "function").putObject("function");
                    fn.put("name", required(tool, "name", "tools[" + i + "]"));
                    if (tool.path("description").isTextual()) {
                        fn.put("description", tool.path("description").asText());
                    }
                    fn.set("parameters", tool.has("parameters") && !tool.get("parameters").isNull() ? tool.get("parameters")
                            : OpenAiShapes.object().put("type", "object"));
                    if (tool.path("strict").isBoolean()) {
                        fn.put("strict", tool.path("strict").asBoolean());
                    }
                }
            }
        }
        JsonNode choice = in.get("tool_choice");
        if (choice == null || choice.isNull()) {
            return;
        }
        if (choice.isTextual() && (choice.asText().equals("auto") || choice.asText().equals("none")
                || choice.asText().equals("required"))) {
            out.put("tool_choice", choice.asText());
        } else if ("function".equals(choice.path("type").asText()) && choice.path("name").isTextual()) {
            out.putObject("tool_choice").put("type", "function").putObject("function").put("name", choice.path("name").asText());
        } else {
            throw invalid("'tool_choice' must be auto, none, required or {\"type\": \"function\", \"name\": …}.");
        }
    }

    /** {@code text.format}: plain text, a JSON object, or a JSON schema. */
    private static void format(JsonNode format, ObjectNode out) {
        if (format == null || format.isNull() || "text".equals(format.path("type").asText())) {
            return;
        }
        switch (format.path("type").asText()) {
            case "json_object" -> out.putObject("response_format").put("type", "json_object");
            case "json_schema" -> {
                ObjectNode schema = out.putObject("response_format").put("type", "json_schema").putObject("json_schema");
                schema.put("name", format.path("name").asText("response"));
                schema.set("schema", format.path("schema"));
                if (format.path("strict").isBoolean()) {
                    schema.put("strict", format.path("strict").asBoolean());
                }
            }
            default -> throw invalid("text.format.type must be text, json_object or json_schema.");
        }
    }

    private static void integer(JsonNode in, String field, String as, ObjectNode out) {
        JsonNode value = in.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.canConvertToInt() || value.asInt() < 1) {
            throw invalid("'" + field + "' must be a positive integer.");
        }
        out.put(as, value.asInt());
    }

    private static String required(JsonNode item, String field, String at) {
        if (!item.path(field).isTextual() || item.path(field).asText().isEmpty()) {
            throw invalid(at + "." + field + " is required.");
        }
        return item.path(field).asText();
    }

    static ChatException invalid(String message) {
        return ChatException.invalidRequest(message);
    }
}
