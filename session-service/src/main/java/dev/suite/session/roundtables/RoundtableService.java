package dev.suite.session.roundtables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.events.EventSubscriber;
import dev.suite.commons.ids.Ids;
import dev.suite.commons.paging.Page;
import dev.suite.commons.paging.PageRequest;
import dev.suite.commons.patch.EntityTags;
import dev.suite.commons.patch.MergePatch;
import dev.suite.commons.problem.FieldError;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.Violations;
import dev.suite.commons.redis.RedisLocks;
import dev.suite.commons.redis.RedisNames;
import dev.suite.session.SessionSettings;
import dev.suite.commons.calls.Caller;
import dev.suite.commons.db.Times;
import dev.suite.session.llm.LlmClient;
import dev.suite.session.realtime.SessionEvents;
import dev.suite.session.roundtables.dto.Participant;
import dev.suite.session.roundtables.dto.ParticipantRequest;
import dev.suite.session.roundtables.dto.RoundtableMessage;
import dev.suite.session.roundtables.dto.RoundtableRequest;
import dev.suite.session.roundtables.dto.RoundtableResponse;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.validation.Validator;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Roundtables and their discussions. A discussion runs on the replica that took the user's
 * message, under a Redis lease it renews while it runs: one discussion per roundtable across
 * replicas, and a discussion whose replica died shows as interrupted once the lease lapses. A
 * stop request reaches the running replica from any replica (pub/sub, and a key checked between
 * turns in case the notification is lost).
 */
@ApplicationScoped
public class RoundtableService {

    public static final String STOP_REQUESTED = "roundtable.stop.requested";
    private static final Logger LOG = Logger.getLogger(RoundtableService.class);
    private static final String RUNNING = "running";


    private final Pool pool;
    private final RoundtableStore store;
    private final LlmClient llm;
    private final SessionEvents events;
    private final EventSubscriber subscriber;
    private final SessionSettings settings;
    private final ReactiveRedisDataSource redis;
    private final RedisLocks locks;
    private final RedisNames names;
    private final Validator validator;
    private final Vertx vertx;
    private final ObjectMapper json;
    private final Map<String, Discussion> running = new ConcurrentHashMap<>();

    public RoundtableService(Pool pool, RoundtableStore store, LlmClient llm, SessionEvents events,
            EventSubscriber subscriber, SessionSettings settings, ReactiveRedisDataSource redis, RedisLocks locks,
            RedisNames names,
            Validator validator, Vertx vertx, ObjectMapper json) {
        this.pool = pool;
        this.store = store;
        this.llm = llm;
        this.events = events;
        this.subscriber = subscriber;
        this.settings = settings;
        this.redis = redis;
        this.locks = locks;
        this.names = names;
        this.validator = validator;
        this.vertx = vertx;
        this.json = json;
    }

    void start(@Observes StartupEvent startup) {
        subscriber.subscribe(events.controlChannel(), event -> {
            if (STOP_REQUESTED.equals(event.type()) && event.subject() != null) {
                Discussion discussion = running.get(event.subject());
                if (discussion != null) {
                    discussion.stop("stopped");
                }
            }
        }, () -> { });
    }

    void shutdown(@Observes ShutdownEvent shutdown) {
        running.values().forEach(d -> d.stop("interrupted"));
    }

    public Uni<RoundtableResponse> create(String ownerId, RoundtableRequest request) {
        RoundtableResponse table = check(request);
        return pool.withTransaction(db -> store.insert(db, ownerId, table)).replaceWith(table.withStatus("idle", null));
    }

    public Uni<RoundtableResponse> get(String ownerId, String roundtableId) {
        return owned(ownerId, roundtableId).chain(this::withStatus);
    }

    /**
     * A full update (PUT: absent fields take their create defaults); {@code ifMatch}, when given,
     * must name the roundtable as it is now.
     */
    public Uni<RoundtableResponse> update(String ownerId, String roundtableId, RoundtableRequest request, String ifMatch) {
        return change(ownerId, roundtableId, ifMatch, current -> request);
    }

    /** A JSON Merge Patch of the roundtable as GET shows it; participants, an array, are replaced as a whole. */
    public Uni<RoundtableResponse> patch(String ownerId, String roundtableId, JsonNode patch, String ifMatch) {
        return change(ownerId, roundtableId, ifMatch, current -> MergePatch.read(json,
                MergePatch.apply(json.valueToTree(current), patch, Set.of()), RoundtableRequest.class));
    }

    /**
     * Reads the roundtable under its row lock, checks {@code If-Match} against it as GET shows it,
     * and writes the request the edit makes of it — so no other write slips in between the check
     * and the write. A running discussion took its settings when it started: while it runs, only
     * the title may change (409 otherwise).
     */
    private Uni<RoundtableResponse> change(String ownerId, String roundtableId, String ifMatch,
            Function<RoundtableResponse, RoundtableRequest> edit) {
        if (!Ids.isId(roundtableId)) {
            return Uni.createFrom().failure(ProblemException.notFound("Roundtable"));
        }
        return pool.withTransaction(db -> store.find(db, ownerId, roundtableId, true)
                        .map(found -> found.orElseThrow(() -> ProblemException.notFound("Roundtable")))
                        .chain(stored -> withStatus(stored).chain(current -> {
                            EntityTags.requireMatch(ifMatch, EntityTags.of(json, current));
                            RoundtableResponse updated = replacing(stored, check(edit.apply(current)));
                            if (RUNNING.equals(current.status()) && !sameDiscussion(stored, updated)) {
                                throw ProblemException.conflict("A discussion of this roundtable is running: only "
                                        + "its title can change until it ends. Stop it first to change the rest.");
                            }
                            return store.update(db, updated);
                        }))
                        // As GET shows it: participants in the order the store lists them.
                        .chain(() -> store.find(db, ownerId, roundtableId, false)))
                .map(Optional::orElseThrow)
                .chain(this::withStatus);
    }

    /**
     * The checked request as the new state of the stored roundtable: its id, creation time and last
     * stop reason stay, and a participant keeps its id while it keeps its name (names are unique,
     * ignoring case), so the transcript still knows its turns.
     */
    private static RoundtableResponse replacing(RoundtableResponse stored, RoundtableResponse checked) {
        Map<String, String> ids = new HashMap<>();
        stored.participants().forEach(p -> ids.put(p.name().toLowerCase(Locale.ROOT), p.participantId()));
        List<Participant> participants = checked.participants().stream()
                .map(p -> new Participant(ids.getOrDefault(p.name().toLowerCase(Locale.ROOT), p.participantId()),
                        p.name(), p.llmConfigId(), p.rolePrompt(), p.order(), p.moderator()))
                .toList();
        return new RoundtableResponse(stored.roundtableId(), checked.title(), checked.topic(), checked.turnOrder(),
                checked.maxRounds(), checked.maxMessages(), checked.stopKeyword(), checked.tokenBudget(), participants,
                null, stored.stopReason(), stored.createdAt(), checked.updatedAt());
    }

    /** Whether a discussion would run the same under both: everything but the title (participants in any order). */
    private static boolean sameDiscussion(RoundtableResponse a, RoundtableResponse b) {
        return Objects.equals(a.topic(), b.topic()) && a.turnOrder().equals(b.turnOrder())
                && a.maxRounds() == b.maxRounds() && a.maxMessages() == b.maxMessages()
                && Objects.equals(a.stopKeyword(), b.stopKeyword()) && Objects.equals(a.tokenBudget(), b.tokenBudget())
                && Set.copyOf(a.participants()).equals(Set.copyOf(b.participants()));
    }

    public Uni<Page<RoundtableResponse>> list(String ownerId, String limit, String before) {
        PageRequest page = PageRequest.of(limit, before);
        return store.page(ownerId, page.before(), page.fetchSize())
                .chain(rows -> {
                    Uni<List<RoundtableResponse>> out = Uni.createFrom().item(new ArrayList<>());
                    for (RoundtableResponse row : rows) {
                        out = out.chain(acc -> withStatus(row).map(r -> {
                            acc.add(r);
                            return acc;
                        }));
                    }
                    return out;
                })
                .map(rows -> Page.of(rows, page, RoundtableResponse::roundtableId, r -> r));
    }

    public Uni<Void> delete(String ownerId, String roundtableId) {
        return owned(ownerId, roundtableId)
                .call(table -> requestStop(table))
                .chain(table -> store.delete(ownerId, roundtableId))
                .replaceWithVoid();
    }

    public Uni<Page<RoundtableMessage>> messages(String ownerId, String roundtableId, String limit, String before) {
        PageRequest page = PageRequest.of(limit, before);
        return owned(ownerId, roundtableId)
                .chain(() -> store.messages(pool, roundtableId, page.before(), page.fetchSize()))
                .map(rows -> {
                    boolean more = rows.size() > page.limit();
                    List<RoundtableMessage> shown = new ArrayList<>(more ? rows.subList(0, page.limit()) : rows);
                    Collections.reverse(shown);
                    return new Page<>(shown, more ? shown.get(0).messageId() : null);
                });
    }

    /** Stores the user's message and starts a discussion on this replica; 409 while one is running. */
    public Uni<RoundtableMessage> post(Caller caller, String roundtableId, String content) {
        if (content == null || content.isBlank()) {
            return Uni.createFrom().failure(ProblemException.invalidField("content", "must not be blank"));
        }
        String token = UUID.randomUUID().toString();
        String lease = leaseKey(roundtableId);
        return owned(caller.ownerId(), roundtableId).chain(table -> locks.acquire(lease, token, settings.roundtable().lease())
                .chain(taken -> {
                    if (!taken) {
                        return Uni.createFrom().failure(ProblemException.conflict(
                                "A discussion of this roundtable is running; stop it first."));
                    }
                    return begin(caller, table, content, token).onFailure().call(() -> release(lease, token));
                }));
    }

    private Uni<RoundtableMessage> begin(Caller caller, RoundtableResponse table, String content, String token) {
        Instant now = Times.now();
        RoundtableMessage message = new RoundtableMessage(Ids.newId(), table.roundtableId(), null, "user", "user",
                content, null, 0, now);
        return redis.key().del(stopKey(table.roundtableId()))
                .chain(() -> pool.withTransaction(db -> store.insertMessage(db, message)))
                .chain(() -> store.setStopReason(table.roundtableId(), RUNNING, now))
                .call(() -> events.publish(caller.ownerId(), SessionEvents.ROUNDTABLE_MESSAGE_CREATED,
                        table.roundtableId(), message))
                .chain(() -> store.messages(pool, table.roundtableId(), null, Discussion.TRANSCRIPT_TURNS))
                .invoke(newestFirst -> {
                    List<RoundtableMessage> transcript = new ArrayList<>(newestFirst);
                    Collections.reverse(transcript);
                    launch(caller, table, transcript, token);
                })
                .replaceWith(message);
    }

    private void launch(Caller caller, RoundtableResponse table, List<RoundtableMessage> transcript, String token) {
        String id = table.roundtableId();
        Discussion discussion = new Discussion(caller, table, transcript, llm, store, events, settings, pool);
        running.put(id, discussion);
        long every = Math.max(200, settings.roundtable().lease().toMillis() / 3);
        long timer = vertx.setPeriodic(every, t -> locks.renew(leaseKey(id), token, settings.roundtable().lease())
                .chain(renewed -> renewed ? redis.key().exists(stopKey(id))
                        : Uni.createFrom().item(Boolean.TRUE))
                .subscribe().with(stop -> {
                    if (stop) {
                        discussion.stop("stopped");
                    }
                }, e -> LOG.debugf("Lease of roundtable %s not renewed: %s", id, e.getMessage())));
        events.publish(caller.ownerId(), SessionEvents.ROUNDTABLE_STARTED, id, Map.of("roundtable_id", id))
                .chain(discussion::run)
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Discussion of roundtable %s failed: %s", id, e.getMessage());
                    return "failed:" + e.getMessage();
                })
                .chain(outcome -> {
                    vertx.cancelTimer(timer);
                    running.remove(id);
                    String reason = outcome.startsWith("failed:") ? "failed" : outcome;
                    Map<String, Object> data = new java.util.HashMap<>();
                    data.put("roundtable_id", id);
                    data.put("stop_reason", reason);
                    if (outcome.startsWith("failed:")) {
                        data.put("detail", outcome.substring(7));
                    }
                    return store.setStopReason(id, reason, Times.now())
                            .call(() -> events.publish(caller.ownerId(), SessionEvents.ROUNDTABLE_STOPPED, id, data));
                })
                .eventually(() -> release(leaseKey(id), token))
                .subscribe().with(ok -> { }, e -> LOG.warnf("Ending roundtable %s: %s", id, e.getMessage()));
    }

    /** Asks the running discussion, on whichever replica, to stop after the text streamed so far. */
    public Uni<RoundtableResponse> stop(String ownerId, String roundtableId) {
        return owned(ownerId, roundtableId).call(this::requestStop).chain(this::withStatus);
    }

    private Uni<Void> requestStop(RoundtableResponse table) {
        String id = table.roundtableId();
        Discussion local = running.get(id);
        if (local != null) {
            local.stop("stopped");
        }
        return redis.value(String.class, String.class).psetex(stopKey(id), settings.roundtable().lease().toMillis() * 4, "1")
                .chain(() -> events.publishControl(STOP_REQUESTED, id, Map.of("roundtable_id", id)));
    }

    private Uni<RoundtableResponse> withStatus(RoundtableResponse table) {
        return redis.key().exists(leaseKey(table.roundtableId())).map(live -> {
            if (live) {
                return table.withStatus(RUNNING, null);
            }
            return table.withStatus("idle", RUNNING.equals(table.stopReason()) ? "interrupted" : table.stopReason());
        });
    }

    private Uni<RoundtableResponse> owned(String ownerId, String roundtableId) {
        if (!Ids.isId(roundtableId)) {
            return Uni.createFrom().failure(ProblemException.notFound("Roundtable"));
        }
        return store.find(pool, ownerId, roundtableId, false)
                .map(found -> found.orElseThrow(() -> ProblemException.notFound("Roundtable")));
    }

    private Uni<Void> release(String key, String token) {
        return locks.release(key, token).onFailure().recoverWithNull();
    }

    private String leaseKey(String roundtableId) {
        return names.key("session", "roundtable-lease", roundtableId);
    }

    private String stopKey(String roundtableId) {
        return names.key("session", "roundtable-stop", roundtableId);
    }

    /** Field constraints and the rules between fields, in one 400; the roundtable as a new one would be stored. */
    RoundtableResponse check(RoundtableRequest request) {
        List<FieldError> errors = new ArrayList<>(Violations.fieldErrors(validator.validate(request)));
        SessionSettings.Roundtables limits = settings.roundtable();
        String order = request.turnOrder == null ? TurnOrder.ROUND_ROBIN : request.turnOrder;
        int maxRounds = request.maxRounds == null ? 3 : request.maxRounds;
        int maxMessages = request.maxMessages == null ? 20 : request.maxMessages;
        if (maxRounds > limits.maxRounds()) {
            errors.add(new FieldError("max_rounds", "must be at most " + limits.maxRounds()));
        }
        if (maxMessages > limits.maxMessages()) {
            errors.add(new FieldError("max_messages", "must be at most " + limits.maxMessages()));
        }
        List<ParticipantRequest> given = request.participants == null ? List.of() : request.participants;
        if (given.size() > limits.maxParticipants()) {
            errors.add(new FieldError("participants", "must be at most " + limits.maxParticipants()));
        }
        Set<String> seen = new HashSet<>();
        long moderators = 0;
        List<Participant> participants = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            ParticipantRequest p = given.get(i);
            if (p == null) {
                errors.add(new FieldError("participants[" + i + "]", "must be a participant"));
                continue;
            }
            if (p.name != null && !seen.add(p.name.strip().toLowerCase())) {
                errors.add(new FieldError("participants[" + i + "].name", "is used by another participant"));
            }
            boolean moderator = Boolean.TRUE.equals(p.moderator);
            moderators += moderator ? 1 : 0;
            participants.add(new Participant(Ids.newId(), p.name == null ? null : p.name.strip(), p.llmConfigId,
                    p.rolePrompt, p.order == null ? i : p.order, moderator));
        }
        if (moderators > 1) {
            errors.add(new FieldError("participants", "may have at most one moderator"));
        }
        if (TurnOrder.MODERATOR.equals(order) && moderators == 0) {
            errors.add(new FieldError("turn_order", "moderator needs a participant with moderator: true"));
        }
        if (TurnOrder.MODERATOR.equals(order) && !given.isEmpty() && given.size() - moderators < 1) {
            errors.add(new FieldError("participants", "need a speaker besides the moderator"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        participants.sort(java.util.Comparator.comparingInt(Participant::order));
        Instant now = Times.now();
        return new RoundtableResponse(Ids.newId(), request.title.strip(), request.topic, order, maxRounds, maxMessages,
                request.stopKeyword == null || request.stopKeyword.isBlank() ? null : request.stopKeyword.strip(),
                request.tokenBudget, participants, null, null, now, now);
    }
}
