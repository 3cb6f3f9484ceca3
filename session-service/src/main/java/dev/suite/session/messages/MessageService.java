package dev.suite.session.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.suite.commons.db.MySqlErrors;
import dev.suite.commons.ids.Ids;
import dev.suite.commons.paging.Page;
import dev.suite.commons.paging.PageRequest;
import dev.suite.commons.patch.EntityTags;
import dev.suite.commons.problem.FieldError;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.ProblemType;
import dev.suite.commons.problem.Violations;
import dev.suite.session.PartialUpdatePatch;
import dev.suite.session.SessionSettings;
import dev.suite.commons.calls.Caller;
import dev.suite.commons.db.Times;
import dev.suite.session.messages.MessageStore.Outcome;
import dev.suite.session.messages.MessageStore.Placed;
import dev.suite.session.messages.MessageStore.Placement;
import dev.suite.session.messages.dto.MessageRequest;
import dev.suite.session.messages.dto.MessageResponse;
import dev.suite.session.messages.dto.MessageUpdate;
import dev.suite.session.realtime.SessionEvents;
import dev.suite.session.sessions.SessionStore;
import dev.suite.session.sessions.SessionType;
import dev.suite.session.summaries.SummaryTrigger;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The rules of messages: appending (one or a batch, idempotent on client ids, chained into
 * branches with running token totals), paging in conversation order, edits that keep the totals
 * right, deletes that keep the branch connected, and events after each commit.
 */
@ApplicationScoped
public class MessageService {

    /**
     * The outcome of an append: the messages as asked for (stored now or before, for a repeated
     * client id), those stored now, and whether the session is a memory session.
     */
    public record Appended(List<MessageResponse> messages, List<MessageResponse> created, boolean memory) {
    }

    private final Pool pool;
    private final MessageStore store;
    private final SessionStore sessions;
    private final SessionEvents events;
    private final SummaryTrigger summaries;
    private final SessionSettings settings;
    private final ObjectMapper mapper;
    private final Validator validator;

    public MessageService(Pool pool, MessageStore store, SessionStore sessions, SessionEvents events,
            SummaryTrigger summaries, SessionSettings settings, ObjectMapper mapper, Validator validator) {
        this.pool = pool;
        this.store = store;
        this.sessions = sessions;
        this.events = events;
        this.summaries = summaries;
        this.settings = settings;
        this.mapper = mapper;
        this.validator = validator;
    }

    /** Reads and checks a POST body: one message object, or an array of them. */
    public List<MessageRequest> parse(JsonNode body) {
        return parse(body, settings.maxBatch());
    }

    /** Reads and checks messages: one object, or an array of at most {@code max}. */
    public List<MessageRequest> parse(JsonNode body, int max) {
        if (body == null || !(body.isObject() || body.isArray())) {
            throw ProblemException.invalidField("body", "must be a message object or an array of them");
        }
        boolean batch = body.isArray();
        if (batch && body.isEmpty()) {
            throw ProblemException.invalidField("body", "must hold at least one message");
        }
        if (batch && body.size() > max) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "At most " + max
                    + " messages per request.", null, null, null);
        }
        List<JsonNode> nodes = new ArrayList<>();
        body.forEach(nodes::add);
        if (!batch) {
            nodes = List.of(body);
        }
        List<MessageRequest> requests = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            String prefix = batch ? "[" + i + "]." : "";
            MessageRequest request;
            try {
                request = mapper.treeToValue(nodes.get(i), MessageRequest.class);
            } catch (UnrecognizedPropertyException e) {
                errors.add(new FieldError(prefix + e.getPropertyName(), "is not a field of a message"));
                continue;
            } catch (Exception e) {
                errors.add(new FieldError(prefix.isEmpty() ? "body" : prefix + "body", "must be a message object"));
                continue;
            }
            if (request == null) {
                errors.add(new FieldError(prefix + "body", "must be a message object"));
                continue;
            }
            for (FieldError error : Violations.fieldErrors(validator.validate(request))) {
                errors.add(new FieldError(prefix + error.field(), error.message()));
            }
            shapeErrors(prefix, request.toolCalls, request.ext, request.mcpdetail, errors);
            if (request.messageId != null && !ids.add(request.messageId)) {
                errors.add(new FieldError(prefix + "message_id", "is repeated in this request"));
            }
            requests.add(request);
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        for (MessageRequest request : requests) {
            checkSizes(request.content, request.thinking, request.toolCalls, request.ext, request.mcpdetail);
        }
        return requests;
    }

    /**
     * Appends, by the one append rule ({@link MessageStore#append}): each message is placed by the
     * database under the session's row lock, so concurrent appends to one session chain one after
     * another instead of forking the branch. A batch appends in one transaction, all or nothing.
     */
    public Uni<Appended> append(Caller caller, String sessionId, List<MessageRequest> requests) {
        if (!Ids.isId(sessionId)) {
            return Uni.createFrom().failure(ProblemException.notFound("Session"));
        }
        String ownerId = caller.ownerId();
        Instant now = Times.now();
        Uni<Appended> work = requests.size() == 1 && requests.get(0).parentId == null
                ? appendAlone(ownerId, sessionId, requests.get(0), now)
                        // A repeated client id: the general path answers the stored message, or 409.
                        .onFailure(MySqlErrors::isDuplicateKey).recoverWithUni(() -> appendInTransaction(ownerId, sessionId, requests, now))
                : appendInTransaction(ownerId, sessionId, requests, now);
        return work
                .onFailure(MySqlErrors::isDuplicateKey).transform(e -> idTaken(null))
                .call(appended -> publishCreated(ownerId, appended))
                .invoke(appended -> {
                    if (appended.memory() && !appended.created().isEmpty()) {
                        summaries.afterAppend(caller, sessionId, appended.created().get(appended.created().size() - 1));
                    }
                });
    }

    /** The common case — one message after the newest — in one round trip to the database. */
    private Uni<Appended> appendAlone(String ownerId, String sessionId, MessageRequest r, Instant now) {
        MessageResponse draft = draft(r, sessionId, now);
        return store.appendAlone(ownerId, draft, now.plus(settings.temporaryTtl())).map(placed -> {
            if (placed.outcome() == Outcome.NO_SESSION) {
                throw ProblemException.notFound("Session");
            }
            MessageResponse m = draft.placed(placed.parentId(), placed.accToken());
            return new Appended(List.of(m), List.of(m), isMemory(placed));
        });
    }

    /** The message a request describes, with its id; where it goes is the append rule's to say. */
    private static MessageResponse draft(MessageRequest r, String sessionId, Instant now) {
        return new MessageResponse(r.messageId != null ? r.messageId : Ids.newId(), sessionId, null, r.role,
                r.content == null ? "" : r.content, r.thinking, nullIfNull(r.toolCalls), r.tokenCount,
                0, nullIfNull(r.ext), nullIfNull(r.mcpdetail), now, now);
    }

    private static boolean isMemory(Placed placed) {
        return SessionType.MEMORY.wireName().equals(placed.sessionType());
    }

    /**
     * A batch, or a message with an explicit parent: client ids already stored are answered as
     * they are (a taken one is a 409), the others placed one by one in request order — a message
     * without parent_id after the one before it in the batch, the first after the session's newest.
     */
    private Uni<Appended> appendInTransaction(String ownerId, String sessionId, List<MessageRequest> requests,
            Instant now) {
        List<String> clientIds = requests.stream().map(r -> r.messageId).filter(id -> id != null).toList();
        Instant expires = now.plus(settings.temporaryTtl());
        return pool.withTransaction(db -> store.byIds(db, ownerId, clientIds).chain(existing -> {
            Map<String, MessageResponse> stored = new HashMap<>();
            for (MessageResponse m : existing) {
                if (!m.sessionId().equals(sessionId)) {
                    return Uni.createFrom().failure(idTaken(m.messageId()));
                }
                stored.put(m.messageId(), m);
            }
            Batch batch = new Batch(requests.size() > 1);
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (int i = 0; i < requests.size(); i++) {
                int index = i;
                MessageRequest r = requests.get(i);
                chain = chain.chain(() -> {
                    MessageResponse already = r.messageId == null ? null : stored.get(r.messageId);
                    if (already != null) {
                        batch.kept(already);
                        return Uni.createFrom().voidItem();
                    }
                    MessageResponse draft = draft(r, sessionId, now);
                    return store.append(db, ownerId, draft, batch.placement(r), expires)
                            .invoke(placed -> batch.placed(index, draft, placed)).replaceWithVoid();
                });
            }
            return chain.map(v -> batch.appended());
        }));
    }

    /** A batch being appended: what it answers, what it stored, and the field errors of parents not found. */
    private static final class Batch {

        private final boolean many;
        private final List<MessageResponse> result = new ArrayList<>();
        private final List<MessageResponse> fresh = new ArrayList<>();
        private final List<FieldError> errors = new ArrayList<>();
        private String previous;
        private boolean memory;

        Batch(boolean many) {
            this.many = many;
        }

        void kept(MessageResponse stored) {
            result.add(stored);
            previous = stored.messageId();
        }

        Placement placement(MessageRequest r) {
            if (r.parentId == null) {
                return previous == null ? Placement.NEWEST : Placement.after(previous);
            }
            return r.parentId.map(Placement::after).orElse(Placement.ROOT);
        }

        void placed(int index, MessageResponse draft, Placed placed) {
            switch (placed.outcome()) {
                case NO_SESSION -> throw ProblemException.notFound("Session");
                case NO_PARENT -> errors.add(new FieldError(many ? "[" + index + "].parent_id" : "parent_id",
                        "is not a message of this session"));
                case PLACED -> {
                    MessageResponse m = draft.placed(placed.parentId(), placed.accToken());
                    result.add(m);
                    fresh.add(m);
                    previous = m.messageId();
                    memory = isMemory(placed);
                }
            }
        }

        /** The outcome, or the field errors: the transaction then rolls back whatever was placed. */
        Appended appended() {
            if (!errors.isEmpty()) {
                throw ProblemException.validation(errors);
            }
            return new Appended(result, fresh, memory);
        }
    }

    public Uni<Page<MessageResponse>> list(String ownerId, String sessionId, String limit, String before, String leaf) {
        PageRequest page = pageRequest(limit, before);
        if (!Ids.isId(sessionId)) {
            return Uni.createFrom().failure(ProblemException.notFound("Session"));
        }
        if (leaf != null) {
            return branchPage(ownerId, sessionId, page, leaf);
        }
        return store.page(ownerId, sessionId, page.before(), page.fetchSize()).chain(rows -> {
            if (!rows.isEmpty()) {
                return Uni.createFrom().item(conversationPage(rows, page));
            }
            // Nothing: a session that is not the caller's, the end of the list, or a cursor from elsewhere.
            return sessions.find(ownerId, sessionId).chain(session -> {
                if (session.isEmpty()) {
                    return Uni.createFrom().failure(ProblemException.notFound("Session"));
                }
                return page.before() == null ? Uni.createFrom().item(conversationPage(rows, page))
                        : store.inSession(pool, sessionId, page.before()).map(known -> {
                            if (!known) {
                                throw unknownCursor();
                            }
                            return conversationPage(rows, page);
                        });
            });
        });
    }

    /** One branch, from its root to {@code leaf}, paged like the whole session. */
    private Uni<Page<MessageResponse>> branchPage(String ownerId, String sessionId, PageRequest page, String leaf) {
        return pool.withConnection(db -> sessions.find(db, ownerId, sessionId, false)
                .chain(session -> session.isEmpty() ? Uni.createFrom().failure(ProblemException.notFound("Session"))
                        : store.links(db, sessionId))
                .chain(links -> {
                    List<Long> branch = Branches.branch(links, leaf);
                    if (branch.isEmpty()) {
                        return Uni.createFrom().failure(ProblemException.invalidField("leaf", "is not a message of this session"));
                    }
                    int end = branch.size();
                    if (page.before() != null) {
                        Long cursor = links.stream().filter(l -> l.messageId().equals(page.before()))
                                .map(MessageStore.Link::seq).findFirst().orElseThrow(MessageService::unknownCursor);
                        end = (int) branch.stream().filter(seq -> seq < cursor).count();
                    }
                    List<Long> newestFirst = new ArrayList<>(branch.subList(Math.max(0, end - page.fetchSize()), end));
                    Collections.reverse(newestFirst);
                    return store.bySeq(db, newestFirst).map(rows -> {
                        List<MessageResponse> desc = new ArrayList<>(rows);
                        Collections.reverse(desc);
                        return conversationPage(desc, page);
                    });
                }));
    }

    /** Rows fetched newest first (one extra); shown oldest first, with the oldest shown as the next cursor. */
    private static Page<MessageResponse> conversationPage(List<MessageResponse> newestFirst, PageRequest page) {
        boolean more = newestFirst.size() > page.limit();
        List<MessageResponse> shown = new ArrayList<>(more ? newestFirst.subList(0, page.limit()) : newestFirst);
        Collections.reverse(shown);
        return new Page<>(shown, more ? shown.get(0).messageId() : null);
    }

    public Uni<MessageResponse> get(String ownerId, String messageId) {
        return owned(pool, ownerId, messageId, false);
    }

    /** An edit (PUT: absent keeps, null clears); {@code ifMatch}, when given, must name the message as it is now. */
    public Uni<MessageResponse> update(String ownerId, String messageId, MessageUpdate update, String ifMatch) {
        return change(ownerId, messageId, ifMatch, current -> update);
    }

    /** A JSON Merge Patch of the message as GET shows it. */
    public Uni<MessageResponse> patch(String ownerId, String messageId, JsonNode patch, String ifMatch) {
        return change(ownerId, messageId, ifMatch,
                current -> PartialUpdatePatch.read(mapper, current, patch, MessageUpdate.class));
    }

    /**
     * Applies the edit made of the message as it is now; a changed token count shifts the running
     * totals of every descendant. The session's row lock orders all writes to its messages, so the
     * message is read again once it is held — locked, as last committed — and {@code If-Match} is
     * checked against that: no other write slips in between the check and the write.
     */
    private Uni<MessageResponse> change(String ownerId, String messageId, String ifMatch,
            Function<MessageResponse, MessageUpdate> edit) {
        Instant now = Times.now();
        return pool.withTransaction(db -> owned(db, ownerId, messageId, false)
                        .call(found -> sessions.touch(db, ownerId, found.sessionId(), now, settings.temporaryTtl()))
                        .chain(found -> owned(db, ownerId, messageId, true))
                        .chain(current -> {
                            EntityTags.requireMatch(ifMatch, EntityTags.of(mapper, current));
                            MessageUpdate update = edit.apply(current);
                            check(update);
                            Integer tokens = update.tokenCount == null ? current.tokenCount() : update.tokenCount.orElse(null);
                            long delta = count(tokens) - count(current.tokenCount());
                            MessageResponse updated = new MessageResponse(current.messageId(), current.sessionId(),
                                    current.parentId(), current.role(),
                                    update.content == null ? current.content() : update.content.orElse(""),
                                    update.thinking == null ? current.thinking() : update.thinking.orElse(null),
                                    update.toolCalls == null ? current.toolCalls() : nullIfNull(update.toolCalls.orElse(null)),
                                    tokens, current.accToken() + delta,
                                    update.ext == null ? current.ext() : nullIfNull(update.ext.orElse(null)),
                                    update.mcpdetail == null ? current.mcpdetail() : nullIfNull(update.mcpdetail.orElse(null)),
                                    current.createdAt(), now);
                            Uni<Void> shift = delta == 0 ? Uni.createFrom().voidItem()
                                    : store.links(db, current.sessionId()).chain(links ->
                                            store.shiftAccTokens(db, Branches.descendants(links, messageId), delta));
                            return shift.chain(() -> store.update(db, updated)).replaceWith(updated);
                        }))
                .call(updated -> events.publish(ownerId, SessionEvents.MESSAGE_UPDATED, updated.sessionId(), updated));
    }

    /** Field constraints and shapes in one 400, then sizes (413). */
    private void check(MessageUpdate update) {
        List<FieldError> errors = new ArrayList<>(Violations.fieldErrors(validator.validate(update)));
        shapeErrors("", value(update.toolCalls), value(update.ext), value(update.mcpdetail), errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        checkSizes(text(update.content), text(update.thinking), value(update.toolCalls), value(update.ext),
                value(update.mcpdetail));
    }

    /**
     * Deletes one message. Its children move to its parent, so the branch stays connected, and the
     * running totals below it drop by its count.
     */
    public Uni<Void> delete(String ownerId, String messageId) {
        Instant now = Times.now();
        return pool.withTransaction(db -> owned(db, ownerId, messageId, false)
                        .call(m -> sessions.touch(db, ownerId, m.sessionId(), now, settings.temporaryTtl()))
                        .call(m -> store.links(db, m.sessionId()).chain(links ->
                                store.shiftAccTokens(db, Branches.descendants(links, messageId), -count(m.tokenCount()))))
                        .call(m -> store.reparent(db, m.sessionId(), messageId, m.parentId()))
                        .call(m -> store.delete(db, messageId)))
                .call(m -> events.publish(ownerId, SessionEvents.MESSAGE_DELETED, m.sessionId(),
                        new Deleted(m.messageId(), m.sessionId(), m.parentId())))
                .replaceWithVoid();
    }

    /**
     * The data of {@code message.deleted}: the message, and the parent its children moved to.
     * Registered: Jackson writes it into events, outside any REST signature.
     */
    @RegisterForReflection
    public record Deleted(String messageId, String sessionId, String parentId) {
    }

    /**
     * Full-text search over the caller's messages, newest first. Every word of {@code q} must
     * appear (as a word or a word's beginning); MySQL's full-text operators in {@code q} are taken
     * as plain text.
     */
    public Uni<Page<MessageStore.Hit>> search(String ownerId, String q, String limit, String before) {
        PageRequest page = pageRequest(limit, before);
        String query = FullText.booleanQuery(q);
        return store.search(ownerId, query, page.before(), page.fetchSize())
                .map(hits -> Page.of(hits, page, hit -> hit.message().messageId(), Function.identity()));
    }

    Uni<MessageResponse> owned(SqlClient db, String ownerId, String messageId, boolean forUpdate) {
        if (messageId == null || !messageId.matches(MessageRequest.ID_PATTERN)) {
            return Uni.createFrom().failure(ProblemException.notFound("Message"));
        }
        return store.find(db, ownerId, messageId, forUpdate).map(found -> found.orElseThrow(() -> ProblemException.notFound("Message")));
    }

    private Uni<Void> publishCreated(String ownerId, Appended appended) {
        if (appended.created().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> all = appended.created().stream()
                .map(m -> events.publish(ownerId, SessionEvents.MESSAGE_CREATED, m.sessionId(), m)).toList();
        // Sent together (Redis pipelines them) but appended to the stream in this order.
        return all.size() == 1 ? all.get(0) : Uni.join().all(all).andCollectFailures().replaceWithVoid();
    }

    /** A page request whose cursor is a message id (ours or a client's), not only a UUIDv7. */
    private static PageRequest pageRequest(String limit, String before) {
        PageRequest page = PageRequest.of(limit, null);
        if (before == null || before.isBlank()) {
            return page;
        }
        if (!before.matches(MessageRequest.ID_PATTERN)) {
            throw unknownCursor();
        }
        return new PageRequest(page.limit(), before);
    }

    private static ProblemException unknownCursor() {
        return ProblemException.invalidField("before", "must be a message id of this list (its next_before)");
    }

    private static ProblemException idTaken(String messageId) {
        return ProblemException.conflict(messageId == null ? "A message_id of this request is already taken."
                : "message_id '" + messageId + "' is already taken.");
    }

    private void shapeErrors(String prefix, JsonNode toolCalls, JsonNode ext, JsonNode mcpdetail, List<FieldError> errors) {
        if (toolCalls != null && !toolCalls.isNull() && !toolCalls.isArray()) {
            errors.add(new FieldError(prefix + "tool_calls", "must be an array of tool calls"));
        }
        if (ext != null && !ext.isNull() && !ext.isObject()) {
            errors.add(new FieldError(prefix + "ext", "must be a JSON object"));
        }
        if (mcpdetail != null && !mcpdetail.isNull() && !mcpdetail.isObject()) {
            errors.add(new FieldError(prefix + "mcpdetail", "must be a JSON object"));
        }
    }

    /** 413 for a field past its configured size. */
    void checkSizes(String content, String thinking, JsonNode toolCalls, JsonNode ext, JsonNode mcpdetail) {
        tooLarge("content", bytes(content), settings.maxContentBytes());
        tooLarge("thinking", bytes(thinking), settings.maxContentBytes());
        tooLarge("tool_calls", jsonBytes(toolCalls), settings.maxJsonBytes());
        tooLarge("ext", jsonBytes(ext), settings.maxJsonBytes());
        tooLarge("mcpdetail", jsonBytes(mcpdetail), settings.maxJsonBytes());
    }

    private static void tooLarge(String field, long size, int max) {
        if (size > max) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, field + " is larger than " + max + " bytes.",
                    null, null, null);
        }
    }

    private static long bytes(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }

    private long jsonBytes(JsonNode node) {
        return node == null || node.isNull() ? 0 : node.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    private static JsonNode value(Optional<JsonNode> field) {
        return field == null ? null : field.orElse(null);
    }

    private static String text(Optional<String> field) {
        return field == null ? null : field.orElse(null);
    }

    private static JsonNode nullIfNull(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }

    private static long count(Integer tokens) {
        return tokens == null ? 0 : tokens;
    }
}
