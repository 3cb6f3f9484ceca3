package dev.suite.session.summaries;

import dev.suite.commons.ids.Ids;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.redis.RedisLocks;
import dev.suite.commons.redis.RedisNames;
import dev.suite.session.SessionSettings;
import dev.suite.commons.calls.Caller;
import dev.suite.commons.db.Times;
import dev.suite.session.llm.ChatMessage;
import dev.suite.session.llm.LlmClient;
import dev.suite.session.messages.Branches;
import dev.suite.session.messages.MessageStore;
import dev.suite.session.messages.dto.MessageResponse;
import dev.suite.session.realtime.SessionEvents;
import dev.suite.session.sessions.SessionStore;
import dev.suite.session.sessions.dto.SessionResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Summaries of memory sessions and the context built on them. A summary condenses a branch up to
 * a message, folding in the summary before it, through llm-service with the session's config; the
 * newest messages are left out so the context keeps them word for word. One summary at a time per
 * session, across replicas (a Redis lock).
 */
@ApplicationScoped
public class SummaryService {

    static final String INSTRUCTIONS = "You condense conversations. Write a faithful, compact summary of the "
            + "conversation below, keeping facts, decisions, names, numbers and open questions. If a previous "
            + "summary is given, fold it in. Answer with the summary only.";

    private final Pool pool;
    private final SessionStore sessions;
    private final MessageStore messages;
    private final SummaryStore summaries;
    private final LlmClient llm;
    private final SessionEvents events;
    private final SessionSettings settings;
    private final RedisLocks locks;
    private final RedisNames names;

    public SummaryService(Pool pool, SessionStore sessions, MessageStore messages, SummaryStore summaries,
            LlmClient llm, SessionEvents events, SessionSettings settings, RedisLocks locks,
            RedisNames names) {
        this.pool = pool;
        this.sessions = sessions;
        this.messages = messages;
        this.summaries = summaries;
        this.llm = llm;
        this.events = events;
        this.settings = settings;
        this.locks = locks;
        this.names = names;
    }

    public Uni<List<SummaryResponse>> list(String ownerId, String sessionId) {
        return pool.withConnection(db -> owned(db, ownerId, sessionId).chain(() -> summaries.list(db, sessionId)));
    }

    /**
     * Summarises the branch ending at {@code leafId} (the newest message when null).
     *
     * @param forced true for {@code POST …/summaries}: nothing to summarise or a summary under way is
     *               a 409; false for the automatic run, which then just does nothing
     * @return the new summary, or empty when an automatic run had nothing to do
     */
    public Uni<Optional<SummaryResponse>> summarize(Caller caller, String sessionId, String leafId, boolean forced) {
        String lockKey = names.key("session", "summarizing", sessionId);
        String token = UUID.randomUUID().toString();
        return pool.withConnection(db -> owned(db, caller.ownerId(), sessionId))
                .chain(session -> {
                    if (session.llmConfigId() == null) {
                        return forced ? Uni.createFrom().failure(ProblemException.conflict(
                                "The session has no llm_config_id to summarise with.")) : Uni.createFrom().item(Optional.empty());
                    }
                    return locks.acquire(lockKey, token, settings.summary().timeout().plusSeconds(10))
                            .chain(mine -> {
                                if (!mine) {
                                    return forced ? Uni.createFrom().failure(ProblemException.conflict(
                                            "A summary of this session is being made; try again when it is done."))
                                            : Uni.createFrom().item(Optional.<SummaryResponse>empty());
                                }
                                return make(caller, session, leafId, forced)
                                        .eventually(() -> locks.release(lockKey, token)
                                                .onFailure().recoverWithNull());
                            });
                });
    }

    private Uni<Optional<SummaryResponse>> make(Caller caller, SessionResponse session, String leafId, boolean forced) {
        String sessionId = session.sessionId();
        return pool.withConnection(db -> messages.links(db, sessionId).chain(links -> {
            String leaf = leafId != null ? leafId : links.isEmpty() ? null : links.get(links.size() - 1).messageId();
            List<Long> branch = leaf == null ? List.of() : Branches.branch(links, leaf);
            if (leafId != null && branch.isEmpty()) {
                return Uni.createFrom().failure(ProblemException.invalidField("leaf", "is not a message of this session"));
            }
            return summaries.list(db, sessionId).chain(all -> {
                Optional<SummaryResponse> previous = onBranch(all, links, branch);
                List<Long> after = after(links, branch, previous);
                int take = after.size() - settings.summary().keepRecent();
                if (take <= 0) {
                    return forced ? Uni.createFrom().failure(ProblemException.conflict("Nothing new to summarise: the "
                            + settings.summary().keepRecent() + " newest messages are kept as they are."))
                            : Uni.createFrom().item(Optional.<SummaryResponse>empty());
                }
                return messages.bySeq(db, after.subList(0, take))
                        .chain(covered -> llm.complete(caller, session.llmConfigId(), prompt(previous, covered),
                                        settings.summary().timeout())
                                .map(completion -> new SummaryResponse(Ids.newId(), sessionId, completion.content(),
                                        previous.map(SummaryResponse::firstMessageId).orElse(covered.get(0).messageId()),
                                        covered.get(covered.size() - 1).messageId(),
                                        covered.get(covered.size() - 1).accToken(),
                                        previous.map(SummaryResponse::coveredMessages).orElse(0) + covered.size(),
                                        completion.completionTokens(), session.llmConfigId(), Times.now())))
                        .map(Optional::of);
            });
        })).call(made -> made.isEmpty() ? Uni.createFrom().voidItem()
                // The session may have gone while the model was writing: then there is nothing to keep.
                : pool.withTransaction(db -> sessions.find(db, caller.ownerId(), sessionId, true).chain(still -> still.isEmpty()
                        ? Uni.createFrom().failure(ProblemException.notFound("Session"))
                        : summaries.insert(db, caller.ownerId(), made.get())))
                        .call(() -> events.publish(caller.ownerId(), SessionEvents.SUMMARY_CREATED, sessionId, made.get())));
    }

    /** The context of a branch: its latest summary and the messages after it, at most {@code limit} of the newest. */
    public Uni<ContextResponse> context(String ownerId, String sessionId, String leafId) {
        return pool.withConnection(db -> owned(db, ownerId, sessionId).chain(() -> messages.links(db, sessionId))
                .chain(links -> {
                    String leaf = leafId != null ? leafId : links.isEmpty() ? null : links.get(links.size() - 1).messageId();
                    List<Long> branch = leaf == null ? List.of() : Branches.branch(links, leaf);
                    if (leafId != null && branch.isEmpty()) {
                        return Uni.createFrom().failure(ProblemException.invalidField("leaf", "is not a message of this session"));
                    }
                    return summaries.list(db, sessionId).chain(all -> {
                        Optional<SummaryResponse> summary = onBranch(all, links, branch);
                        return messages.bySeq(db, after(links, branch, summary))
                                .map(rest -> new ContextResponse(summary.orElse(null), rest));
                    });
                }));
    }

    /** The newest summary whose last message is on the branch. */
    private static Optional<SummaryResponse> onBranch(List<SummaryResponse> newestFirst, List<MessageStore.Link> links,
            List<Long> branch) {
        Set<String> onBranch = new HashSet<>();
        Set<Long> seqs = new HashSet<>(branch);
        links.stream().filter(l -> seqs.contains(l.seq())).forEach(l -> onBranch.add(l.messageId()));
        return newestFirst.stream().filter(s -> onBranch.contains(s.lastMessageId())).findFirst();
    }

    /** The branch's seqs after the summary's last message (all of them without a summary). */
    private static List<Long> after(List<MessageStore.Link> links, List<Long> branch, Optional<SummaryResponse> summary) {
        if (summary.isEmpty()) {
            return branch;
        }
        long last = links.stream().filter(l -> l.messageId().equals(summary.get().lastMessageId()))
                .mapToLong(MessageStore.Link::seq).findFirst().orElse(Long.MIN_VALUE);
        int index = branch.indexOf(last);
        return new ArrayList<>(branch.subList(index + 1, branch.size()));
    }

    /** The instructions as a system message and everything to condense as one user message. */
    static List<ChatMessage> prompt(Optional<SummaryResponse> previous, List<MessageResponse> covered) {
        StringBuilder text = new StringBuilder();
        previous.ifPresent(p -> text.append("Previous summary:\n").append(p.content()).append("\n\n"));
        text.append("Conversation:\n");
        for (MessageResponse m : covered) {
            text.append(m.role()).append(": ").append(m.content()).append('\n');
        }
        return List.of(ChatMessage.of("system", INSTRUCTIONS), ChatMessage.of("user", text.toString().strip()));
    }

    private Uni<SessionResponse> owned(SqlClient db, String ownerId, String sessionId) {
        if (!Ids.isId(sessionId)) {
            return Uni.createFrom().failure(ProblemException.notFound("Session"));
        }
        return sessions.find(db, ownerId, sessionId, false)
                .map(found -> found.orElseThrow(() -> ProblemException.notFound("Session")));
    }

}
