package dev.suite.workflow.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.calls.Caller;
import dev.suite.commons.identity.SocketTickets;
import dev.suite.commons.problem.FieldError;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.redis.StreamIds;
import dev.suite.workflow.executions.ExecutionService;
import dev.suite.workflow.executions.ExecutionStore;
import dev.suite.workflow.executions.dto.ExecutionRequest;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code /ws/workflows}: the original design's execution protocol, on any replica. Messages are
 * {@code {"type": …, "payload": {…}}}:
 * <ul>
 * <li>{@code PROMPT_REQUEST} (an {@link ExecutionRequest}) queues an execution and answers
 * {@code PROMPT_ACCEPTED_RESPONSE {prompt_id, execution_id, status, position}}; the socket then
 * follows it;</li>
 * <li>{@code SUBSCRIBE {execution_id, last_event_id?}} follows an execution of the user's (from
 * any replica): the events after {@code last_event_id} — all kept ones without it — are replayed,
 * then live ones come;</li>
 * <li>{@code UNSUBSCRIBE {execution_id}}, {@code INTERRUPT {execution_id}}, {@code PING}.</li>
 * </ul>
 * Events are {@code {type, event_id, payload}} ({@code NODE_EXECUTING}, {@code NODE_PROGRESS},
 * {@code NODE_YIELD}, {@code NODE_COMPLETE}, {@code NODE_ERROR}, {@code EXECUTION_STATUS_UPDATE},
 * {@code EXECUTION_COMPLETE}, {@code EXECUTION_ERROR}, {@code EXECUTION_INTERRUPTED}), plus
 * {@code SYSTEM_QUEUE_UPDATE} for everyone; problems are {@code ERROR {status, detail, errors}}.
 */
@WebSocket(path = "/ws/workflows")
public class WorkflowSocket {

    static final UserData.TypedKey<Follower> FOLLOWER = new UserData.TypedKey<>("follower");
    private static final int MAX_REPLAY = 10_000;

    @Inject
    SecurityIdentity identity;
    @Inject
    SocketTickets tickets;
    @Inject
    Followers followers;
    @Inject
    ExecutionEvents events;
    @Inject
    ExecutionService executions;
    @Inject
    ExecutionStore store;
    @Inject
    Validator validator;
    @Inject
    ObjectMapper mapper;
    @Inject
    QueueUpdates queueUpdates;

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        return tickets.owner(identity, connection.handshakeRequest().query()).chain(ownerId -> {
            if (ownerId == null) {
                return connection.close(new CloseReason(1008,
                        "authenticate the upgrade, or open with ?ticket= from POST /api/executions/socket-ticket"));
            }
            String authorization = identity == null || identity.isAnonymous() ? null
                    : connection.handshakeRequest().header("Authorization");
            Follower follower = new Follower(ownerId, authorization, connection);
            connection.userData().put(FOLLOWER, follower);
            followers.add(follower);
            if (queueUpdates.latest() != null) {
                follower.send(queueUpdates.latest());
            }
            return Uni.createFrom().voidItem();
        });
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        Follower follower = connection.userData().get(FOLLOWER);
        if (follower != null) {
            followers.remove(follower);
        }
    }

    @OnTextMessage
    public Uni<Void> message(WebSocketConnection connection, String text) {
        Follower follower = connection.userData().get(FOLLOWER);
        if (follower == null) {
            return Uni.createFrom().voidItem();
        }
        JsonNode message;
        try {
            message = mapper.readTree(text);
        } catch (Exception e) {
            follower.send(error(400, "not JSON", null));
            return Uni.createFrom().voidItem();
        }
        JsonNode payload = message.path("payload");
        String type = message.path("type").asText("");
        Uni<Void> handled = switch (type) {
            case "PING" -> {
                follower.send("{\"type\":\"PONG\"}");
                yield Uni.createFrom().voidItem();
            }
            case "PROMPT_REQUEST" -> prompt(follower, payload);
            case "SUBSCRIBE" -> subscribe(follower, executionId(payload), lastEventId(payload));
            case "UNSUBSCRIBE" -> {
                followers.unfollow(follower, executionId(payload));
                follower.send(frame("UNSUBSCRIBED", mapper.createObjectNode().put("execution_id", executionId(payload))));
                yield Uni.createFrom().voidItem();
            }
            case "INTERRUPT" -> executions.interrupt(follower.ownerId, executionId(payload)).invoke(result -> follower.send(
                    frame("INTERRUPT_ACCEPTED", mapper.createObjectNode().put("execution_id", executionId(payload))
                            .put("status", result.execution().status()).put("pending", result.pending())))).replaceWithVoid();
            default -> Uni.createFrom().failure(ProblemException.invalidField("type",
                    "must be PROMPT_REQUEST, SUBSCRIBE, UNSUBSCRIBE, INTERRUPT or PING"));
        };
        return handled.onFailure().recoverWithUni(e -> {
            if (e instanceof ProblemException problem) {
                follower.send(error(problem.type().status(), problem.getMessage(), problem.errors()));
            } else {
                follower.send(error(500, "could not handle the message: " + e.getMessage(), null));
            }
            return Uni.createFrom().voidItem();
        });
    }

    private Uni<Void> prompt(Follower follower, JsonNode payload) {
        ExecutionRequest request;
        try {
            request = mapper.treeToValue(payload, ExecutionRequest.class);
        } catch (Exception e) {
            return Uni.createFrom().failure(ProblemException.invalidField("payload", "is not an execution request: "
                    + e.getMessage().lines().findFirst().orElse("")));
        }
        if (request == null) {
            return Uni.createFrom().failure(ProblemException.invalidField("payload", "is required"));
        }
        Set<ConstraintViolation<ExecutionRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            List<FieldError> errors = new ArrayList<>();
            violations.forEach(v -> errors.add(new FieldError(v.getPropertyPath().toString(), v.getMessage())));
            return Uni.createFrom().failure(ProblemException.validation(errors));
        }
        // Its first events may go out before the socket follows it: they are read back from its
        // log like a SUBSCRIBE's replay, live ones held meanwhile, each sent once and in order.
        return executions.submit(new Caller(follower.ownerId, follower.authorization, null), request).chain(accepted -> {
            follower.startReplay(accepted.executionId(), null);
            followers.follow(follower, accepted.executionId());
            follower.send(frame("PROMPT_ACCEPTED_RESPONSE", mapper.valueToTree(accepted)));
            return replay(follower, accepted.executionId(), null);
        });
    }

    private Uni<Void> subscribe(Follower follower, String executionId, String lastEventId) {
        if (executionId == null) {
            return Uni.createFrom().failure(ProblemException.invalidField("payload.execution_id", "is required"));
        }
        if (lastEventId != null && !StreamIds.isId(lastEventId)) {
            return Uni.createFrom().failure(ProblemException.invalidField("payload.last_event_id",
                    "must be the event_id of an event of this execution"));
        }
        return store.owner(executionId).chain(owner -> {
            if (owner.isEmpty() || !owner.get().equals(follower.ownerId)) {
                return Uni.createFrom().failure(ProblemException.notFound("Execution"));
            }
            follower.startReplay(executionId, lastEventId);
            followers.follow(follower, executionId);
            follower.send(frame("SUBSCRIBED", mapper.createObjectNode().put("execution_id", executionId)));
            return replay(follower, executionId, lastEventId);
        });
    }

    /** Sends what the client missed of an execution, then lets its live events through. */
    private Uni<Void> replay(Follower follower, String executionId, String lastEventId) {
        return events.oldest(executionId)
                .chain(oldest -> events.after(executionId, lastEventId, MAX_REPLAY).invoke(all -> {
                    if (lastEventId != null && StreamIds.lostAfter(lastEventId, oldest)) {
                        follower.send(frame("REPLAY_INCOMPLETE", mapper.createObjectNode().put("execution_id", executionId)
                                .put("detail", "events after last_event_id were dropped from the log; GET the execution")));
                    }
                    List<String[]> frames = new ArrayList<>();
                    all.forEach(e -> {
                        String[] frame = followers.replayedFrame(e);
                        if (frame != null) {
                            frames.add(frame);
                        }
                    });
                    follower.endReplay(executionId, frames);
                }))
                .onFailure().invoke(e -> follower.endReplay(executionId, List.of()))
                .replaceWithVoid();
    }

    private static String executionId(JsonNode payload) {
        JsonNode id = payload.hasNonNull("execution_id") ? payload.get("execution_id") : payload.get("prompt_id");
        return id == null || !id.isTextual() ? null : id.asText();
    }

    private static String lastEventId(JsonNode payload) {
        return payload.path("last_event_id").isTextual() ? payload.get("last_event_id").asText() : null;
    }

    private String frame(String type, JsonNode payload) {
        ObjectNode frame = mapper.createObjectNode().put("type", type);
        frame.set("payload", payload);
        return frame.toString();
    }

    private String error(int status, String detail, List<FieldError> errors) {
        ObjectNode payload = mapper.createObjectNode().put("status", status).put("detail", detail);
        if (errors != null && !errors.isEmpty()) {
            payload.set("errors", mapper.valueToTree(errors));
        }
        return frame("ERROR", payload);
    }
}
