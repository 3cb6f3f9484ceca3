package dev.suite.llm.chat.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.ids.Ids;
import dev.suite.llm.chat.ChatCall;
import dev.suite.llm.chat.ChatException;
import dev.suite.llm.chat.Usage;
import dev.suite.llm.config.Provider;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.Map;

/**
 * Google's Gemini API: {@code generateContent} and {@code streamGenerateContent?alt=sse}, roles
 * {@code user}/{@code model}, {@code functionCall}/{@code functionResponse} parts, thought parts and
 * {@code usageMetadata}. Gemini gives function calls no ids, so the gateway makes them.
 */
@ApplicationScoped
public class GeminiAdapter implements ProviderAdapter {

    @Override
    public Provider provider() {
        return Provider.GEMINI;
    }

    @Override
    public UpstreamRequest request(ChatCall call) {
        ObjectNode in = call.request();
        ObjectNode out = OpenAiShapes.object();
        StringBuilder system = new StringBuilder();
        out.set("contents", contents(in.path("messages"), system));
        if (!system.isEmpty()) {
            out.putObject("systemInstruction").putArray("parts").addObject().put("text", system.toString());
        }
        ObjectNode generation = out.putObject("generationConfig");
        if (in.path("temperature").isNumber()) {
            generation.set("temperature", in.get("temperature"));
        }
        if (in.path("top_p").isNumber()) {
            generation.set("topP", in.get("top_p"));
        }
        int maxTokens = in.path("max_completion_tokens").asInt(in.path("max_tokens").asInt(0));
        if (maxTokens > 0) {
            generation.put("maxOutputTokens", maxTokens);
        }
        if (in.path("n").asInt(1) > 1) {
            generation.put("candidateCount", in.path("n").asInt());
        }
        JsonNode stop = in.path("stop");
        if (stop.isTextual()) {
            generation.putArray("stopSequences").add(stop.asText());
        } else if (stop.isArray()) {
            generation.set("stopSequences", stop);
        }
        JsonNode format = in.path("response_format");
        switch (format.path("type").asText("")) {
            case "json_object" -> generation.put("responseMimeType", "application/json");
            case "json_schema" -> {
                generation.put("responseMimeType", "application/json");
                generation.set("responseJsonSchema", format.path("json_schema").path("schema"));
            }
            default -> {
            }
        }
        String effort = in.path("reasoning_effort").asText(null);
        if (effort != null && !"none".equals(effort)) {
            generation.putObject("thinkingConfig").put("includeThoughts", true);
        }
        if (in.path("tools").isArray() && !in.path("tools").isEmpty()) {
            ArrayNode declarations = out.putArray("tools").addObject().putArray("functionDeclarations");
            for (JsonNode tool : in.path("tools")) {
                JsonNode fn = tool.path("function");
                ObjectNode d = declarations.addObject().put("name", fn.path("name").asText());
                if (fn.hasNonNull("description")) {
                    d.put("description", fn.path("description").asText());
                }
                if (fn.hasNonNull("parameters")) {
                    d.set("parametersJsonSchema", fn.get("parameters"));
                }
            }
            JsonNode choice = in.path("tool_choice");
            ObjectNode calling = null;
            if (choice.isTextual()) {
                calling = OpenAiShapes.object().put("mode", switch (choice.asText()) {
                    case "required" -> "ANY";
                    case "none" -> "NONE";
                    default -> "AUTO";
                });
            } else if (choice.isObject()) {
                calling = OpenAiShapes.object().put("mode", "ANY");
                calling.putArray("allowedFunctionNames").add(choice.path("function").path("name").asText());
            }
            if (calling != null) {
                out.putObject("toolConfig").set("functionCallingConfig", calling);
            }
        }
        String method = call.stream() ? ":streamGenerateContent?alt=sse" : ":generateContent";
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
        if (call.apiKey() != null) {
            headers.add("x-goog-api-key", call.apiKey());
        }
        return new UpstreamRequest(call.config().apiUrl() + "/models/" + call.upstreamModel() + method, headers,
                Buffer.buffer(out.toString()));
    }

    private static ArrayNode contents(JsonNode messages, StringBuilder system) {
        if (!messages.isArray()) {
            throw ChatException.invalidRequest("messages must be an array");
        }
        ArrayNode out = OpenAiShapes.array();
        Map<String, String> toolNames = new HashMap<>();
        for (JsonNode message : messages) {
            String role = message.path("role").asText();
            switch (role) {
                case "system", "developer" -> system.append(system.isEmpty() ? "" : "\n\n")
                        .append(OpenAiShapes.text(message.get("content")));
                case "user" -> append(out, "user", userParts(message.get("content")));
                case "assistant" -> {
                    ArrayNode parts = OpenAiShapes.array();
                    String text = OpenAiShapes.text(message.get("content"));
                    if (!text.isEmpty()) {
                        parts.addObject().put("text", text);
                    }
                    for (JsonNode call : message.path("tool_calls")) {
                        String name = call.path("function").path("name").asText();
                        toolNames.put(call.path("id").asText(), name);
                        ObjectNode fc = parts.addObject().putObject("functionCall");
                        fc.put("name", name);
                        fc.set("args", OpenAiShapes.arguments(call));
                    }
                    append(out, "model", parts);
                }
                case "tool" -> {
                    String name = toolNames.get(message.path("tool_call_id").asText());
                    if (name == null) {
                        throw ChatException.invalidRequest("tool message " + message.path("tool_call_id").asText()
                                + " answers no tool call of an earlier assistant message");
                    }
                    ArrayNode parts = OpenAiShapes.array();
                    ObjectNode response = parts.addObject().putObject("functionResponse");
                    response.put("name", name);
                    response.putObject("response").put("result", OpenAiShapes.text(message.get("content")));
                    append(out, "user", parts);
                }
                default -> throw ChatException.invalidRequest("unknown message role '" + role + "'");
            }
        }
        return out;
    }

    private static void append(ArrayNode out, String role, ArrayNode parts) {
        if (parts.isEmpty()) {
            return;
        }
        JsonNode last = out.isEmpty() ? null : out.get(out.size() - 1);
        if (last != null && role.equals(last.path("role").asText())) {
            ((ArrayNode) last.get("parts")).addAll(parts);
        } else {
            ObjectNode content = out.addObject().put("role", role);
            content.set("parts", parts);
        }
    }

    private static ArrayNode userParts(JsonNode content) {
        ArrayNode parts = OpenAiShapes.array();
        if (content == null || content.isNull()) {
            return parts;
        }
        if (content.isTextual()) {
            parts.addObject().put("text", content.asText());
            return parts;
        }
        for (JsonNode part : content) {
            switch (part.path("type").asText()) {
                case "text" -> parts.addObject().put("text", part.path("text").asText());
                case "image_url" -> {
                    String url = part.path("image_url").path("url").asText();
                    OpenAiShapes.DataUrl data = OpenAiShapes.DataUrl.parse(url);
                    if (data != null) {
                        parts.addObject().putObject("inlineData").put("mimeType", data.mediaType())
                                .put("data", data.base64());
                    } else {
                        parts.addObject().putObject("fileData").put("fileUri", url);
                    }
                }
                default -> throw ChatException.invalidRequest("content part type '" + part.path("type").asText()
                        + "' is not supported by the gemini provider");
            }
        }
        return parts;
    }

    static String finishReason(String reason, boolean calledTools) {
        if (reason == null) {
            return null;
        }
        return switch (reason) {
            case "STOP" -> calledTools ? "tool_calls" : "stop";
            case "MAX_TOKENS" -> "length";
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" -> "content_filter";
            default -> "stop";
        };
    }

    static Usage usageOf(JsonNode metadata) {
        // Thought tokens are billed as output, so they count as completion tokens (and as reasoning).
        int thoughts = metadata.path("thoughtsTokenCount").asInt(0);
        return new Usage(metadata.path("promptTokenCount").asInt(0),
                metadata.path("candidatesTokenCount").asInt(0) + thoughts,
                metadata.path("cachedContentTokenCount").asInt(0), thoughts);
    }

    @Override
    public Completion completion(ChatCall call, Buffer upstreamBody) {
        JsonNode body = OpenAiShapes.parse(upstreamBody);
        ObjectNode completion = OpenAiShapes.object();
        ArrayNode choices = OpenAiShapes.array();
        int index = 0;
        for (JsonNode candidate : body.path("candidates")) {
            ObjectNode message = OpenAiShapes.object().put("role", "assistant");
            StringBuilder text = new StringBuilder();
            StringBuilder thought = new StringBuilder();
            ArrayNode toolCalls = OpenAiShapes.array();
            for (JsonNode part : candidate.path("content").path("parts")) {
                if (part.has("functionCall")) {
                    ObjectNode tc = toolCalls.addObject().put("id", "call_" + Ids.newId().replace("-", ""))
                            .put("type", "function");
                    tc.putObject("function").put("name", part.path("functionCall").path("name").asText())
                            .put("arguments", OpenAiShapes.json(part.path("functionCall").get("args")));
                } else if (part.path("thought").asBoolean(false)) {
                    thought.append(part.path("text").asText());
                } else if (part.has("text")) {
                    text.append(part.path("text").asText());
                }
            }
            if (text.isEmpty() && !toolCalls.isEmpty()) {
                message.putNull("content");
            } else {
                message.put("content", text.toString());
            }
            if (!thought.isEmpty()) {
                message.put("reasoning_content", thought.toString());
            }
            if (!toolCalls.isEmpty()) {
                message.set("tool_calls", toolCalls);
            }
            ObjectNode choice = choices.addObject().put("index", index++);
            choice.set("message", message);
            choice.put("finish_reason", finishReason(candidate.path("finishReason").asText("STOP"), !toolCalls.isEmpty()));
        }
        if (choices.isEmpty()) {
            String blocked = body.path("promptFeedback").path("blockReason").asText("no candidates");
            ObjectNode choice = choices.addObject().put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", "");
            choice.put("finish_reason", "content_filter");
            completion.put("system_fingerprint", "gemini:" + blocked);
        }
        Usage usage = usageOf(body.path("usageMetadata"));
        completion.put("id", call.completionId()).put("object", "chat.completion").put("created", call.created())
                .put("model", call.upstreamModel());
        completion.set("choices", choices);
        completion.set("usage", OpenAiShapes.usage(usage));
        return new Completion(Buffer.buffer(completion.toString()), usage);
    }

    @Override
    public StreamTranslator translator(ChatCall call) {
        return new TranslatingStream(call) {
            private int toolCalls;

            @Override
            public void onFrame(String event, String data, ChunkSink out) {
                JsonNode frame = OpenAiShapes.parse(data);
                if (frame.has("error")) {
                    JsonNode error = frame.path("error");
                    throw new ChatException(502, "upstream_error", error.path("status").asText(null),
                            "gemini: " + error.path("message").asText("stream failed"), null, false);
                }
                if (frame.has("usageMetadata")) {
                    usage = usageOf(frame.path("usageMetadata"));
                }
                open(out);
                JsonNode candidate = frame.path("candidates").path(0);
                for (JsonNode part : candidate.path("content").path("parts")) {
                    if (part.has("functionCall")) {
                        int index = toolCalls++;
                        out.chunk(OpenAiShapes.chunk(call, d -> {
                            ObjectNode tc = d.putArray("tool_calls").addObject().put("index", index)
                                    .put("id", "call_" + Ids.newId().replace("-", "")).put("type", "function");
                            tc.putObject("function").put("name", part.path("functionCall").path("name").asText())
                                    .put("arguments", OpenAiShapes.json(part.path("functionCall").get("args")));
                        }, null));
                    } else if (part.path("thought").asBoolean(false)) {
                        out.chunk(OpenAiShapes.chunk(call, d -> d.put("reasoning_content", part.path("text").asText()), null));
                    } else if (part.has("text")) {
                        out.chunk(OpenAiShapes.chunk(call, d -> d.put("content", part.path("text").asText()), null));
                    }
                }
                String reason = finishReason(candidate.path("finishReason").asText(null), toolCalls > 0);
                if (reason != null) {
                    out.chunk(OpenAiShapes.chunk(call, d -> { }, reason));
                }
            }

        };
    }
}
