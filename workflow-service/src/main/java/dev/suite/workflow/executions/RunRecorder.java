package dev.suite.workflow.executions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.calls.Background;
import dev.suite.workflow.approvals.ApprovalTimeouts;
import dev.suite.workflow.engine.NodeRecord;
import dev.suite.workflow.engine.NodeStatus;
import dev.suite.workflow.engine.RunListener;
import dev.suite.workflow.realtime.EventType;
import dev.suite.workflow.realtime.ExecutionEvents;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;

/**
 * Records a running execution's nodes: each start and end goes to the journal (MySQL, in batches)
 * and out as an event ({@code NODE_EXECUTING}, {@code NODE_COMPLETE}, {@code NODE_ERROR},
 * {@code NODE_PROGRESS}, {@code NODE_YIELD}). Outputs over the inline limit are stored apart and
 * events point to them instead of carrying them.
 */
public final class RunRecorder implements RunListener {

    private static final Logger LOG = Logger.getLogger(RunRecorder.class);

    private final String executionId;
    private final Journal journal;
    private final ExecutionEvents events;
    private final ObjectMapper mapper;
    private final int inlineOutputBytes;
    private final ApprovalTimeouts approvals;

    public RunRecorder(String executionId, Journal journal, ExecutionEvents events, ObjectMapper mapper,
            int inlineOutputBytes, ApprovalTimeouts approvals) {
        this.executionId = executionId;
        this.approvals = approvals;
        this.journal = journal;
        this.events = events;
        this.mapper = mapper;
        this.inlineOutputBytes = inlineOutputBytes;
    }

    @Override
    public void nodeStarted(String nodeId, int attempt, Instant at) {
        journal.node(new Journal.NodeRow(executionId, nodeId, NodeStatus.RUNNING, attempt, null, null, null, at, null, null));
        send(events.publish(executionId, EventType.NODE_EXECUTING, events.payload(executionId).put("node_id", nodeId)));
    }

    @Override
    public void nodeEnded(NodeRecord record) {
        String outputs = null;
        String stored = null;
        if (record.outputs() != null) {
            String json = mapper.valueToTree(record.outputs()).toString();
            if (json.length() > inlineOutputBytes) {
                stored = json;
            } else {
                outputs = json;
            }
        }
        journal.node(new Journal.NodeRow(executionId, record.nodeId(), record.status(), record.attempts(), outputs, stored,
                record.error(), record.startedAt(), record.finishedAt(), null));
        ObjectNode payload = events.payload(executionId).put("node_id", record.nodeId())
                .put("status", record.status().json()).put("attempts", record.attempts())
                .put("duration_ms", Duration.between(record.startedAt(), record.finishedAt()).toMillis());
        switch (record.status()) {
            case FAILED -> send(events.publish(executionId, EventType.NODE_ERROR, payload.put("error", record.error())));
            case INTERRUPTED -> {
                // EXECUTION_INTERRUPTED says it for every node that was running.
            }
            default -> {
                if (record.reused()) {
                    payload.put("cached", true);
                }
                if (stored != null) {
                    payload.put("outputs_ref", "/api/executions/" + executionId + "/nodes/" + record.nodeId() + "/outputs");
                } else if (record.outputs() != null) {
                    payload.set("outputs", mapper.valueToTree(record.outputs()));
                }
                send(events.publish(executionId, EventType.NODE_COMPLETE, payload));
            }
        }
    }

    @Override
    public Uni<Void> nodeYield(String nodeId, String handle, JsonNode chunk) {
        ObjectNode payload = events.payload(executionId).put("node_id", nodeId).put("handle", handle);
        payload.set("chunk", chunk);
        return events.offer(executionId, EventType.NODE_YIELD, payload);
    }

    @Override
    public void nodeProgress(String nodeId, Double fraction, String message) {
        ObjectNode payload = events.payload(executionId).put("node_id", nodeId).put("message", message);
        if (fraction != null) {
            payload.put("progress", Math.max(0, Math.min(1, fraction)));
        }
        send(events.publish(executionId, EventType.NODE_PROGRESS, payload));
    }

    /** A node waits for a person: its row says until when (its request in outputs), and APPROVAL_REQUESTED tells the clients. */
    @Override
    public void nodeWaiting(String nodeId, JsonNode request, Instant at) {
        ObjectNode shown = request instanceof ObjectNode object ? object.deepCopy() : mapper.createObjectNode();
        long timeout = shown.path("timeout_seconds").asLong(0);
        Instant until = timeout > 0 ? at.plusSeconds(timeout) : null;
        if (until != null) {
            shown.put("expires_at", until.toString());
        }
        journal.node(new Journal.NodeRow(executionId, nodeId, NodeStatus.WAITING, 1, shown.toString(), null, null, at, null,
                until));
        approvals.waiting(executionId, nodeId, until);
        ObjectNode payload = events.payload(executionId).put("node_id", nodeId).put("status", NodeStatus.WAITING.json());
        payload.setAll(shown);
        payload.put("approve", "/api/executions/" + executionId + "/nodes/" + nodeId + "/approve")
                .put("reject", "/api/executions/" + executionId + "/nodes/" + nodeId + "/reject");
        send(events.publish(executionId, EventType.APPROVAL_REQUESTED, payload));
    }

    private void send(Uni<Void> publish) {
        Background.run(publish, LOG, "An event of execution " + executionId);
    }
}
