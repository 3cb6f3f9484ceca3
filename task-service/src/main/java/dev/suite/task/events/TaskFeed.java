package dev.suite.task.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.events.EventSubscriber;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The live feeds of this replica, by task and by user, fed from {@code suite:task:events} whichever replica runs the task. */
@ApplicationScoped
public class TaskFeed {

    private final Map<String, Set<Consumer<JsonNode>>> byTask = new ConcurrentHashMap<>();
    private final Map<String, Set<Consumer<CloudEvent>>> byOwner = new ConcurrentHashMap<>();
    private final EventSubscriber subscriber;
    private final TaskEvents events;

    public TaskFeed(EventSubscriber subscriber, TaskEvents events) {
        this.subscriber = subscriber;
        this.events = events;
    }

    void start(@Observes StartupEvent startup) {
        subscriber.subscribe(events.channel(), this::deliver, () -> { });
    }

    public Runnable follow(String taskId, Consumer<JsonNode> listener) {
        byTask.computeIfAbsent(taskId, k -> ConcurrentHashMap.newKeySet()).add(listener);
        return () -> byTask.computeIfPresent(taskId, (k, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    /** Every event of the owner's tasks, whole (with its id): what {@code /ws/tasks} sends on. */
    public Runnable followOwner(String ownerId, Consumer<CloudEvent> listener) {
        byOwner.computeIfAbsent(ownerId, k -> ConcurrentHashMap.newKeySet()).add(listener);
        return () -> byOwner.computeIfPresent(ownerId, (k, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    private void deliver(CloudEvent event) {
        Set<Consumer<JsonNode>> listeners = event.subject() == null ? null : byTask.get(event.subject());
        if (listeners != null) {
            listeners.forEach(l -> l.accept(event.data()));
        }
        Set<Consumer<CloudEvent>> owners = event.owner() == null ? null : byOwner.get(event.owner());
        if (owners != null) {
            owners.forEach(l -> l.accept(event));
        }
    }
}
