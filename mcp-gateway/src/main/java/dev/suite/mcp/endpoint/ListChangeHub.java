package dev.suite.mcp.endpoint;

import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.events.EventSubscriber;
import dev.suite.mcp.registry.McpServerEvents;
import dev.suite.mcp.tools.ListChanges;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Tells this replica's open MCP notification streams that a list changed: a server of the user
 * was added, changed or removed (the aggregate's set changed), or a server reported a new tool
 * list. One Redis subscription per replica fans out to every local stream.
 */
@ApplicationScoped
public class ListChangeHub {

    /** What changed, as the notification method names it. */
    enum Change {
        TOOLS("notifications/tools/list_changed"),
        PROMPTS("notifications/prompts/list_changed"),
        RESOURCES("notifications/resources/list_changed");

        final String method;

        Change(String method) {
            this.method = method;
        }
    }

    /** A stream's interest: the user's, and one server's when the stream is for one server (else null). */
    record Listener(String ownerId, String serverId, Consumer<Change> onChange) {
    }

    private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
    private final EventSubscriber subscriber;
    private final McpServerEvents events;

    public ListChangeHub(EventSubscriber subscriber, McpServerEvents events) {
        this.subscriber = subscriber;
        this.events = events;
    }

    void listen(@Observes StartupEvent event) {
        // After a lost subscription, changes may have been missed: tell everyone to list again.
        subscriber.subscribe(events.channel(), this::onEvent, () -> listeners.forEach(l -> {
            for (Change change : Change.values()) {
                l.onChange().accept(change);
            }
        }));
    }

    Listener add(String ownerId, String serverId, Consumer<Change> onChange) {
        Listener listener = new Listener(ownerId, serverId, onChange);
        listeners.add(listener);
        return listener;
    }

    void remove(Listener listener) {
        listeners.remove(listener);
    }

    private void onEvent(CloudEvent event) {
        String ownerId = event.data() == null ? null : event.data().path("owner_id").asText(null);
        if (ownerId == null) {
            return;
        }
        boolean toolsOnly = ListChanges.TOOLS_CHANGED.equals(event.type());
        boolean listsChanged = toolsOnly || McpServerEvents.CREATED.equals(event.type())
                || McpServerEvents.UPDATED.equals(event.type()) || McpServerEvents.DELETED.equals(event.type());
        if (!listsChanged) {
            // Health changes and other server news do not change what the endpoint offers.
            return;
        }
        for (Listener listener : listeners) {
            if (!listener.ownerId().equals(ownerId)) {
                continue;
            }
            if (listener.serverId() != null && !listener.serverId().equals(event.subject())) {
                continue;
            }
            if (listener.serverId() != null && McpServerEvents.CREATED.equals(event.type())) {
                continue;
            }
            listener.onChange().accept(Change.TOOLS);
            if (!toolsOnly) {
                listener.onChange().accept(Change.PROMPTS);
                listener.onChange().accept(Change.RESOURCES);
            }
        }
    }
}
