package dev.suite.workflow.executions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.calls.Caller;
import dev.suite.commons.crypto.SecretBox;
import dev.suite.commons.db.MySqlErrors;
import dev.suite.commons.db.Times;
import dev.suite.commons.events.CloudEvent;
import dev.suite.commons.ids.Ids;
import dev.suite.commons.paging.Page;
import dev.suite.commons.paging.PageRequest;
import dev.suite.commons.problem.FieldError;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.Violations;
import dev.suite.commons.queue.FairQueue;
import dev.suite.commons.redis.RateLimiter;
import dev.suite.commons.redis.RateLimiter.WhenRedisIsAway;
import dev.suite.commons.redis.RedisNames;
import dev.suite.commons.tracing.Traces;
import dev.suite.workflow.WorkflowSettings;
import dev.suite.workflow.executions.dto.ExecutionAccepted;
import dev.suite.workflow.executions.dto.ExecutionRequest;
import dev.suite.workflow.executions.dto.ExecutionResponse;
import dev.suite.workflow.executions.dto.RerunRequest;
import dev.suite.workflow.graph.Graph;
import dev.suite.workflow.graph.Plan;
import dev.suite.workflow.graph.PlanNode;
import dev.suite.workflow.graph.GraphValidator;
import dev.suite.workflow.graph.InterfaceInput;
import dev.suite.workflow.nodes.HandleType;
import dev.suite.workflow.realtime.EventType;
import dev.suite.workflow.realtime.ExecutionEvents;
import dev.suite.workflow.scheduling.Dispatcher;
import dev.suite.workflow.scheduling.ExecutionQueue;
import dev.suite.workflow.workflows.WorkflowService;
import dev.suite.workflow.workflows.WorkflowStore;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;

/**
 * Executions as users see them: submitted (checked, stored, queued), read, listed, interrupted and
 * deleted. Running them is the {@link Dispatcher}'s work, on whichever replica takes them.
 */
@ApplicationScoped
public class ExecutionService {

    private static final Logger LOG = Logger.getLogger(ExecutionService.class);

    private final ExecutionStore store;
    private final FairQueue queue;
    private final ExecutionEvents events;
    private final WorkflowService workflows;
    private final WorkflowStore graphs;
    private final GraphValidator validator;
    private final SecretBox secrets;
    private final RateLimiter limiter;
    private final WorkflowSettings settings;
    private final ReactiveRedisDataSource redis;
    private final ObjectMapper mapper;
    private final RedisNames names;
    private final Dispatcher dispatcher;
    private final Submissions submissions;
    private final Validator beanValidator;

    public ExecutionService(ExecutionStore store, FairQueue queue, ExecutionEvents events, WorkflowService workflows,
            WorkflowStore graphs, GraphValidator validator, SecretBox secrets, RateLimiter limiter,
            WorkflowSettings settings, ReactiveRedisDataSource redis, ObjectMapper mapper, RedisNames names,
            Dispatcher dispatcher, Submissions submissions, Validator beanValidator) {
        this.store = store;
        this.queue = queue;
        this.events = events;
        this.workflows = workflows;
        this.graphs = graphs;
        this.validator = validator;
        this.secrets = secrets;
        this.limiter = limiter;
        this.settings = settings;
        this.redis = redis;
        this.mapper = mapper;
        this.names = names;
        this.dispatcher = dispatcher;
        this.submissions = submissions;
        this.beanValidator = beanValidator;
    }

    /** Checks and queues an execution of a saved workflow or of an inline graph, in the trace of the caller's request. */
    public Uni<ExecutionAccepted> submit(Caller caller, ExecutionRequest request) {
        return store(caller, request, null, Traces.current());
    }

    /**
     * A trigger's firing: the key (a tick, a delivery, an event id) that makes it start one execution
     * at most, and the trace its run continues (the webhook call's, the event's; null for a tick).
     */
    public record Firing(String triggerId, String key, String traceParent) {
    }

    /** What a firing submitted: its execution, and whether an earlier submit of the same firing had made it. */
    public record Fired(ExecutionAccepted execution, boolean earlier) {
    }

    /**
     * Submits for a trigger's firing: a firing submitted again (another replica saw it, or a retry
     * after a crash) answers the execution the first made instead of starting another.
     */
    public Uni<Fired> fire(Caller caller, ExecutionRequest request, Firing firing) {
        return store.byFiring(firing.triggerId(), firing.key()).chain(earlier -> earlier.isPresent()
                ? Uni.createFrom().item(new Fired(earlier.get(), true))
                : store(caller, request, firing, firing.traceParent()).map(accepted -> new Fired(accepted, false))
                        .onFailure(MySqlErrors::isDuplicateKey).recoverWithUni(() -> store.byFiring(firing.triggerId(), firing.key())
                                .map(again -> new Fired(again.orElseThrow(), true))));
    }

    private Uni<ExecutionAccepted> store(Caller caller, ExecutionRequest request, Firing firing, String traceParent) {
        return limiter.hit(names.key("workflow", "submits", caller.ownerId()), settings.submitsPerMinute(),
                        Duration.ofMinutes(1), "executions submitted", WhenRedisIsAway.COUNT_HERE)
                .chain(() -> checked(caller, request, firing, traceParent))
                .chain(row -> submissions.store(row).chain(() -> enqueue(caller.ownerId(), List.of(row))).map(accepted -> accepted.get(0)));
    }

    /**
     * Checks and queues many executions at once: every one valid or none stored (each error named
     * {@code executions[i].…}), inserted in one statement, then queued with their events.
     */
    public Uni<List<ExecutionAccepted>> submitAll(Caller caller, List<ExecutionRequest> requests) {
        int max = settings.maxExecutionsPerRequest();
        if (requests == null || requests.isEmpty() || requests.size() > max) {
            return Uni.createFrom().failure(ProblemException.invalidField("executions", "must hold 1 to " + max + " executions"));
        }
        String traceParent = Traces.current();
        List<Uni<Checked>> checks = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            String prefix = "executions[" + i + "].";
            ExecutionRequest request = requests.get(i);
            checks.add(request == null ? Uni.createFrom().item(Checked.refused(List.of(new FieldError("executions[" + i + "]",
                    "must be an execution"))))
                    : checked(caller, request, null, traceParent).map(Checked::of).onFailure(ProblemException.class)
                            .recoverWithItem(e -> Checked.refused(prefixed((ProblemException) e, prefix))));
        }
        return Uni.join().all(checks).andFailFast().chain(all -> {
            List<FieldError> errors = all.stream().flatMap(c -> c.errors().stream()).toList();
            if (!errors.isEmpty()) {
                return Uni.createFrom().failure(ProblemException.validation(errors));
            }
            List<ExecutionStore.NewExecution> rows = all.stream().map(Checked::row).toList();
            return limiter.hits(names.key("workflow", "submits", caller.ownerId()), rows.size(), settings.submitsPerMinute(),
                            Duration.ofMinutes(1), "executions submitted", WhenRedisIsAway.COUNT_HERE)
                    .chain(() -> submissions.storeAll(caller.ownerId(), rows))
                    .chain(() -> enqueue(caller.ownerId(), rows));
        });
    }

    /** An execution that passed its checks, or the field errors that refused it. */
    private record Checked(ExecutionStore.NewExecution row, List<FieldError> errors) {
        static Checked of(ExecutionStore.NewExecution row) {
            return new Checked(row, List.of());
        }

        static Checked refused(List<FieldError> errors) {
            return new Checked(null, errors);
        }
    }

    /** A refusal's field errors named under {@code prefix}; one without fields (no such workflow) as workflow_id's. */
    private static List<FieldError> prefixed(ProblemException refused, String prefix) {
        if (refused.errors().isEmpty()) {
            return List.of(new FieldError(prefix + "workflow_id", refused.getMessage()));
        }
        return refused.errors().stream().map(e -> new FieldError(prefix + e.field(), e.message())).toList();
    }

    /**
     * Runs a finished execution again from a node: a new execution of the graph that ran (the
     * workflow version that ran, not the latest) with the same inputs, which keeps the finished
     * nodes' outputs except the named node's and its descendants', and runs those.
     */
    public Uni<ExecutionAccepted> rerun(Caller caller, String executionId, RerunRequest request) {
        List<FieldError> invalid = Violations.fieldErrors(beanValidator.validate(request));
        if (!invalid.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.validation(invalid));
        }
        String traceParent = Traces.current();
        return found(caller.ownerId(), executionId).chain(earlier -> {
            if (!ExecutionStatus.isFinal(earlier.status())) {
                return Uni.createFrom().failure(ProblemException.conflict("The execution is " + earlier.status()
                        + ": only a finished one is re-run."));
            }
            return limiter.hit(names.key("workflow", "submits", caller.ownerId()), settings.submitsPerMinute(),
                            Duration.ofMinutes(1), "executions submitted", WhenRedisIsAway.COUNT_HERE)
                    .chain(() -> submissions.room(caller.ownerId(), 1))
                    .chain(() -> store.source(executionId))
                    .chain(source -> {
                        Plan plan = validator.compile(graphs.read(source.graph()));
                        PlanNode from = plan.indexById().containsKey(request.fromNode) ? plan.node(request.fromNode) : null;
                        if (from == null) {
                            return Uni.createFrom().failure(ProblemException.invalidField("from_node", "is not a node of the graph that ran"));
                        }
                        String id = Ids.newId();
                        ExecutionStore.NewExecution row = new ExecutionStore.NewExecution(id, caller.ownerId(),
                                earlier.workflowId(), earlier.workflowVersion(), earlier.priority(), source.graph(), source.inputs(),
                                caller.authorization() == null ? null : secrets.seal(caller.authorization(), id), Times.now(),
                                null, null, traceParent);
                        return store.insertRerun(row, executionId, downstreamOf(plan, from))
                                .chain(() -> enqueue(caller.ownerId(), List.of(row))).map(accepted -> accepted.get(0));
                    });
        });
    }

    /** The node and every node it feeds, directly or not. */
    private static Set<String> downstreamOf(Plan plan, PlanNode from) {
        Set<String> seen = new LinkedHashSet<>();
        ArrayDeque<PlanNode> next = new ArrayDeque<>(List.of(from));
        while (!next.isEmpty()) {
            PlanNode node = next.poll();
            if (seen.add(node.id())) {
                node.out().forEach(edge -> next.add(plan.nodes().get(edge.target())));
            }
        }
        return seen;
    }

    /** A graph to run, and the version of the saved workflow it is (null for an inline graph). */
    private record Source(Graph graph, Integer version) {
    }

    /**
     * The stored row of a valid request: its graph compiled, its inputs checked, the caller's
     * credentials sealed, the version of a saved workflow recorded even when the latest ran, and
     * the trace its run continues.
     */
    private Uni<ExecutionStore.NewExecution> checked(Caller caller, ExecutionRequest request, Firing firing,
            String traceParent) {
        List<FieldError> invalid = Violations.fieldErrors(beanValidator.validate(request));
        if (!invalid.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.validation(invalid));
        }
        if (request.workflowId != null && request.hasInlineGraph()) {
            return Uni.createFrom().failure(ProblemException.invalidField("workflow_id",
                    "give a workflow_id or an inline graph (nodes, edges), not both"));
        }
        if (request.workflowId == null && !request.hasInlineGraph()) {
            return Uni.createFrom().failure(ProblemException.invalidField("nodes",
                    "give a workflow_id or an inline graph (nodes, edges)"));
        }
        Uni<Source> source = request.workflowId != null
                ? workflows.get(caller.ownerId(), request.workflowId, request.version)
                        .map(w -> new Source(new Graph(w.nodes(), w.edges(), w.interfaceInputs(), w.interfaceOutputs(),
                                w.outputMappings()), w.version()))
                : Uni.createFrom().item(new Source(request.graph(), null));
        return source.map(s -> {
            Graph g = s.graph();
            validator.compile(g);
            ObjectNode inputs = checkedInputs(g, request.inputs);
            String id = Ids.newId();
            return new ExecutionStore.NewExecution(id, caller.ownerId(), request.workflowId, s.version(),
                    request.priority == null ? 5 : request.priority, graphs.write(g), inputs.toString(),
                    caller.authorization() == null ? null : secrets.seal(caller.authorization(), id), Times.now(),
                    firing == null ? null : firing.triggerId(), firing == null ? null : firing.key(), traceParent);
        });
    }

    /**
     * Announces the executions as queued, then queues them in one call: whatever a replica does with
     * one comes after its "queued" event.
     */
    private Uni<List<ExecutionAccepted>> enqueue(String ownerId, List<ExecutionStore.NewExecution> rows) {
        List<FairQueue.Entry> entries = rows.stream()
                .map(row -> new FairQueue.Entry(row.executionId(), row.priority(), row.createdAt())).toList();
        return events.announce(rows.stream().map(ExecutionStore.NewExecution::executionId).toList(),
                        EventType.EXECUTION_STATUS_UPDATE, id -> events.payload(id).put("status", ExecutionStatus.QUEUED))
                .chain(() -> queue.enqueueAndLocate(ExecutionQueue.LANE, ownerId, entries))
                .onFailure().recoverWithItem(e -> {
                    // Stored: the reconciler queues them once Redis answers again.
                    LOG.warnf("%d executions are stored but could not be queued yet: %s", rows.size(), e.getMessage());
                    return null;
                })
                .map(positions -> {
                    List<ExecutionAccepted> out = new ArrayList<>(rows.size());
                    for (int i = 0; i < rows.size(); i++) {
                        String id = rows.get(i).executionId();
                        Long position = positions == null || positions.get(i) < 0 ? null : positions.get(i);
                        out.add(new ExecutionAccepted(id, id, ExecutionStatus.QUEUED, position));
                    }
                    return out;
                });
    }

    /**
     * Checks that a saved workflow (at {@code version}, null: the latest) exists and would take these
     * inputs, as a submit would: what a trigger is checked with when it is saved.
     */
    public Uni<Void> checkRun(String ownerId, String workflowId, Integer version, JsonNode inputs) {
        return workflows.get(ownerId, workflowId, version).invoke(w -> checkedInputs(new Graph(w.nodes(), w.edges(),
                w.interfaceInputs(), w.interfaceOutputs(), w.outputMappings()), inputs)).replaceWithVoid();
    }

    /** An execution without its node runs: what a caller waiting for it polls. */
    public Uni<ExecutionResponse> summary(String ownerId, String executionId) {
        return found(ownerId, executionId);
    }

    /** The run's inputs: the declared ones checked against their types, defaults filled in. */
    private ObjectNode checkedInputs(Graph graph, JsonNode given) {
        List<FieldError> errors = new ArrayList<>();
        if (given != null && !given.isNull() && !given.isObject()) {
            throw ProblemException.invalidField("inputs", "must be an object of input values by name");
        }
        ObjectNode inputs = given == null || given.isNull() ? mapper.createObjectNode() : ((ObjectNode) given).deepCopy();
        List<String> declared = new ArrayList<>();
        for (InterfaceInput input : graph.interfaceInputs()) {
            declared.add(input.name());
            JsonNode value = inputs.get(input.name());
            if (value == null || value.isNull()) {
                if (input.defaultValue() != null && !input.defaultValue().isNull()) {
                    inputs.set(input.name(), input.defaultValue());
                } else if (input.isRequired()) {
                    errors.add(new FieldError("inputs." + input.name(), "is required"));
                }
                continue;
            }
            HandleType type = input.type() == null ? HandleType.ANY : HandleType.of(input.type());
            if (!matches(type, value)) {
                errors.add(new FieldError("inputs." + input.name(), "must be " + (type == null ? "a value" : type.json())));
            }
        }
        if (!graph.interfaceInputs().isEmpty()) {
            inputs.fieldNames().forEachRemaining(name -> {
                if (!declared.contains(name)) {
                    errors.add(new FieldError("inputs." + name, "is not an input of this workflow"));
                }
            });
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return inputs;
    }

    private static boolean matches(HandleType type, JsonNode value) {
        return switch (type) {
            case STRING -> value.isTextual();
            case NUMBER -> value.isNumber();
            case BOOLEAN -> value.isBoolean();
            case OBJECT -> value.isObject();
            case ARRAY -> value.isArray();
            default -> true;
        };
    }

    public Uni<ExecutionResponse> get(String ownerId, String executionId) {
        return found(ownerId, executionId).chain(e -> store.nodes(executionId)
                .chain(nodes -> (ExecutionStatus.QUEUED.equals(e.status()) ? queue.position(ExecutionQueue.LANE, ownerId, executionId)
                        .onFailure().recoverWithNull() : Uni.createFrom().<Long>nullItem())
                        .map(position -> e.withDetails(position, nodes))));
    }

    public Uni<JsonNode> nodeOutputs(String ownerId, String executionId, String nodeId) {
        return found(ownerId, executionId).chain(e -> store.nodeOutputs(executionId, nodeId))
                .map(outputs -> outputs.orElseThrow(() -> ProblemException.notFound("Outputs of that node")));
    }

    public Uni<Page<ExecutionResponse>> list(String ownerId, String status, PageRequest page) {
        if (status != null && !ExecutionStatus.isKnown(status)) {
            throw ProblemException.invalidField("status", "must be queued, running, waiting, completed, failed or interrupted");
        }
        return store.page(ownerId, status, page.before(), page.fetchSize())
                .map(rows -> Page.of(rows, page, ExecutionResponse::executionId, row -> row));
    }

    /**
     * Stops an execution: a queued one ends at once; a running one is asked to stop, on whichever
     * replica runs it (answered {@code accepted}: it ends as interrupted shortly).
     */
    public Uni<Interrupted> interrupt(String ownerId, String executionId) {
        return found(ownerId, executionId).chain(e -> {
            if (ExecutionStatus.isFinal(e.status())) {
                throw ProblemException.conflict("The execution has already ended (" + e.status() + ").");
            }
            return store.interruptQueued(ownerId, executionId, Times.now()).chain(wasQueued -> {
                if (wasQueued) {
                    return queue.remove(ExecutionQueue.LANE, ownerId, executionId)
                            .chain(() -> events.publish(executionId, EventType.EXECUTION_INTERRUPTED,
                                    events.payload(executionId).put("status", ExecutionStatus.INTERRUPTED)))
                            .chain(() -> get(ownerId, executionId)).map(view -> new Interrupted(false, view));
                }
                return store.requestInterrupt(ownerId, executionId).chain(wasRunning -> {
                    if (!wasRunning) {
                        return get(ownerId, executionId).map(view -> new Interrupted(false, view));
                    }
                    dispatcher.interrupt(executionId);
                    String notice = mapper.valueToTree(CloudEvent.of(ExecutionEvents.SOURCE, Dispatcher.INTERRUPT,
                            executionId, null)).toString();
                    return redis.pubsub(String.class).publish(dispatcher.controlChannel(), notice)
                            .onFailure().recoverWithNull()
                            .chain(() -> get(ownerId, executionId)).map(view -> new Interrupted(true, view));
                });
            });
        });
    }

    /** The answer to an interrupt: {@code pending} while the running replica is stopping it. */
    public record Interrupted(boolean pending, ExecutionResponse execution) {
    }

    /** Deletes a finished execution's history; a queued or running one must be interrupted first. */
    public Uni<Void> delete(String ownerId, String executionId) {
        return found(ownerId, executionId).chain(e -> {
            if (!ExecutionStatus.isFinal(e.status())) {
                throw ProblemException.conflict("The execution is " + e.status() + ": interrupt it first.");
            }
            return store.deleteFinished(ownerId, executionId)
                    .chain(() -> events.forget(executionId).onFailure().recoverWithNull());
        });
    }

    private Uni<ExecutionResponse> found(String ownerId, String executionId) {
        return store.find(ownerId, executionId)
                .map(found -> found.orElseThrow(() -> ProblemException.notFound("Execution")));
    }
}
