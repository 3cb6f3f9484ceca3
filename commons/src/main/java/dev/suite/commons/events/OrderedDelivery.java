package dev.suite.commons.events;

import dev.suite.commons.redis.StreamIds;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What one live client (a socket of {@code /ws/sessions} or {@code /ws/tasks}) is sent: replayed
 * events, then live ones, each once and in the order of their {@link ReplayLog} ids. While a
 * replay is read from Redis, live events are held back and sent after it, skipping any the
 * replay already carried. Events without an id (deltas, progress) are not replayed and pass as
 * they come.
 */
public final class OrderedDelivery {

    /** A client that cannot keep up is cut off rather than buffered without end. */
    private static final int MAX_HELD = 10_000;

    private final Consumer<String> send;
    private final Runnable cutOff;
    private final List<String[]> held = new ArrayList<>();
    private String lastSentId;
    private boolean replaying;

    /**
     * @param send   writes one event's JSON to the client
     * @param cutOff closes a client that fell too far behind during a replay
     */
    public OrderedDelivery(Consumer<String> send, Runnable cutOff) {
        this.send = send;
        this.cutOff = cutOff;
    }

    /** A live event; {@code id} is null for events that are not replayed. */
    public synchronized void live(String id, String json) {
        if (replaying) {
            if (held.size() >= MAX_HELD) {
                cutOff.run();
                return;
            }
            held.add(new String[] {id, json});
            return;
        }
        sendEvent(id, json);
    }

    /** Holds live events back until {@link #endReplay}; nothing at or before {@code lastEventId} is sent again. */
    public synchronized void startReplay(String lastEventId) {
        replaying = true;
        if (lastEventId != null && (lastSentId == null || StreamIds.isAfter(lastEventId, lastSentId))) {
            lastSentId = lastEventId;
        }
    }

    /** Sends the replayed events, then what arrived meanwhile, each once and in order. */
    public synchronized void endReplay(List<ReplayLog.Replayed> replayed) {
        for (ReplayLog.Replayed event : replayed) {
            sendEvent(event.id(), event.json());
        }
        for (String[] event : held) {
            sendEvent(event[0], event[1]);
        }
        held.clear();
        replaying = false;
    }

    private void sendEvent(String id, String json) {
        if (id != null) {
            if (lastSentId != null && !StreamIds.isAfter(id, lastSentId)) {
                return;
            }
            lastSentId = id;
        }
        send.accept(json);
    }
}
