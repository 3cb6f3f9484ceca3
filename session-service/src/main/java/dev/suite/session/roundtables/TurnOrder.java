package dev.suite.session.roundtables;

import dev.suite.session.roundtables.dto.Participant;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

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

    /** The speaker the moderator named (the earliest name in its answer), if any. */
    static Optional<Participant> named(String answer, List<Participant> speakers) {
        String text = answer.toLowerCase(Locale.ROOT);
        Participant best = null;
        int at = Integer.MAX_VALUE;
        for (Participant p : speakers) {
            int index = text.indexOf(p.name().toLowerCase(Locale.ROOT));
            if (index >= 0 && index < at) {
                at = index;
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
