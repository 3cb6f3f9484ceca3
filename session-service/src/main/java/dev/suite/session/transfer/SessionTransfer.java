package dev.suite.session.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.ids.Ids;
import dev.suite.commons.problem.FieldError;
import dev.suite.commons.problem.ProblemException;
import dev.suite.session.SessionSettings;
import dev.suite.commons.db.Times;
import dev.suite.session.messages.MessageService;
import dev.suite.session.messages.MessageStore;
import dev.suite.session.messages.dto.MessageRequest;
import dev.suite.session.messages.dto.MessageResponse;
import dev.suite.session.realtime.SessionEvents;
import dev.suite.session.sessions.SessionService;
import dev.suite.session.sessions.SessionStore;
import dev.suite.session.sessions.dto.SessionRequest;
import dev.suite.session.sessions.dto.SessionResponse;
import dev.suite.session.summaries.SummaryResponse;
import dev.suite.session.summaries.SummaryStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Export of a session as one document, and import of such a document as a new session of the
 * caller: new ids throughout (so a document can be imported twice, or by another user), the
 * branch structure, times and summaries kept, running totals recomputed. An import is checked
 * whole before anything is written, and written in one transaction.
 */
@ApplicationScoped
public class SessionTransfer {

    /** The fields of an export the import takes; the rest (ids, totals, times) it makes anew or reads apart. */
    private static final List<String> SESSION_FIELDS = List.of("title", "name", "llm_config_id", "session_type",
            "avatar", "system_prompt", "media_output_path", "role_id");
    private static final List<String> MESSAGE_FIELDS = List.of("message_id", "parent_id", "role", "content",
            "thinking", "tool_calls", "token_count", "ext", "mcpdetail");

    /** Rows per INSERT statement of an import. */
    private static final int CHUNK = 500;

    private final Pool pool;
    private final SessionService sessionRules;
    private final SessionStore sessions;
    private final MessageService messageRules;
    private final MessageStore messages;
    private final SummaryStore summaries;
    private final SessionEvents events;
    private final SessionSettings settings;
    private final ObjectMapper mapper;

    public SessionTransfer(Pool pool, SessionService sessionRules, SessionStore sessions, MessageService messageRules,
            MessageStore messages, SummaryStore summaries, SessionEvents events, SessionSettings settings,
            ObjectMapper mapper) {
        this.pool = pool;
        this.sessionRules = sessionRules;
        this.sessions = sessions;
        this.messageRules = messageRules;
        this.messages = messages;
        this.summaries = summaries;
        this.events = events;
        this.settings = settings;
        this.mapper = mapper;
    }

    public Uni<SessionExport> export(String ownerId, String sessionId) {
        return sessionRules.owned(ownerId, sessionId).chain(session -> pool.withConnection(db ->
                messages.all(db, sessionId).chain(all -> summaries.list(db, sessionId)
                        .map(list -> new SessionExport(SessionExport.FORMAT, Times.now(), session, all, list)))));
    }

    public Uni<SessionResponse> importSession(String ownerId, JsonNode document) {
        Instant now = Times.now();
        Plan plan = plan(document, now);
        return pool.withTransaction(db -> sessions.insert(db, ownerId, plan.session())
                        .chain(() -> insertChunks(db, ownerId, plan.messages()))
                        .chain(() -> {
                            Uni<Void> chain = Uni.createFrom().voidItem();
                            for (SummaryResponse s : plan.summaries()) {
                                chain = chain.chain(() -> summaries.insert(db, ownerId, s));
                            }
                            return chain;
                        }))
                .replaceWith(plan.session())
                .call(created -> events.publish(ownerId, SessionEvents.SESSION_CREATED, created.sessionId(), created));
    }

    private Uni<Void> insertChunks(SqlClient db, String ownerId, List<MessageResponse> rows) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int from = 0; from < rows.size(); from += CHUNK) {
            List<MessageResponse> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
            chain = chain.chain(() -> messages.insert(db, ownerId, chunk));
        }
        return chain;
    }

    /** What an import writes, all checked. */
    private record Plan(SessionResponse session, List<MessageResponse> messages, List<SummaryResponse> summaries) {
    }

    private Plan plan(JsonNode document, Instant now) {
        if (document == null || !document.isObject()) {
            throw ProblemException.invalidField("body", "must be a session export document");
        }
        if (!SessionExport.FORMAT.equals(document.path("format").asText())) {
            throw ProblemException.invalidField("format", "must be " + SessionExport.FORMAT);
        }
        SessionRequest request;
        try {
            request = mapper.treeToValue(only(document.path("session"), SESSION_FIELDS), SessionRequest.class);
        } catch (Exception e) {
            throw ProblemException.invalidField("session", "must be a session object");
        }
        if (request == null) {
            throw ProblemException.invalidField("session", "is required");
        }
        SessionResponse fresh = sessionRules.newSession(request, now);
        Instant created = instant(document.path("session").path("created_at"), now);
        SessionResponse session = new SessionResponse(fresh.sessionId(), fresh.title(), fresh.name(), fresh.llmConfigId(),
                fresh.sessionType(), fresh.avatar(), fresh.systemPrompt(), fresh.mediaOutputPath(), fresh.roleId(),
                fresh.expiresAt(), created, now);

        JsonNode list = document.path("messages");
        List<MessageRequest> requests;
        try {
            requests = list.isMissingNode() || list.isEmpty() ? List.of()
                    : messageRules.parse(onlyEach(list, MESSAGE_FIELDS), settings.maxImportMessages());
        } catch (ProblemException e) {
            throw prefixed(e, "messages");
        }
        Map<String, MessageResponse> byOldId = new HashMap<>();
        List<MessageResponse> rows = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            MessageRequest r = requests.get(i);
            MessageResponse parent = null;
            if (r.parentId != null && r.parentId.isPresent()) {
                parent = byOldId.get(r.parentId.get());
                if (parent == null) {
                    errors.add(new FieldError("messages[" + i + "].parent_id", "must name a message listed before it"));
                    continue;
                }
            }
            long tokens = r.tokenCount == null ? 0 : r.tokenCount;
            Instant at = instant(list.get(i).path("created_at"), now);
            MessageResponse row = new MessageResponse(Ids.newId(), session.sessionId(),
                    parent == null ? null : parent.messageId(), r.role, r.content == null ? "" : r.content, r.thinking,
                    nullIfNull(r.toolCalls), r.tokenCount, (parent == null ? 0 : parent.accToken()) + tokens,
                    nullIfNull(r.ext), nullIfNull(r.mcpdetail), at, instant(list.get(i).path("updated_at"), at));
            if (r.messageId != null) {
                byOldId.put(r.messageId, row);
            }
            rows.add(row);
        }
        List<SummaryResponse> kept = new ArrayList<>();
        JsonNode summaryList = document.path("summaries");
        for (int i = 0; i < summaryList.size(); i++) {
            JsonNode s = summaryList.get(i);
            MessageResponse first = byOldId.get(s.path("first_message_id").asText(""));
            MessageResponse last = byOldId.get(s.path("last_message_id").asText(""));
            String field = "summaries[" + i + "]";
            if (first == null || last == null) {
                errors.add(new FieldError(field, "must cover messages of the document (first_message_id, last_message_id)"));
                continue;
            }
            if (!s.path("content").isTextual() || !s.path("llm_config_id").isTextual()) {
                errors.add(new FieldError(field, "needs content and llm_config_id"));
                continue;
            }
            kept.add(new SummaryResponse(Ids.newId(), session.sessionId(), s.get("content").asText(), first.messageId(),
                    last.messageId(), last.accToken(), s.path("covered_messages").asInt(0),
                    s.path("token_count").isInt() ? s.get("token_count").asInt() : null,
                    s.get("llm_config_id").asText(), instant(s.path("created_at"), now)));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return new Plan(session, rows, kept);
    }

    private static JsonNode only(JsonNode node, List<String> fields) {
        if (!node.isObject()) {
            return node;
        }
        ObjectNode kept = ((ObjectNode) node).deepCopy();
        kept.retain(fields);
        return kept;
    }

    private static JsonNode onlyEach(JsonNode list, List<String> fields) {
        if (!list.isArray()) {
            return list;
        }
        ArrayNode kept = list.deepCopy();
        for (int i = 0; i < kept.size(); i++) {
            kept.set(i, only(kept.get(i), fields));
        }
        return kept;
    }

    private static ProblemException prefixed(ProblemException e, String prefix) {
        if (e.errors().isEmpty()) {
            return e;
        }
        return ProblemException.validation(e.errors().stream()
                .map(error -> new FieldError(error.field().startsWith("[") ? prefix + error.field()
                        : prefix + "[0]." + error.field(), error.message())).toList());
    }

    private static Instant instant(JsonNode node, Instant fallback) {
        if (!node.isTextual()) {
            return fallback;
        }
        try {
            return Instant.parse(node.asText()).truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }

    private static JsonNode nullIfNull(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }
}
