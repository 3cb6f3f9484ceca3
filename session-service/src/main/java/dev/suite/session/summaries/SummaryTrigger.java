package dev.suite.session.summaries;

import dev.suite.session.SessionSettings;
import dev.suite.commons.calls.Caller;
import dev.suite.session.messages.dto.MessageResponse;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Starts a summary after a message lands in a memory session whose context has grown past the
 * budget. Cheap to ask: the running total of the new message minus the one the latest summary
 * ended at is the context's size, so only a session over budget costs a summary run. Runs after
 * the append has answered; a failure is logged and the next append tries again.
 */
@ApplicationScoped
public class SummaryTrigger {

    private static final Logger LOG = Logger.getLogger(SummaryTrigger.class);

    private final Pool pool;
    private final SummaryStore summaries;
    private final SummaryService service;
    private final SessionSettings settings;

    public SummaryTrigger(Pool pool, SummaryStore summaries, SummaryService service, SessionSettings settings) {
        this.pool = pool;
        this.summaries = summaries;
        this.service = service;
        this.settings = settings;
    }

    public void afterAppend(Caller caller, String sessionId, MessageResponse newest) {
        if (newest.accToken() <= settings.summary().tokenBudget()) {
            return;
        }
        summaries.latest(pool, sessionId)
                .map(latest -> newest.accToken() - latest.map(SummaryResponse::lastAccToken).orElse(0L))
                .chain(size -> size > settings.summary().tokenBudget()
                        ? service.summarize(caller, sessionId, newest.messageId(), false).replaceWithVoid()
                        : io.smallrye.mutiny.Uni.createFrom().voidItem())
                .subscribe().with(ok -> { }, e -> LOG.warnf("Summary of session %s not made: %s", sessionId, e.getMessage()));
    }
}
