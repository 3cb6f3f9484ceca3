package dev.suite.workflow.triggers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.calls.Caller;
import dev.suite.commons.crypto.SecretBox;
import dev.suite.commons.db.Times;
import dev.suite.commons.problem.ProblemException;
import dev.suite.workflow.executions.ExecutionService;
import dev.suite.workflow.executions.dto.ExecutionRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Starts the run of a trigger's firing, for the trigger's owner with the credentials sealed when it
 * was saved, and records on the trigger what the firing started or why it started nothing. A firing
 * is named by a key (the tick, the delivery, the event id): fired twice, it starts one execution.
 */
@ApplicationScoped
public class TriggerFiring {

    private static final Logger LOG = Logger.getLogger(TriggerFiring.class);

    private final TriggerStore store;
    private final ExecutionService executions;
    private final SecretBox secrets;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;

    public TriggerFiring(TriggerStore store, ExecutionService executions, SecretBox secrets, ObjectMapper mapper,
            MeterRegistry registry) {
        this.store = store;
        this.executions = executions;
        this.secrets = secrets;
        this.mapper = mapper;
        this.registry = registry;
    }

    /**
     * Starts the run of this firing, with {@code added} inputs over the trigger's own, in the trace
     * {@code traceParent} names (null: a trace of its own).
     */
    public Uni<ExecutionService.Fired> fire(Trigger trigger, String key, ObjectNode added, String traceParent) {
        ExecutionRequest request = new ExecutionRequest();
        request.workflowId = trigger.workflowId();
        request.version = trigger.version();
        request.priority = trigger.priority();
        ObjectNode inputs = trigger.inputs() instanceof ObjectNode own ? own.deepCopy() : mapper.createObjectNode();
        if (added != null) {
            inputs.setAll(added);
        }
        request.inputs = inputs;
        Caller caller = new Caller(trigger.ownerId(), trigger.sealedCallerAuth() == null ? null
                : secrets.open(trigger.sealedCallerAuth(), trigger.triggerId()), null);
        return executions.fire(caller, request, new ExecutionService.Firing(trigger.triggerId(), key, traceParent))
                .call(fired -> fired.earlier() ? Uni.createFrom().voidItem()
                        : store.fired(trigger.triggerId(), Times.now(), fired.execution().executionId(), null))
                .invoke(fired -> registry.counter("workflow.trigger.fired", "kind", trigger.kind(),
                        "outcome", fired.earlier() ? "repeated" : "started").increment())
                .onFailure().call(e -> {
                    registry.counter("workflow.trigger.fired", "kind", trigger.kind(), "outcome", "refused").increment();
                    String why = e instanceof ProblemException problem ? describe(problem) : "the run could not be started";
                    LOG.infof("Trigger %s fired but started nothing: %s", trigger.triggerId(), e.getMessage());
                    return store.fired(trigger.triggerId(), Times.now(), null, why).onFailure().recoverWithNull();
                });
    }

    private static String describe(ProblemException problem) {
        String text = problem.getMessage() + (problem.errors().isEmpty() ? "" : " " + problem.errors().stream()
                .map(e -> e.field() + " " + e.message()).toList());
        return text.length() > 500 ? text.substring(0, 500) : text;
    }
}
