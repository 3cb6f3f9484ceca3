package dev.suite.session.transfer;

import dev.suite.session.messages.dto.MessageResponse;
import dev.suite.session.sessions.dto.SessionResponse;
import dev.suite.session.summaries.SummaryResponse;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * A session as one JSON document: what {@code GET …/export} gives and {@code POST /api/sessions/import}
 * takes. Messages are in conversation order, parents before children.
 */
@RegisterForReflection
public record SessionExport(String format, Instant exportedAt, SessionResponse session,
        List<MessageResponse> messages, List<SummaryResponse> summaries) {

    public static final String FORMAT = "suite.session.v1";
}
