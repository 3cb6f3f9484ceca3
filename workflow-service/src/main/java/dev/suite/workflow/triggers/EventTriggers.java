package dev.suite.workflow.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.calls.Background;
import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.events.EventSubscriber;
import dev.suite.commons.redis.RedisNames;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Runs workflows on events of the other services, read from their Redis channels: a task that
 * completed or failed (task-service), a message created in a session (session-service). Every
 * replica hears every event and matches it, in memory, against the enabled event triggers of the
 * event's owner; the event's id is the firing's key, so however many replicas fire it, one execution
 * starts. Events are notifications: those published while no workflow replica listens are not
 * replayed.
 */
@ApplicationScoped
public class EventTriggers {

    private static final Logger LOG = Logger.getLogger(EventTriggers.class);

    /** What an event trigger may name: the service's event type it comes from, and which of those count. */
    record Source(String service, String type, Predicate<JsonNode> counts) {
    }

    static final Map<String, Source> CATALOG = Map.of(
            "task.completed", new Source("task", "task.state", data -> "COMPLETED".equals(data.path("state").asText())),
            "task.failed", new Source("task", "task.state", data -> "FAILED".equals(data.path("state").asText())),
            "session.message.created", new Source("session", "message.created", data -> true));

    private final TriggerStore store;
    private final TriggerFiring firing;
    private final EventSubscriber subscriber;
    private final RedisNames names;
    private final ObjectMapper mapper;
    /** The enabled event triggers, as last read; refreshed each reconcile interval and on every change here. */
    private volatile List<Trigger> triggers = List.of();

    public EventTriggers(TriggerStore store, TriggerFiring firing, EventSubscriber subscriber, RedisNames names,
            ObjectMapper mapper) {
        this.store = store;
        this.firing = firing;
        this.subscriber = subscriber;
        this.names = names;
        this.mapper = mapper;
    }

    void start(@Observes StartupEvent event) {
        for (String service : List.of("task", "session")) {
            subscriber.subscribe(names.channel(service, "events"), this::heard,
                    () -> LOG.infof("Events of %s-service heard again; those published meanwhile fired no trigger", service));
        }
        Background.run(refresh(), LOG, "Reading event triggers");
    }

    /** Reads the enabled event triggers again (a trigger saved here, or on another replica within the interval). */
    @Scheduled(every = "${suite.workflow.reconcile-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> refresh() {
        return store.eventTriggers().invoke(found -> triggers = found).replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Event triggers not read again this round (the last read stays): %s", e.getMessage());
                    return null;
                });
    }

    private void heard(CloudEvent event) {
        if (event.owner() == null || event.id() == null || event.data() == null) {
            return;
        }
        for (Trigger trigger : triggers) {
            Source source = CATALOG.get(trigger.eventType());
            if (source != null && trigger.ownerId().equals(event.owner()) && source.type().equals(event.type())
                    && source.counts().test(event.data()) && matches(trigger.filter(), event.data())) {
                ObjectNode inputs = mapper.createObjectNode();
                inputs.putObject("event").put("id", event.id()).put("type", trigger.eventType())
                        .put("subject", event.subject()).put("time", event.time() == null ? null : event.time().toString())
                        .set("data", event.data());
                // The run continues the trace of what the event reports (its traceparent, when it was traced).
                Background.run(firing.fire(trigger, event.id(), inputs, event.traceparent()).replaceWithVoid()
                                .onFailure().recoverWithNull(), LOG, "Firing trigger " + trigger.triggerId());
            }
        }
    }

    /** Whether every field of the filter equals the event data's. */
    static boolean matches(JsonNode filter, JsonNode data) {
        if (filter == null || filter.isNull()) {
            return true;
        }
        var fields = filter.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (!field.getValue().equals(data.get(field.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
