package dev.suite.session.roundtables;

import dev.suite.commons.calls.Caller;
import dev.suite.session.realtime.Listeners;
import dev.suite.session.realtime.SessionEvents;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.SerializedProcessor;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * A roundtable post that streams the turns it starts ({@code Accept: text/event-stream}): the
 * roundtable's events — the user's message, each turn's start, deltas and message, the stop — as
 * they are published, until {@code roundtable.stopped}. The same events {@code /ws/sessions}
 * carries, for clients that would rather not open a socket for one exchange.
 */
@ApplicationScoped
public class TurnStream {

    /** Below proxies' idle timeouts: a participant may think for a while before its first token. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final Duration POST_TIMEOUT = Duration.ofSeconds(30);

    private final RoundtableService service;
    private final Listeners listeners;
    private final Vertx vertx;

    public TurnStream(RoundtableService service, Listeners listeners, Vertx vertx) {
        this.service = service;
        this.listeners = listeners;
        this.vertx = vertx;
    }

    /** One event of the stream; a keep-alive has no type. */
    public record Event(String type, String id, String json) {

        static final Event KEEP_ALIVE = new Event(null, null, null);
    }

    /**
     * Posts the message and answers the discussion's events. Follows the roundtable before posting,
     * so not even the user's own message is missed; a refused post (404, 409, 400) fails here,
     * before anything streams, and is answered as a problem. Blocks for the post: call it off the
     * event loop.
     */
    public Multi<Event> post(Caller caller, String roundtableId, String content) {
        // Events arrive from the Redis subscriber and the keep-alive timer: a serialized processor orders them.
        UnicastProcessor<Event> events = UnicastProcessor.create();
        SerializedProcessor<Event, Event> out = events.serialized();
        Runnable unfollow = listeners.followLocally(roundtableId, (type, id, json) -> {
            out.onNext(new Event(type, id, json));
            if (SessionEvents.ROUNDTABLE_STOPPED.equals(type)) {
                out.onComplete();
            }
        });
        try {
            service.post(caller, roundtableId, content).await().atMost(POST_TIMEOUT);
        } catch (RuntimeException e) {
            unfollow.run();
            throw e;
        }
        long keepAlive = vertx.setPeriodic(KEEP_ALIVE.toMillis(), t -> out.onNext(Event.KEEP_ALIVE));
        return events.onTermination().invoke(() -> {
            unfollow.run();
            vertx.cancelTimer(keepAlive);
        });
    }
}
