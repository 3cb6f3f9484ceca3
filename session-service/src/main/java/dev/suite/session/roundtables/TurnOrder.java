package dev.suite.session.roundtables;

import dev.suite.session.roundtables.dto.Participant;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Who speaks next: in turn, or as the moderator's answer names them. */
final class TurnOrder {

    static final String ROUND_ROBIN = "round_robin";
    static final String MODERATOR = "moderator";

    private TurnOrder() {
    }

    /** The speakers of a round, in order: everyone in turn; everyone but the moderator when it picks. */
    static List<Participant> speakers(List<Participant> participants, String order) {
        return MODERATOR.equals(order) ? participants.stream().filter(p -> !p.moderator()).toList() : participants;
    }

    /**
     * The speaker the moderator named: the earliest whole-word name in the last line of its answer
     * (where a model that thinks aloud puts its choice), else in the whole answer.
     */
    static Optional<Participant> named(String answer, List<Participant> speakers) {
        String[] lines = answer.strip().split("\\R");
        return earliest(lines[lines.length - 1], speakers).or(() -> earliest(answer, speakers));
    }

    private static Optional<Participant> earliest(String text, List<Participant> speakers) {
        Participant best = null;
        int at = Integer.MAX_VALUE;
        for (Participant p : speakers) {
            Matcher m = Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(p.name()) + "(?![\\p{L}\\p{N}])",
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher(text);
            if (m.find() && m.start() < at) {
                at = m.start();
                best = p;
            }
        }
        return Optional.ofNullable(best);
    }

    /** True when the moderator's answer ends the discussion. */
    static boolean done(String answer) {
        return answer.strip().toUpperCase(Locale.ROOT).startsWith("DONE");
    }
}
