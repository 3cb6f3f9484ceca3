package dev.suite.session.tools;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.problem.FieldError;
import dev.suite.commons.problem.ProblemException;
import dev.suite.session.SessionSettings;
import dev.suite.commons.calls.Caller;
import dev.suite.commons.db.Times;
import dev.suite.session.messages.MessageService;
import dev.suite.session.messages.MessageStore;
import dev.suite.session.messages.Role;
import dev.suite.session.messages.dto.MessageRequest;
import dev.suite.session.messages.dto.MessageResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the tool calls recorded on an assistant message through mcp-gateway and appends their
 * results as tool messages, each with its {@code mcpdetail}. At most once per message: the first
 * execute claims it; a later one answers the stored results, and one that comes while the first
 * is running gets a 409. A tool's own failure (refused arguments, unknown tool, an error result)
 * is a result the model should see; mcp-gateway failing is a 502/503/504 that writes nothing and
 * releases the claim, so the execute can be retried.
 */
@ApplicationScoped
public class ToolExecutor {

    /** The outcome: the tool messages, and whether they were made by this call. */
    public record Executed(List<MessageResponse> results, boolean ran) {
    }

    /** One call as recorded on the message, checked. */
    record Call(String id, String serverId, String tool, JsonNode arguments, String argumentsProblem) {
    }

    private final MessageService messages;
    private final MessageStore store;
    private final ExecutionStore executions;
    private final McpClient mcp;
    private final SessionSettings settings;
    private final ObjectMapper mapper;
    private final Pool pool;

    public ToolExecutor(MessageService messages, MessageStore store, ExecutionStore executions, McpClient mcp,
            SessionSettings settings, ObjectMapper mapper, Pool pool) {
        this.messages = messages;
        this.store = store;
        this.executions = executions;
        this.mcp = mcp;
        this.settings = settings;
        this.mapper = mapper;
        this.pool = pool;
    }

    public Uni<Executed> execute(Caller caller, String messageId) {
        return messages.get(caller.ownerId(), messageId).chain(message -> {
            List<Call> calls = calls(message);
            Instant now = Times.now();
            return executions.claim(messageId, now).chain(claimed -> {
                if (claimed) {
                    return run(caller, message, calls);
                }
                return executions.find(messageId).chain(claim -> {
                    if (claim.isPresent() && ExecutionStore.DONE.equals(claim.get().status())) {
                        return stored(caller.ownerId(), claim.get().resultIds()).map(results -> new Executed(results, false));
                    }
                    Instant staleBefore = now.minus(settings.tools().callTimeout()).minusSeconds(30);
                    return executions.takeOver(messageId, staleBefore, now).chain(taken -> taken ? run(caller, message, calls)
                            : Uni.createFrom().failure(ProblemException.conflict(
                                    "The tool calls of this message are being executed; ask again when they are done.")));
                });
            });
        });
    }

    private Uni<Executed> run(Caller caller, MessageResponse message, List<Call> calls) {
        List<Uni<MessageRequest>> each = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            each.add(callOne(caller, message, calls.get(i), i));
        }
        return Uni.join().all(each).andFailFast()
                .chain(requests -> messages.append(caller, message.sessionId(), requests))
                .chain(appended -> {
                    List<String> ids = appended.messages().stream().map(MessageResponse::messageId).toList();
                    return executions.done(message.messageId(), write(ids), Times.now())
                            .replaceWith(new Executed(appended.messages(), true));
                })
                .onFailure().call(() -> executions.release(message.messageId()));
    }

    /** Calls one tool and describes its result as the tool message to append. */
    private Uni<MessageRequest> callOne(Caller caller, MessageResponse message, Call call, int index) {
        long started = System.nanoTime();
        Uni<McpClient.Answer> answer = call.argumentsProblem() != null
                ? Uni.createFrom().item(new McpClient.Answer(400, mapper.createObjectNode()
                        .put("detail", call.argumentsProblem())))
                : mcp.call(caller, call.serverId(), call.tool(), call.arguments(), settings.tools().callTimeout());
        return answer.map(a -> {
            boolean ok = a.status() == 200;
            boolean isError = !ok || a.body().path("isError").asBoolean(false);
            String text = ok ? text(a.body()) : "Error: " + a.body().path("detail").asText("the tool call failed (" + a.status() + ")");
            ObjectNode detail = mapper.createObjectNode().put("server_id", call.serverId()).put("tool", call.tool())
                    .put("tool_call_id", call.id()).put("is_error", isError).put("status", a.status())
                    .put("duration_ms", (System.nanoTime() - started) / 1_000_000);
            detail.set("arguments", call.arguments());
            detail.set(ok ? "result" : "error", a.body());
            MessageRequest request = new MessageRequest();
            // Derived from the assistant message, so an append repeated after a crash cannot double the results.
            request.messageId = resultId(message.messageId(), index);
            request.parentId = index == 0 ? Optional.of(message.messageId()) : null;
            request.role = Role.TOOL;
            request.content = text;
            request.ext = mapper.createObjectNode().put("tool_call_id", call.id());
            request.mcpdetail = detail;
            return request;
        });
    }

    /** The calls of the message, each naming its server (on the call, or in the message's mcpdetail). */
    List<Call> calls(MessageResponse message) {
        if (!Role.ASSISTANT.equals(message.role()) || message.toolCalls() == null || message.toolCalls().isEmpty()) {
            throw ProblemException.conflict("Only an assistant message with tool_calls can be executed.");
        }
        String defaultServer = message.mcpdetail() == null ? null : message.mcpdetail().path("server_id").asText(null);
        List<Call> calls = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        JsonNode list = message.toolCalls();
        for (int i = 0; i < list.size(); i++) {
            JsonNode call = list.get(i);
            String field = "tool_calls[" + i + "]";
            String id = call.path("id").asText(null);
            String tool = call.path("function").path("name").asText(null);
            String server = call.path("server_id").asText(defaultServer);
            if (tool == null || tool.isBlank()) {
                errors.add(new FieldError(field + ".function.name", "is required"));
            }
            if (server == null || server.isBlank()) {
                errors.add(new FieldError(field + ".server_id", "names no MCP server (set it on the call or as mcpdetail.server_id)"));
            }
            JsonNode arguments = mapper.createObjectNode();
            String problem = null;
            JsonNode raw = call.path("function").path("arguments");
            if (raw.isTextual() && !raw.asText().isBlank()) {
                try {
                    arguments = mapper.readTree(raw.asText());
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    problem = "The arguments are not valid JSON: " + e.getOriginalMessage();
                }
            } else if (raw.isObject()) {
                arguments = raw;
            }
            if (problem == null && !arguments.isObject()) {
                problem = "The arguments must be a JSON object.";
                arguments = mapper.createObjectNode();
            }
            calls.add(new Call(id, server, tool, arguments, problem));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return calls;
    }

    private Uni<List<MessageResponse>> stored(String ownerId, String resultIds) {
        List<String> ids = read(resultIds);
        return store.byIds(pool, ownerId, ids).map(found -> found.stream()
                .sorted(java.util.Comparator.comparingInt(m -> ids.indexOf(m.messageId()))).toList());
    }

    /** The text parts of a CallToolResult, joined; other parts are in mcpdetail. */
    private static String text(JsonNode result) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : result.path("content")) {
            if ("text".equals(part.path("type").asText())) {
                text.append(text.length() == 0 ? "" : "\n").append(part.path("text").asText());
            }
        }
        if (text.length() == 0 && result.has("structuredContent")) {
            text.append(result.get("structuredContent").toString());
        }
        return text.toString();
    }

    static String resultId(String assistantId, int index) {
        return assistantId.length() <= 56 ? assistantId + ".tool." + index : assistantId.substring(0, 56) + ".tool." + index;
    }

    private String write(List<String> ids) {
        return mapper.valueToTree(ids).toString();
    }

    private List<String> read(String json) {
        try {
            return json == null ? List.of() : mapper.readValue(json, new TypeReference<List<String>>() { });
        } catch (Exception e) {
            return List.of();
        }
    }
}
