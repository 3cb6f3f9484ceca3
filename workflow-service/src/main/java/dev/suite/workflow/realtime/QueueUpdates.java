package dev.suite.workflow.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.queue.FairQueue;
import dev.suite.workflow.WorkflowSettings;
import dev.suite.workflow.scheduling.ExecutionQueue;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code SYSTEM_QUEUE_UPDATE} for this replica's sockets: the suite-wide queue depth and running
 * count, read from Redis every second while anyone is connected and sent when they change (and to
 * each socket as it opens). Every replica reads the same Redis, so no replica needs to tell another.
 */
@ApplicationScoped
public class QueueUpdates {

    private final FairQueue queue;
    private final Followers followers;
    private final WorkflowSettings settings;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private volatile String last;

    public QueueUpdates(FairQueue queue, Followers followers, WorkflowSettings settings, ObjectMapper mapper, Vertx vertx) {
        this.queue = queue;
        this.followers = followers;
        this.settings = settings;
        this.mapper = mapper;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent startup) {
        vertx.setPeriodic(1_000, t -> {
            if (!followers.isEmpty()) {
                refresh();
            }
        });
    }

    /** The latest update, for a socket that just opened (null before the first reading). */
    String latest() {
        return last;
    }

    private void refresh() {
        Uni.combine().all().unis(queue.depth(ExecutionQueue.LANE), queue.running()).asTuple().subscribe().with(counts -> {
            ObjectNode frame = mapper.createObjectNode().put("type", "SYSTEM_QUEUE_UPDATE");
            frame.putObject("payload").put("queued", counts.getItem1()).put("running", counts.getItem2())
                    .put("max_running", settings.globalMaxRunning());
            String text = frame.toString();
            if (!text.equals(last)) {
                last = text;
                followers.broadcast(text);
            }
        }, e -> {
            // Redis away: the next reading tells the clients.
        });
    }
}
