package dev.suite.session.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.events.EventSubscriber;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code /ws/sessions} connections of this replica, by the session or roundtable they follow,
 * fed from {@code suite:session:events}: whichever replica made a change, every replica hands the
 * event to its own followers of that subject.
 */
@ApplicationScoped
public class Listeners {

    private static final Logger LOG = Logger.getLogger(Listeners.class);

    private final Map<String, Set<Listener>> bySubject = new ConcurrentHashMap<>();
    private final Map<String, Set<LocalFollower>> localBySubject = new ConcurrentHashMap<>();
    private final EventSubscriber subscriber;
    private final SessionEvents events;
    private final ObjectMapper mapper;

    public Listeners(EventSubscriber subscriber, SessionEvents events, ObjectMapper mapper) {
        this.subscriber = subscriber;
        this.events = events;
        this.mapper = mapper;
    }

    void start(@Observes StartupEvent startup) {
        subscriber.subscribe(events.channel(), this::deliver,
                () -> LOG.info("Session events resumed; clients that missed some recover them by reconnecting with their last event id"));
    }

    void follow(Listener listener, String subject) {
        if (listener.subjects.add(subject)) {
            bySubject.computeIfAbsent(subject, k -> ConcurrentHashMap.newKeySet()).add(listener);
        }
    }

    void unfollow(Listener listener, String subject) {
        listener.subjects.remove(subject);
        bySubject.computeIfPresent(subject, (k, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    /** Something on this replica that follows a subject's events, such as a roundtable post that streams its turns. */
    @FunctionalInterface
    public interface LocalFollower {
        /** {@code id} is null for events that are not replayed (deltas). */
        void event(String type, String id, String json);
    }

    /** Follows a subject's events on this replica, from whichever replica publishes them; run the answer to stop. */
    public Runnable followLocally(String subject, LocalFollower follower) {
        localBySubject.computeIfAbsent(subject, k -> ConcurrentHashMap.newKeySet()).add(follower);
        return () -> localBySubject.computeIfPresent(subject, (k, set) -> {
            set.remove(follower);
            return set.isEmpty() ? null : set;
        });
    }

    void remove(Listener listener) {
        for (String subject : Set.copyOf(listener.subjects)) {
            unfollow(listener, subject);
        }
    }

    private void deliver(CloudEvent event) {
        Set<Listener> followers = event.subject() == null ? null : bySubject.get(event.subject());
        Set<LocalFollower> local = event.subject() == null ? null : localBySubject.get(event.subject());
        if ((followers == null || followers.isEmpty()) && (local == null || local.isEmpty())) {
            return;
        }
        String json;
        try {
            json = mapper.writeValueAsString(event);
        } catch (Exception e) {
            return;
        }
        if (local != null) {
            local.forEach(follower -> follower.event(event.type(), event.id(), json));
        }
        if (followers == null) {
            return;
        }
        for (Listener listener : followers) {
            listener.live(event.id(), json);
            if (SessionEvents.SESSION_DELETED.equals(event.type())) {
                unfollow(listener, event.subject());
            }
        }
    }
}
