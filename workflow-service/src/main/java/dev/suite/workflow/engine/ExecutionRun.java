package dev.suite.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.calls.Caller;
import dev.suite.commons.retry.Backoff;
import dev.suite.workflow.graph.Graph;
import dev.suite.workflow.graph.GraphValidator;
import dev.suite.workflow.graph.OutputMapping;
import dev.suite.workflow.graph.Plan;
import dev.suite.workflow.graph.PlanEdge;
import dev.suite.workflow.graph.PlanNode;
import dev.suite.workflow.nodes.Handle;
import dev.suite.workflow.nodes.HandleType;
import dev.suite.workflow.nodes.NodeCall;
import dev.suite.workflow.nodes.NodeFailure;
import dev.suite.workflow.nodes.builtin.InterfaceOutputNode;
import dev.suite.workflow.tracing.NodeSpans;
import dev.suite.workflow.tracing.TracedContexts;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One run of a plan. Nodes start as soon as every edge into them has settled, up to
 * {@code nodeConcurrency} at once, so independent branches run side by side; values flow along
 * the edges as nodes complete. A node fed by a stream starts when its producer starts (outside the
 * bound, since its producer waits for it) and reads the chunks as they come.
 *
 * <p>An edge settles with a value or as inactive: from a skipped node, a failed one that stops its
 * branch, or an output that was not produced (a condition's other branch). A node with an inactive
 * edge is skipped — so a failure skips its descendants while independent branches go on — except
 * a join, which runs on whatever arrived. Bypassed nodes pass their inputs through.
 *
 * <p>All state changes happen under this object's lock; nodes that complete at once do not nest
 * (a loop drains the ready nodes), so a chain of any length runs in constant stack.
 */
public final class ExecutionRun implements NodeCall.Host {

    /** Engine bounds for a run. */
    public record Limits(int nodeConcurrency, int streamBuffer, Duration nodeTimeout, int maxDepth, int maxNodeRuns) {
    }

    /** Compiles nested graphs (sub-workflows) for the engine. */
    public interface Compiler {
        Plan compile(Graph graph);
    }

    private static final Object INACTIVE = new Object();
    private static final long MAX_BACKOFF_MS = 60_000;

    private final Plan plan;
    private final String executionId;
    private final JsonNode inputs;
    private final Caller caller;
    private final RunScope scope;
    private final RunListener listener;
    private final Limits limits;
    private final Compiler compiler;
    private final ResultCache cache;
    private final NodeSpans spans;
    private final Vertx vertx;

    private final Object[] edgeValues;
    /** Each node's state, by its plan index. */
    private final NodeState[] nodes;
    private final ArrayDeque<Integer> ready = new ArrayDeque<>();
    private final ArrayDeque<Integer> readyStreamConsumers = new ArrayDeque<>();
    private final CompletableFuture<RunOutcome> done = new CompletableFuture<>();
    private int running;
    private int remaining;
    /** Nodes waiting for a person: the run pauses when only they are left to go on. */
    private int waiting;
    private boolean draining;
    private boolean interrupted;
    private String stopError;

    /**
     * @param resumed outputs of nodes that completed in an earlier run of this execution: they are
     *                not run again (unless a stream of theirs feeds a node that did not complete)
     * @param spans   the spans of the nodes this run runs ({@link NodeSpans#OFF} when not traced)
     */
    public ExecutionRun(Plan plan, String executionId, JsonNode inputs, Caller caller, RunScope scope, RunListener listener,
            Limits limits, Compiler compiler, Map<String, NodeRecord> resumed, ResultCache cache, NodeSpans spans,
            Vertx vertx) {
        this.plan = plan;
        this.executionId = executionId;
        this.inputs = inputs == null ? JsonNodeFactory.instance.objectNode() : inputs;
        this.caller = caller;
        this.scope = scope;
        this.listener = listener;
        this.limits = limits;
        this.compiler = compiler;
        this.cache = cache;
        this.spans = spans;
        this.vertx = vertx;
        int n = plan.nodes().size();
        edgeValues = new Object[plan.edges().size()];
        nodes = new NodeState[n];
        remaining = n;
        for (PlanNode node : plan.nodes()) {
            nodes[node.index()] = new NodeState(node.in().size());
        }
        restore(resumed == null ? Map.of() : resumed);
    }

    private void restore(Map<String, NodeRecord> resumed) {
        for (PlanNode node : plan.nodes()) {
            NodeRecord record = resumed.get(node.id());
            if (record == null || !record.status().hasOutputs() || feedsUnfinishedStream(node, resumed)) {
                continue;
            }
            int i = node.index();
            nodes[i].status = record.status();
            nodes[i].attempts = record.attempts();
            nodes[i].results = record.outputs();
            remaining--;
        }
        for (PlanNode node : plan.nodes()) {
            if (nodes[node.index()].status.hasOutputs()) {
                settleOutputs(node, nodes[node.index()].results);
            }
        }
    }

    private boolean feedsUnfinishedStream(PlanNode node, Map<String, NodeRecord> resumed) {
        for (PlanEdge edge : node.out()) {
            NodeRecord consumer = resumed.get(plan.nodes().get(edge.target()).id());
            if (edge.stream() && (consumer == null || !consumer.status().hasOutputs())) {
                return true;
            }
        }
        return false;
    }

    /** Starts the run; the outcome completes when every node has ended (or the run was interrupted). */
    public synchronized Uni<RunOutcome> start() {
        for (PlanNode node : plan.nodes()) {
            // A node the restored outputs made ready is queued already: launched twice, it would end twice.
            NodeState state = nodes[node.index()];
            if (state.status == NodeStatus.PENDING && state.unsettled == 0 && !state.queued) {
                state.queued = true;
                ready.add(node.index());
            }
        }
        drain();
        finishIfDone();
        return Uni.createFrom().completionStage(done);
    }

    /** Stops every running node and ends the run as interrupted. */
    public void interrupt() {
        List<Runnable> stops = new ArrayList<>();
        synchronized (this) {
            if (done.isDone() || interrupted) {
                return;
            }
            interrupted = true;
            for (PlanNode node : plan.nodes()) {
                int i = node.index();
                if (nodes[i].status == NodeStatus.WAITING) {
                    end(node, NodeStatus.INTERRUPTED, null, "interrupted");
                } else if (nodes[i].status == NodeStatus.RUNNING) {
                    Cancellable subscription = nodes[i].subscription;
                    Cancellation cancellation = nodes[i].cancellation;
                    long timer = nodes[i].timer;
                    stops.add(() -> {
                        if (subscription != null) {
                            subscription.cancel();
                        }
                        if (timer != 0) {
                            vertx.cancelTimer(timer);
                        }
                        cancellation.cancel();
                    });
                    end(node, NodeStatus.INTERRUPTED, null, "interrupted");
                }
            }
            ready.clear();
            readyStreamConsumers.clear();
            remaining = 0;
            finishIfDone();
        }
        stops.forEach(Runnable::run);
    }

    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (true) {
                Integer next = readyStreamConsumers.poll();
                if (next == null && running < limits.nodeConcurrency()) {
                    next = ready.poll();
                }
                if (next == null) {
                    return;
                }
                launch(plan.nodes().get(next));
            }
        } finally {
            draining = false;
        }
    }

    private void launch(PlanNode node) {
        int i = node.index();
        boolean anyActive = false;
        boolean anyInactive = false;
        for (PlanEdge edge : node.in()) {
            if (edgeValues[edge.index()] == INACTIVE) {
                anyInactive = true;
            } else {
                anyActive = true;
            }
        }
        Map<String, Object> values = inputValues(node);
        if (anyInactive && (!node.type().joinsBranches() || !anyActive)) {
            detachReaders(values);
            end(node, NodeStatus.SKIPPED, null, null);
            settleAll(node, INACTIVE);
            return;
        }
        if (node.node().isBypassed()) {
            detachReaders(values);
            Map<String, JsonNode> passed = bypass(node, values);
            end(node, NodeStatus.BYPASSED, passed, null);
            settleOutputs(node, passed);
            return;
        }
        if (node.type().waitsForPerson()) {
            if (scope.depth() > 0) {
                // A sub-workflow runs as one node of its parent: it has no place of its own to pause.
                nodes[i].startedAt = Instant.now();
                end(node, NodeStatus.FAILED, null, "a node waiting for a person runs only in a top-level workflow");
                if (stopError == null) {
                    stopError = "node " + node.id() + " waits for a person inside a sub-workflow";
                }
                settleAll(node, INACTIVE);
                return;
            }
            nodes[i].status = NodeStatus.WAITING;
            nodes[i].startedAt = Instant.now();
            waiting++;
            NodeCall call = new NodeCall(executionId, node.id(), node.config(), values, inputs, caller, scope.depth(), 1,
                    new Cancellation(), this);
            listener.nodeWaiting(node.id(), node.type().askPerson(call), nodes[i].startedAt);
            return;
        }
        nodes[i].status = NodeStatus.RUNNING;
        running++;
        nodes[i].startedAt = Instant.now();
        nodes[i].readers = values.values().stream().filter(StreamChannel.Reader.class::isInstance)
                .map(StreamChannel.Reader.class::cast).toList();
        for (PlanEdge edge : node.out()) {
            if (edge.stream()) {
                if (nodes[i].channels == null) {
                    nodes[i].channels = new HashMap<>();
                }
                StreamChannel channel = nodes[i].channels.computeIfAbsent(edge.sourceHandle(),
                        h -> new StreamChannel(limits.streamBuffer()));
                settle(edge, channel.reader());
            }
        }
        nodes[i].span = spans.start(node);
        try (Scope ignored = NodeSpans.current(nodes[i].span)) {
            listener.nodeStarted(node.id(), 1, nodes[i].startedAt);
        }
        attempt(node, values, 1);
    }

    private Map<String, Object> inputValues(PlanNode node) {
        Map<String, Object> values = new LinkedHashMap<>();
        JsonNode literals = node.node().inputs();
        if (literals != null && literals.isObject()) {
            literals.fields().forEachRemaining(field -> values.put(field.getKey(), field.getValue()));
        }
        for (PlanEdge edge : node.in()) {
            Object value = edgeValues[edge.index()];
            if (value != INACTIVE) {
                values.put(edge.targetHandle(), value);
            }
        }
        return values;
    }

    private void attempt(PlanNode node, Map<String, Object> values, int attempt) {
        int i = node.index();
        nodes[i].attempts = attempt;
        Cancellation cancellation = new Cancellation();
        nodes[i].cancellation = cancellation;
        NodeCall call = new NodeCall(executionId, node.id(), node.config(), values, inputs, caller, scope.depth(), attempt,
                cancellation, this);
        Supplier<Uni<Map<String, JsonNode>>> work;
        if (!scope.takeNodeRun()) {
            NodeFailure spent = NodeFailure.permanent("the execution ran more than " + limits.maxNodeRuns()
                    + " nodes (sub-workflows included), its node budget");
            work = () -> Uni.createFrom().failure(spent);
        } else if (attempt == 1 && cacheable(node, values)) {
            String key = CacheKeys.of(node, values);
            work = () -> cache.find(key).onFailure().recoverWithNull().chain(kept -> {
                if (kept != null) {
                    synchronized (this) {
                        nodes[node.index()].reused = true;
                    }
                    return Uni.createFrom().item(kept);
                }
                return runNode(node, call).invoke(outputs -> cache.keep(key, outputs));
            });
        } else {
            work = () -> runNode(node, call);
        }
        // Traced, the node's work is made and run where its span is current, so the calls it makes
        // to other services continue that span (see TracedContexts).
        Uni<Map<String, JsonNode>> run = nodes[i].span == null ? work.get() : TracedContexts.subscribe(vertx, nodes[i].span, work);
        long timeout = node.timeoutMs() != null ? node.timeoutMs() : limits.nodeTimeout().toMillis();
        boolean[] ended = {false};
        Cancellable subscription = run.subscribe().with(outputs -> {
            ended[0] = true;
            stopTimer(i, cancellation);
            succeeded(node, cancellation, outputs);
        }, failure -> {
            ended[0] = true;
            stopTimer(i, cancellation);
            failed(node, cancellation, values, attempt, failure);
        });
        nodes[i].subscription = subscription;
        // Nodes that answer at once (most) need no timer. A Vert.x timer is dropped when cancelled,
        // so a long limit costs nothing once the node is done.
        if (!ended[0]) {
            nodes[i].timer = vertx.setTimer(timeout, t -> {
                subscription.cancel();
                failed(node, cancellation, values, attempt, NodeFailure.transientFailure("timed out after " + timeout + " ms"));
            });
        }
    }

    private static Uni<Map<String, JsonNode>> runNode(PlanNode node, NodeCall call) {
        try {
            return node.type().run(call);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
    }

    /**
     * Whether the node's outputs may be reused: its type's policy or the node's {@code cache}
     * setting allow it, and no stream feeds it or flows out of it (a stream is not a value to key).
     */
    private boolean cacheable(PlanNode node, Map<String, Object> values) {
        JsonNode asked = node.config() == null ? null : node.config().get("cache");
        boolean allowed = switch (node.type().caching()) {
            case BY_DEFAULT -> asked == null || asked.asBoolean(true);
            case ON_REQUEST -> asked != null && asked.asBoolean(false);
            case NEVER -> false;
        };
        return allowed && nodes[node.index()].channels == null
                && values.values().stream().allMatch(JsonNode.class::isInstance);
    }

    private synchronized void stopTimer(int i, Cancellation cancellation) {
        if (nodes[i].cancellation == cancellation && nodes[i].timer != 0) {
            vertx.cancelTimer(nodes[i].timer);
            nodes[i].timer = 0;
        }
    }

    private synchronized void succeeded(PlanNode node, Cancellation cancellation, Map<String, JsonNode> outputs) {
        int i = node.index();
        if (nodes[i].status != NodeStatus.RUNNING || nodes[i].cancellation != cancellation) {
            return;
        }
        running--;
        closeChannels(i, null);
        detachReaders(i);
        Map<String, JsonNode> values = outputs == null ? Map.of() : outputs;
        end(node, NodeStatus.COMPLETED, values, null);
        settleOutputs(node, values);
        drain();
        finishIfDone();
    }

    private void failed(PlanNode node, Cancellation cancellation, Map<String, Object> values, int attempt,
            Throwable failure) {
        // Stopped outside the lock: stopping a sub-workflow takes its run's lock, and a finishing
        // sub-workflow holds that while it reports here.
        cancellation.cancel();
        failedAttempt(node, cancellation, values, attempt, failure);
    }

    private synchronized void failedAttempt(PlanNode node, Cancellation cancellation, Map<String, Object> values,
            int attempt, Throwable failure) {
        int i = node.index();
        if (nodes[i].status != NodeStatus.RUNNING || nodes[i].cancellation != cancellation) {
            return;
        }
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        boolean retryable = !(failure instanceof NodeFailure nodeFailure) || nodeFailure.retryable();
        if (retryable && attempt <= node.retries() && !nodes[i].emitted && !interrupted) {
            long backoff = Backoff.of(node.retryBackoffMs(), MAX_BACKOFF_MS).delay(attempt).toMillis();
            NodeSpans.retrying(nodes[i].span, attempt, message);
            listener.nodeProgress(node.id(), null, "attempt " + attempt + " failed (" + message + "); retrying in "
                    + backoff + " ms");
            Cancellation waiting = new Cancellation();
            nodes[i].cancellation = waiting;
            long timer = vertx.setTimer(Math.max(1, backoff), t -> retry(node, waiting, values, attempt + 1));
            nodes[i].subscription = () -> vertx.cancelTimer(timer);
            return;
        }
        running--;
        closeChannels(i, failure);
        detachReaders(i);
        end(node, NodeStatus.FAILED, null, message);
        switch (node.onError()) {
            case "continue" -> {
                Map<String, JsonNode> nulls = new HashMap<>();
                node.outputs().values().stream().filter(h -> !h.isConditional() && h.type() != HandleType.STREAM)
                        .forEach(h -> nulls.put(h.name(), NullNode.getInstance()));
                settleOutputs(node, nulls);
            }
            case "error_branch" -> {
                ObjectNode error = JsonNodeFactory.instance.objectNode().put("message", message)
                        .put("node_id", node.id()).put("attempts", attempt);
                for (PlanEdge edge : node.out()) {
                    if (edgeValues[edge.index()] == null) {
                        settle(edge, edge.sourceHandle().equals(GraphValidator.ERROR_HANDLE) ? error : INACTIVE);
                    }
                }
            }
            default -> {
                if (stopError == null) {
                    stopError = "node " + node.id() + " failed: " + message;
                }
                settleAll(node, INACTIVE);
            }
        }
        drain();
        finishIfDone();
    }

    private synchronized void retry(PlanNode node, Cancellation waiting, Map<String, Object> values, int attempt) {
        NodeState state = nodes[node.index()];
        if (state.status == NodeStatus.RUNNING && state.cancellation == waiting && !interrupted) {
            attempt(node, values, attempt);
        }
    }

    /** Records the end of a node (not for nodes restored from an earlier run). */
    private void end(PlanNode node, NodeStatus ended, Map<String, JsonNode> outputs, String error) {
        int i = node.index();
        nodes[i].status = ended;
        nodes[i].results = outputs;
        remaining--;
        Instant now = Instant.now();
        NodeRecord record = new NodeRecord(node.id(), ended, nodes[i].attempts, outputs == null ? null : valuesOnly(node, outputs),
                error, nodes[i].startedAt == null ? now : nodes[i].startedAt, now, nodes[i].reused);
        // Published in the node's span, whichever context ends it (another node's, an interrupt's).
        try (Scope ignored = NodeSpans.current(nodes[i].span)) {
            listener.nodeEnded(record);
        }
        NodeSpans.end(nodes[i].span, ended, nodes[i].attempts, nodes[i].reused, error);
        nodes[i].span = null;
    }

    private static Map<String, JsonNode> valuesOnly(PlanNode node, Map<String, JsonNode> outputs) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        outputs.forEach((handle, value) -> {
            Handle declared = node.outputs().get(handle);
            if (declared == null || declared.type() != HandleType.STREAM) {
                values.put(handle, value);
            }
        });
        return values;
    }

    /** Settles the value edges out of a node from its outputs; conditional outputs left out are inactive. */
    private void settleOutputs(PlanNode node, Map<String, JsonNode> outputs) {
        for (PlanEdge edge : node.out()) {
            if (edge.stream()) {
                if (nodes[node.index()].status != NodeStatus.RUNNING && edgeValues[edge.index()] == null) {
                    settle(edge, INACTIVE);
                }
                continue;
            }
            Handle handle = node.outputs().get(edge.sourceHandle());
            JsonNode value = outputs.get(edge.sourceHandle());
            if (value == null && handle.isConditional()) {
                settle(edge, INACTIVE);
            } else {
                settle(edge, value == null ? NullNode.getInstance() : value);
            }
        }
    }

    private void settleAll(PlanNode node, Object value) {
        for (PlanEdge edge : node.out()) {
            if (edgeValues[edge.index()] == null) {
                settle(edge, value);
            }
        }
    }

    private void settle(PlanEdge edge, Object value) {
        edgeValues[edge.index()] = value;
        int target = edge.target();
        if (--nodes[target].unsettled == 0 && nodes[target].status == NodeStatus.PENDING && !interrupted) {
            boolean streamFed = plan.nodes().get(target).in().stream()
                    .anyMatch(in -> in.stream() && edgeValues[in.index()] != INACTIVE);
            nodes[target].queued = true;
            (streamFed ? readyStreamConsumers : ready).add(target);
        }
    }

    private Map<String, JsonNode> bypass(PlanNode node, Map<String, Object> values) {
        Map<String, JsonNode> passed = new LinkedHashMap<>();
        for (Handle output : node.outputs().values()) {
            if (output.type() == HandleType.STREAM || output.name().equals(GraphValidator.ERROR_HANDLE)) {
                continue;
            }
            JsonNode value = values.get(output.name()) instanceof JsonNode same ? same : null;
            if (value == null) {
                for (Map.Entry<String, Object> input : values.entrySet()) {
                    Handle declared = node.inputs().get(input.getKey());
                    if (input.getValue() instanceof JsonNode json && declared != null && declared.type().feeds(output.type())) {
                        value = json;
                        break;
                    }
                }
            }
            if (value != null || !output.isConditional()) {
                passed.put(output.name(), value == null ? NullNode.getInstance() : value);
            }
        }
        return passed;
    }

    private void closeChannels(int i, Throwable failure) {
        if (nodes[i].channels != null) {
            nodes[i].channels.values().forEach(channel -> {
                if (failure == null) {
                    channel.close();
                } else {
                    channel.fail(failure);
                }
            });
        }
    }

    private void detachReaders(int i) {
        if (nodes[i].readers != null) {
            nodes[i].readers.forEach(StreamChannel.Reader::detach);
        }
    }

    private static void detachReaders(Map<String, Object> values) {
        values.values().stream().filter(StreamChannel.Reader.class::isInstance)
                .forEach(reader -> ((StreamChannel.Reader) reader).detach());
    }

    private void finishIfDone() {
        if (done.isDone()) {
            return;
        }
        if (remaining > 0 && waiting > 0 && running == 0 && ready.isEmpty() && readyStreamConsumers.isEmpty() && !interrupted) {
            pauseOrStop();
            return;
        }
        if (remaining > 0) {
            return;
        }
        ObjectNode outputs = JsonNodeFactory.instance.objectNode();
        for (PlanNode node : plan.nodes()) {
            Map<String, JsonNode> result = nodes[node.index()].results;
            boolean finished = result != null && nodes[node.index()].status.hasOutputs();
            if (InterfaceOutputNode.TYPE.equals(node.node().type()) && finished) {
                outputs.set(node.config().path("name").asText(node.id()), result.get(InterfaceOutputNode.VALUE));
            }
        }
        for (Map.Entry<String, OutputMapping> mapping : plan.graph().outputMappings().entrySet()) {
            PlanNode node = plan.node(mapping.getValue().nodeId());
            Map<String, JsonNode> result = nodes[node.index()].results;
            JsonNode value = result == null ? null : result.get(mapping.getValue().handle());
            outputs.set(mapping.getKey(), value == null ? NullNode.getInstance() : value);
        }
        RunStatus ended = interrupted ? RunStatus.INTERRUPTED : stopError != null ? RunStatus.FAILED : RunStatus.COMPLETED;
        done.complete(new RunOutcome(ended, outputs, interrupted ? "interrupted" : stopError));
    }

    /**
     * Only nodes waiting for a person are left: the run pauses (its decisions resume it), unless a
     * node already failed and stopped it — then the waits are dropped and the run fails.
     */
    private void pauseOrStop() {
        if (stopError == null) {
            done.complete(new RunOutcome(RunStatus.WAITING, JsonNodeFactory.instance.objectNode(), null));
            return;
        }
        for (PlanNode node : plan.nodes()) {
            if (nodes[node.index()].status == NodeStatus.WAITING) {
                end(node, NodeStatus.SKIPPED, null, null);
                settleAll(node, INACTIVE);
            }
        }
        waiting = 0;
        drain();
        finishIfDone();
    }

    @Override
    public Uni<Void> emit(String nodeId, String handle, JsonNode chunk) {
        StreamChannel channel;
        synchronized (this) {
            PlanNode node = plan.node(nodeId);
            int i = node.index();
            if (nodes[i].status != NodeStatus.RUNNING) {
                return Uni.createFrom().voidItem();
            }
            nodes[i].emitted = true;
            channel = nodes[i].channels == null ? null : nodes[i].channels.get(handle);
        }
        Uni<Void> toClients = listener.nodeYield(nodeId, handle, chunk);
        if (channel == null) {
            return toClients;
        }
        return Uni.combine().all().unis(toClients, channel.emit(chunk)).discardItems();
    }

    @Override
    public void progress(String nodeId, Double fraction, String message) {
        listener.nodeProgress(nodeId, fraction, message);
    }

    @Override
    public Uni<JsonNode> runNested(String nodeId, String workflowId, Graph graph, JsonNode nestedInputs,
            Cancellation cancellation) {
        if (scope.depth() + 1 > limits.maxDepth()) {
            return Uni.createFrom().failure(NodeFailure.permanent("sub-workflows nest deeper than " + limits.maxDepth()));
        }
        String cycle = scope.cycleThrough(workflowId);
        if (cycle != null) {
            return Uni.createFrom().failure(NodeFailure.permanent("the sub-workflow would run itself again: " + cycle));
        }
        Plan nested;
        try {
            nested = compiler.compile(graph);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(NodeFailure.permanent("the sub-workflow is not valid: " + e.getMessage()));
        }
        Span nodeSpan;
        synchronized (this) {
            nodeSpan = nodes[plan.node(nodeId).index()].span;
        }
        ExecutionRun run = new ExecutionRun(nested, executionId, nestedInputs, caller, scope.nested(workflowId),
                QUIET, limits, compiler, Map.of(), cache, spans.nested(nodeSpan), vertx);
        cancellation.onCancel(run::interrupt);
        return run.start().map(outcome -> {
            if (outcome.status() != RunStatus.COMPLETED) {
                throw NodeFailure.permanent("the sub-workflow " + outcome.status().name().toLowerCase() + ": "
                        + outcome.error());
            }
            return outcome.outputs();
        });
    }

    /** A sub-workflow's nodes are not recorded apart: the node that runs it is the unit recorded and resumed. */
    private static final RunListener QUIET = new RunListener() {
        @Override
        public void nodeStarted(String nodeId, int attempt, Instant at) {
        }

        @Override
        public void nodeEnded(NodeRecord record) {
        }

        @Override
        public Uni<Void> nodeYield(String nodeId, String handle, JsonNode chunk) {
            return Uni.createFrom().voidItem();
        }

        @Override
        public void nodeProgress(String nodeId, Double fraction, String message) {
        }

        @Override
        public void nodeWaiting(String nodeId, JsonNode request, Instant at) {
        }
    };

    /** One node's state during the run, guarded by the run's lock like the rest of its state. */
    private static final class NodeState {
        NodeStatus status = NodeStatus.PENDING;
        /** Incoming edges whose value (or skip) has not arrived yet. */
        int unsettled;
        /** Put in a ready queue (once: a node is launched once). */
        boolean queued;
        /** Its outputs came from the result cache. */
        boolean reused;
        /** Its span from its start to its end (null when not traced, and before and after). */
        Span span;
        int attempts;
        Instant startedAt;
        Map<String, JsonNode> results;
        /** The current attempt's cancellation (a retry's wait has its own). */
        Cancellation cancellation;
        /** Stops what the current attempt subscribed to (its node's work, or a retry's timer). */
        Cancellable subscription;
        /** The current attempt's timeout timer, 0 when none. */
        long timer;
        /** Whether the node already wrote to one of its streams (it cannot be retried then). */
        boolean emitted;
        Map<String, StreamChannel> channels;
        List<StreamChannel.Reader> readers;

        NodeState(int unsettled) {
            this.unsettled = unsettled;
        }
    }
}
