package dev.suite.session.roundtables;

import dev.suite.commons.calls.Background;
import dev.suite.commons.ids.Ids;
import dev.suite.session.SessionSettings;
import dev.suite.commons.calls.Caller;
import dev.suite.commons.db.Times;
import dev.suite.session.llm.ChatMessage;
import dev.suite.session.llm.Completion;
import dev.suite.session.llm.LlmClient;
import dev.suite.session.realtime.SessionEvents;
import dev.suite.session.roundtables.dto.Participant;
import dev.suite.session.roundtables.dto.RoundtableMessage;
import dev.suite.session.roundtables.dto.RoundtableResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One discussion of a roundtable, started by a user message: speakers take turns (in order, or as
 * the moderator picks), each turn a streamed chat completion over the shared transcript, until a
 * stop condition holds. Each turn's deltas are published as they come; the finished turn is
 * stored and published as a message tagged with its speaker.
 */
final class Discussion {

    private static final Logger LOG = Logger.getLogger(Discussion.class);

    /** Turns of the transcript a speaker is shown; older ones are left out of its prompt. */
    static final int TRANSCRIPT_TURNS = 100;

    private final Caller caller;
    private final RoundtableResponse table;
    private final List<Participant> speakers;
    private final List<RoundtableMessage> transcript;
    private final LlmClient llm;
    private final RoundtableStore store;
    private final SessionEvents events;
    private final SessionSettings settings;
    private final Pool pool;
    private volatile String stopReason;
    private int turns;
    private long tokens;

    Discussion(Caller caller, RoundtableResponse table, List<RoundtableMessage> transcript, LlmClient llm,
            RoundtableStore store, SessionEvents events, SessionSettings settings, Pool pool) {
        this.caller = caller;
        this.table = table;
        this.speakers = TurnOrder.speakers(table.participants(), table.turnOrder());
        this.transcript = new ArrayList<>(transcript);
        this.llm = llm;
        this.store = store;
        this.events = events;
        this.settings = settings;
        this.pool = pool;
    }

    /** Asks the discussion to end: the current turn stops streaming and nothing follows it. */
    void stop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    /** Runs turns until a stop condition holds; answers the reason. */
    Uni<String> run() {
        String reason = stopCondition();
        if (reason != null) {
            return Uni.createFrom().item(reason);
        }
        return next().chain(speaker -> {
            if (speaker == null) {
                return Uni.createFrom().item("moderator");
            }
            return speak(speaker).chain(message -> keywordIn(message.content()) ? Uni.createFrom().item("keyword") : run());
        });
    }

    private String stopCondition() {
        if (stopReason != null) {
            return stopReason;
        }
        if (turns >= table.maxMessages()) {
            return "max_messages";
        }
        if (table.tokenBudget() != null && tokens >= table.tokenBudget()) {
            return "token_budget";
        }
        if (turns / speakers.size() >= table.maxRounds()) {
            return "max_rounds";
        }
        return null;
    }

    private int round() {
        return turns / speakers.size() + 1;
    }

    /** The next speaker; null when the moderator ends the discussion. */
    private Uni<Participant> next() {
        Participant inTurn = speakers.get(turns % speakers.size());
        if (!TurnOrder.MODERATOR.equals(table.turnOrder())) {
            return Uni.createFrom().item(inTurn);
        }
        Participant moderator = table.participants().stream().filter(Participant::moderator).findFirst().orElseThrow();
        // The speaker in turn is offered first, so a moderator that just repeats the list keeps the order.
        List<Participant> offered = new ArrayList<>();
        offered.add(inTurn);
        speakers.stream().filter(p -> p != inTurn).forEach(offered::add);
        String names = offered.stream().map(Participant::name).collect(Collectors.joining(", "));
        List<ChatMessage> prompt = new ArrayList<>();
        prompt.add(ChatMessage.of("system", roleOf(moderator) + "You moderate a roundtable discussion" + about()
                + ". Reply with only the name of who should speak next, or DONE when the discussion has reached its end."));
        prompt.add(ChatMessage.of("user", "Transcript:\n" + transcriptText() + "\n\nWho speaks next? Choose one of: "
                + names + ", or DONE."));
        return llm.complete(caller, moderator.llmConfigId(), prompt, settings.roundtable().turnTimeout())
                .map(answer -> TurnOrder.done(answer.content()) ? null
                        : TurnOrder.named(answer.content(), speakers).orElse(inTurn));
    }

    private Uni<RoundtableMessage> speak(Participant speaker) {
        String turnId = Ids.newId();
        int round = round();
        Map<String, Object> started = Map.of("roundtable_id", table.roundtableId(), "turn_id", turnId,
                "participant_id", speaker.participantId(), "speaker", speaker.name(), "round", round);
        return events.publish(caller.ownerId(), SessionEvents.ROUNDTABLE_TURN_STARTED, table.roundtableId(), started)
                .chain(() -> llm.stream(caller, speaker.llmConfigId(), promptFor(speaker), settings.roundtable().turnTimeout(),
                        // One per token, and transient: a failure is logged at debug, not once per token as a warning.
                        delta -> Background.tidy(events.publishTransient(SessionEvents.ROUNDTABLE_TURN_DELTA,
                                table.roundtableId(), Map.of("roundtable_id", table.roundtableId(), "turn_id", turnId,
                                        "participant_id", speaker.participantId(), "speaker", speaker.name(),
                                        "delta", delta)), LOG, "Publishing a delta of turn " + turnId),
                        () -> stopReason != null))
                .chain(completion -> keep(speaker, turnId, round, completion));
    }

    private Uni<RoundtableMessage> keep(Participant speaker, String turnId, int round, Completion completion) {
        RoundtableMessage message = new RoundtableMessage(turnId, table.roundtableId(), speaker.participantId(),
                speaker.name(), "assistant", completion.content(), completion.completionTokens(), round, Times.now());
        turns++;
        tokens += completion.completionTokens() == null ? 0 : completion.completionTokens();
        transcript.add(message);
        return store.insertMessage(pool, message)
                .call(() -> events.publish(caller.ownerId(), SessionEvents.ROUNDTABLE_MESSAGE_CREATED,
                        table.roundtableId(), message))
                .replaceWith(message);
    }

    /** The speaker's own turns as the assistant's, everyone else's as user turns named by their speaker. */
    private List<ChatMessage> promptFor(Participant speaker) {
        String others = table.participants().stream().filter(p -> p != speaker).map(Participant::name)
                .collect(Collectors.joining(", "));
        List<ChatMessage> prompt = new ArrayList<>();
        prompt.add(ChatMessage.of("system", roleOf(speaker) + "You are " + speaker.name()
                + ", taking part in a roundtable discussion" + about()
                + (others.isEmpty() ? "" : " with " + others) + ". Speak as " + speaker.name() + " only, briefly."));
        for (RoundtableMessage m : recent()) {
            if (speaker.participantId().equals(m.participantId())) {
                prompt.add(ChatMessage.of("assistant", m.content()));
            } else if (m.participantId() == null) {
                prompt.add(ChatMessage.of("user", m.content()));
            } else {
                prompt.add(ChatMessage.of("user", m.speaker() + ": " + m.content()));
            }
        }
        return prompt;
    }

    private List<RoundtableMessage> recent() {
        return transcript.subList(Math.max(0, transcript.size() - TRANSCRIPT_TURNS), transcript.size());
    }

    private String transcriptText() {
        return recent().stream().map(m -> m.speaker() + ": " + m.content()).collect(Collectors.joining("\n"));
    }

    private String about() {
        return table.topic() == null || table.topic().isBlank() ? "" : " about: " + table.topic();
    }

    private static String roleOf(Participant p) {
        return p.rolePrompt() == null || p.rolePrompt().isBlank() ? "" : p.rolePrompt().strip() + "\n\n";
    }

    private boolean keywordIn(String content) {
        String keyword = table.stopKeyword();
        return keyword != null && !keyword.isBlank()
                && content.toLowerCase(Locale.ROOT).contains(keyword.toLowerCase(Locale.ROOT));
    }
}
