package dev.suite.session.sessions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.suite.commons.db.Times;
import dev.suite.session.realtime.SessionEvents;
import dev.suite.session.sessions.dto.SessionRequest;
import dev.suite.session.sessions.dto.SessionResponse;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The rules of sessions: validation, ownership, expiry of temporary sessions, events after commit. */
@ApplicationScoped
public class SessionService {

    private final Pool pool;
    private final SessionStore store;
    private final SessionEvents events;
    private final SessionSettings settings;
    private final Validator validator;
    private final ObjectMapper json;

    public SessionService(Pool pool, SessionStore store, SessionEvents events, SessionSettings settings,
            Validator validator, ObjectMapper json) {
        this.pool = pool;
        this.store = store;
        this.events = events;
        this.settings = settings;
        this.validator = validator;
        this.json = json;
    }

    public Uni<Page<SessionResponse>> list(String ownerId, String limit, String before, String type) {
        List<FieldError> errors = new ArrayList<>();
        PageRequest page = null;
        SessionCursor cursor = null;
        try {
            page = PageRequest.of(limit, null);
        } catch (ProblemException e) {
            errors.addAll(e.errors());
        }
        try {
            cursor = SessionCursor.parse(before);
        } catch (ProblemException e) {
            errors.addAll(e.errors());
        }
        if (type != null && SessionType.fromWire(type).isEmpty()) {
            errors.add(new FieldError("session_type", "must be temporary, memory or agent"));
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.validation(errors));
        }
        PageRequest request = page;
        return store.page(ownerId, type, cursor, request.fetchSize())
                .map(rows -> Page.of(rows, request, SessionCursor::of, s -> s));
    }

    public Uni<SessionResponse> get(String ownerId, String sessionId) {
        return owned(ownerId, sessionId);
    }

    public Uni<SessionResponse> create(String ownerId, SessionRequest request) {
        SessionResponse session = newSession(request, Times.now());
        return store.insert(pool, ownerId, session).replaceWith(session)
                .call(created -> events.publish(ownerId, SessionEvents.SESSION_CREATED, created.sessionId(), created));
    }

    /** A new session from a checked request (400 or 413 when it does not pass). */
    public SessionResponse newSession(SessionRequest request, Instant now) {
        check(request, true);
        return apply(request, new SessionResponse(Ids.newId(), null, null, null, null, null, null, null, null, null,
                now, now), now);
    }

    /** An update (PUT: absent keeps, null clears); {@code ifMatch}, when given, must name the session as it is now. */
    public Uni<SessionResponse> update(String ownerId, String sessionId, SessionRequest request, String ifMatch) {
        return change(ownerId, sessionId, ifMatch, current -> request);
    }

    /** A JSON Merge Patch of the session as GET shows it. */
    public Uni<SessionResponse> patch(String ownerId, String sessionId, JsonNode patch, String ifMatch) {
        return change(ownerId, sessionId, ifMatch,
                current -> PartialUpdatePatch.read(json, current, patch, SessionRequest.class));
    }

    /**
     * Reads the session under its row lock, checks {@code If-Match} against it, and writes the
     * request the edit makes of it — so no other write slips in between the check and the write.
     */
    private Uni<SessionResponse> change(String ownerId, String sessionId, String ifMatch,
            Function<SessionResponse, SessionRequest> edit) {
        if (!Ids.isId(sessionId)) {
            return Uni.createFrom().failure(ProblemException.notFound("Session"));
        }
        return pool.withTransaction(db -> store.find(db, ownerId, sessionId, true)
                        .map(found -> found.orElseThrow(() -> ProblemException.notFound("Session")))
                        .map(current -> {
                            EntityTags.requireMatch(ifMatch, EntityTags.of(json, current));
                            SessionRequest request = edit.apply(current);
                            check(request, false);
                            return apply(request, current, Times.now());
                        })
                        .call(updated -> store.update(db, ownerId, updated)))
                .call(updated -> events.publish(ownerId, SessionEvents.SESSION_UPDATED, sessionId, updated));
    }

    public Uni<Void> delete(String ownerId, String sessionId) {
        if (!Ids.isId(sessionId)) {
            return Uni.createFrom().failure(ProblemException.notFound("Session"));
        }
        return store.delete(ownerId, sessionId)
                .invoke(deleted -> {
                    if (!deleted) {
                        throw ProblemException.notFound("Session");
                    }
                })
                .call(() -> events.publish(ownerId, SessionEvents.SESSION_DELETED, sessionId,
                        new Deleted(sessionId)))
                .replaceWithVoid();
    }

    /** The data of {@code session.deleted}. Registered: Jackson writes it into events, outside any REST signature. */
    @RegisterForReflection
    public record Deleted(String sessionId) {
    }

    public Uni<SessionResponse> owned(String ownerId, String sessionId) {
        if (!Ids.isId(sessionId)) {
            return Uni.createFrom().failure(ProblemException.notFound("Session"));
        }
        return store.find(ownerId, sessionId)
                .map(found -> found.orElseThrow(() -> ProblemException.notFound("Session")));
    }

    /** Field constraints and the rules they cannot express, in one 400 (or a 413 for an oversized prompt). */
    void check(SessionRequest request, boolean creating) {
        List<FieldError> errors = new ArrayList<>(Violations.fieldErrors(validator.validate(request)));
        if (request.sessionType != null && request.sessionType.isEmpty()) {
            errors.add(new FieldError("session_type", "must not be null"));
        } else if (creating && request.sessionType == null) {
            errors.add(new FieldError("session_type", "is required (temporary, memory or agent)"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        if (request.systemPrompt != null && request.systemPrompt.isPresent()
                && request.systemPrompt.get().getBytes(StandardCharsets.UTF_8).length > settings.maxContentBytes()) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "system_prompt is larger than "
                    + settings.maxContentBytes() + " bytes.", null, null, null);
        }
    }

    /** The session with the request's present fields applied, its type's expiry and the new update time. */
    SessionResponse apply(SessionRequest r, SessionResponse s, Instant now) {
        String type = pick(r.sessionType, s.sessionType());
        Instant expires = SessionType.TEMPORARY.wireName().equals(type) ? now.plus(settings.temporaryTtl()) : null;
        return new SessionResponse(s.sessionId(), pick(r.title, s.title()), pick(r.name, s.name()),
                pick(r.llmConfigId, s.llmConfigId()), type, pick(r.avatar, s.avatar()),
                r.systemPrompt == null ? s.systemPrompt() : r.systemPrompt.orElse(null), pick(r.mediaOutputPath, s.mediaOutputPath()),
                pick(r.roleId, s.roleId()), expires, s.createdAt(), now);
    }

    private static String pick(Optional<String> requested, String current) {
        if (requested == null) {
            return current;
        }
        return requested.map(String::strip).filter(v -> !v.isEmpty()).orElse(null);
    }
}
