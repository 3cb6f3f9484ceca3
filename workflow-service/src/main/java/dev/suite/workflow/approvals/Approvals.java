package dev.suite.workflow.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.db.Times;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.queue.FairQueue;
import dev.suite.workflow.approvals.dto.DecisionRequest;
import dev.suite.workflow.engine.NodeStatus;
import dev.suite.workflow.executions.ExecutionStatus;
import dev.suite.workflow.executions.ExecutionStore;
import dev.suite.workflow.realtime.EventType;
import dev.suite.workflow.realtime.ExecutionEvents;
import dev.suite.workflow.scheduling.ExecutionQueue;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * Decisions on nodes that wait for a person. A decision completes the node — its value, or the
 * data the person sent, on {@code approved} or {@code rejected}, and {@code decision} saying who
 * decided what — and, once no node of the execution waits any more, queues the execution again:
 * whichever replica takes it continues from its finished nodes. A decision that comes while the
 * execution still runs other branches is kept; the execution continues when it pauses.
 */
@ApplicationScoped
public class Approvals {

    private static final Logger LOG = Logger.getLogger(Approvals.class);
    /** Who decides when the deadline passes. */
    public static final String TIMEOUT = "timeout";

    private final ApprovalStore store;
    private final ExecutionStore executions;
    private final FairQueue queue;
    private final ExecutionEvents events;
    private final ObjectMapper mapper;

    public Approvals(ApprovalStore store, ExecutionStore executions, FairQueue queue, ExecutionEvents events, ObjectMapper mapper) {
        this.store = store;
        this.executions = executions;
        this.queue = queue;
        this.events = events;
        this.mapper = mapper;
    }

    /** A person's decision, for the execution's owner; 404 for another's execution, 409 when the node does not wait. */
    public Uni<Void> decide(String ownerId, String executionId, String nodeId, boolean approve, DecisionRequest request) {
        return executions.find(ownerId, executionId)
                .chain(found -> found.isEmpty() ? Uni.createFrom().failure(ProblemException.notFound("Execution"))
                        : record(executionId, nodeId, approve, request == null ? null : request.data,
                                request == null ? null : request.comment, ownerId))
                .chain(decided -> decided ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(ProblemException.conflict("Node " + nodeId
                                + " of this execution is not waiting for a decision.")));
    }

    /** Completes the waiting node with the decision; false when it does not wait (or was decided meanwhile). */
    Uni<Boolean> record(String executionId, String nodeId, boolean approve, JsonNode data, String comment, String by) {
        return store.request(executionId, nodeId).chain(request -> {
            if (request.isEmpty()) {
                return Uni.createFrom().item(false);
            }
            Instant now = Times.now();
            JsonNode value = data != null && !data.isNull() ? data : request.get().path("value");
            ObjectNode outputs = mapper.createObjectNode();
            outputs.set(approve ? "approved" : "rejected", value.isMissingNode() ? NullNode.getInstance() : value);
            outputs.putObject("decision").put("approved", approve).put("by", by).put("comment", comment)
                    .put("at", now.toString());
            return store.decide(executionId, nodeId, outputs, now).call(decided -> !decided ? Uni.createFrom().voidItem()
                    : events.publish(executionId, EventType.NODE_COMPLETE, withOutputs(events.payload(executionId)
                                    .put("node_id", nodeId).put("status", NodeStatus.COMPLETED.json()), outputs))
                            .chain(() -> continueIfDecided(executionId)));
        });
    }

    private static ObjectNode withOutputs(ObjectNode payload, ObjectNode outputs) {
        payload.set("outputs", outputs);
        return payload;
    }

    /** Queues a paused execution again once none of its nodes waits; does nothing otherwise. Safe to call from anywhere, twice. */
    public Uni<Void> continueIfDecided(String executionId) {
        return store.continueIfDecided(executionId).chain(continued -> continued.isEmpty() ? Uni.createFrom().voidItem()
                : events.publish(executionId, EventType.EXECUTION_STATUS_UPDATE,
                                events.payload(executionId).put("status", ExecutionStatus.QUEUED).put("continued", true))
                        .chain(() -> queue.enqueue(ExecutionQueue.LANE, continued.get().ownerId(), List.of(new FairQueue.Entry(
                                        executionId, continued.get().priority(), continued.get().createdAt())))
                                // Stored as queued: the reconciler queues it once Redis answers again.
                                .onFailure().recoverWithItem(e -> {
                                    LOG.warnf("Execution %s continues but could not be queued yet: %s", executionId, e.getMessage());
                                    return null;
                                }))
                        .replaceWithVoid());
    }

    /** The deadline of a waiting node passed: its policy decides (reject, approve) or fails the execution. */
    Uni<Boolean> timeout(String executionId, String nodeId) {
        return store.request(executionId, nodeId).chain(request -> {
            if (request.isEmpty()) {
                return Uni.createFrom().item(true); // decided already: nothing to do
            }
            String policy = request.get().path("on_timeout").asText("reject");
            if (!"fail".equals(policy)) {
                return record(executionId, nodeId, "approve".equals(policy), null, "no decision within the timeout", TIMEOUT);
            }
            String error = "node " + nodeId + " waited for a decision past its timeout";
            return store.fail(executionId, nodeId, error, Times.now()).call(failed -> !failed ? Uni.createFrom().voidItem()
                    : events.publish(executionId, EventType.EXECUTION_ERROR, events.payload(executionId)
                            .put("status", ExecutionStatus.FAILED).put("error", error)));
        });
    }
}
