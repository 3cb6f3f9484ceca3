package dev.suite.session.sessions;

import dev.suite.commons.ids.Ids;
import dev.suite.commons.problem.ProblemException;
import dev.suite.session.sessions.dto.SessionResponse;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The session list's keyset cursor. Sessions are listed newest-updated first, and an update moves a
 * session, so the cursor holds both sort keys: {@code <updated_at in epoch microseconds>_<session_id>}.
 */
public record SessionCursor(Instant updatedAt, String sessionId) {

    public static SessionCursor parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        int split = text.indexOf('_');
        try {
            if (split > 0 && Ids.isId(text.substring(split + 1))) {
                long micros = Long.parseLong(text.substring(0, split));
                return new SessionCursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), text.substring(split + 1));
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.invalidField("before", "must be a next_before of the session list");
    }

    public static String of(SessionResponse session) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, session.updatedAt()) + "_" + session.sessionId();
    }
}
