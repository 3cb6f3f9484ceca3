package dev.suite.workflow.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.calls.Caller;
import dev.suite.commons.crypto.SecretBox;
import dev.suite.commons.db.Times;
import dev.suite.commons.ids.Ids;
import dev.suite.commons.problem.FieldError;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.Violations;
import dev.suite.commons.timer.Cron;
import dev.suite.workflow.WorkflowSettings;
import dev.suite.workflow.executions.ExecutionService;
import dev.suite.workflow.triggers.dto.TriggerRequest;
import dev.suite.workflow.workflows.WorkflowService;
import dev.suite.workflow.triggers.dto.TriggerResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The rules of triggers: each kind's settings checked (and another kind's refused), the workflow and
 * the inputs of a run checked as a submit would, a cap per user, the webhook secret and the
 * creator's credentials sealed, and the replicas told (a schedule's next tick put in Redis, event
 * triggers read again).
 */
@ApplicationScoped
public class TriggerService {

    private static final Logger LOG = Logger.getLogger(TriggerService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_FILTER_FIELDS = 20;

    /** Settings that belong to one kind only. */
    private static final Map<String, List<String>> SETTINGS_OF = Map.of(
            Trigger.SCHEDULE, List.of("cron", "time_zone", "missed"),
            Trigger.WEBHOOK, List.of("secret", "respond_within_seconds"),
            Trigger.EVENT, List.of("event_type", "filter"));

    private final TriggerStore store;
    private final ExecutionService executions;
    private final WorkflowService workflows;
    private final ScheduledTriggers schedules;
    private final EventTriggers events;
    private final SecretBox secrets;
    private final WorkflowSettings settings;
    private final Validator validator;
    private final ObjectMapper mapper;

    public TriggerService(TriggerStore store, ExecutionService executions, WorkflowService workflows, ScheduledTriggers schedules,
            EventTriggers events, SecretBox secrets, WorkflowSettings settings, Validator validator, ObjectMapper mapper) {
        this.store = store;
        this.executions = executions;
        this.workflows = workflows;
        this.schedules = schedules;
        this.events = events;
        this.secrets = secrets;
        this.settings = settings;
        this.validator = validator;
        this.mapper = mapper;
    }

    public Uni<TriggerResponse> create(Caller caller, String workflowId, TriggerRequest request) {
        String triggerId = Ids.newId();
        String secret = Trigger.WEBHOOK.equals(request.kind) && request.secret == null
                ? HexFormat.of().formatHex(randomBytes()) : request.secret;
        return checked(caller.ownerId(), workflowId, request).chain(cron -> store.count(caller.ownerId()).chain(count -> {
            if (count >= settings.maxTriggersPerUser()) {
                return Uni.createFrom().failure(ProblemException.conflict("You have " + count + " triggers, the most allowed "
                        + "(suite.workflow.max-triggers-per-user); delete one first."));
            }
            Instant now = Times.now();
            Trigger trigger = trigger(triggerId, caller, workflowId, request, cron, secret, null, now, now);
            return store.insert(trigger).replaceWith(trigger);
        })).call(this::announce).map(t -> {
            TriggerResponse view = view(t);
            // A generated secret is shown once, now; one the caller chose is theirs already.
            return request.secret == null && secret != null ? view.withSecret(secret) : view;
        });
    }

    public Uni<TriggerResponse> replace(Caller caller, String workflowId, String triggerId, TriggerRequest request) {
        return found(caller.ownerId(), workflowId, triggerId).chain(existing -> {
            if (!existing.kind().equals(request.kind)) {
                return Uni.createFrom().failure(ProblemException.invalidField("kind", "cannot change (it is "
                        + existing.kind() + "); create another trigger"));
            }
            return checked(caller.ownerId(), workflowId, request).chain(cron -> {
                // A webhook keeps its secret unless a new one is given.
                String secret = request.secret != null ? request.secret
                        : existing.sealedSecret() == null ? null : secrets.open(existing.sealedSecret(), triggerId);
                Trigger trigger = trigger(triggerId, caller, workflowId, request, cron, secret, existing, existing.createdAt(),
                        Times.now());
                return store.replace(trigger).chain(replaced -> replaced ? found(caller.ownerId(), workflowId, triggerId)
                        : Uni.createFrom().failure(ProblemException.notFound("Trigger")));
            });
        }).call(this::announce).map(this::view);
    }

    public Uni<Void> delete(String ownerId, String workflowId, String triggerId) {
        return found(ownerId, workflowId, triggerId)
                .chain(t -> store.delete(ownerId, workflowId, triggerId).replaceWith(t))
                .chain(t -> Trigger.SCHEDULE.equals(t.kind()) ? schedules.arm(triggerId, null).onFailure().recoverWithNull()
                        : Trigger.EVENT.equals(t.kind()) ? events.refresh() : Uni.createFrom().voidItem());
    }

    public Uni<TriggerResponse> get(String ownerId, String workflowId, String triggerId) {
        return found(ownerId, workflowId, triggerId).map(this::view);
    }

    public Uni<List<TriggerResponse>> list(String ownerId, String workflowId) {
        return workflows.get(ownerId, workflowId, null).chain(() -> store.ofWorkflow(ownerId, workflowId)).map(all -> all.stream().map(this::view).toList());
    }

    private Uni<Trigger> found(String ownerId, String workflowId, String triggerId) {
        if (!Ids.isId(triggerId) || !Ids.isId(workflowId)) {
            return Uni.createFrom().failure(ProblemException.notFound("Trigger"));
        }
        return store.find(ownerId, workflowId, triggerId).map(t -> t.orElseThrow(() -> ProblemException.notFound("Trigger")));
    }

    /** The schedule's cron (null for other kinds), once every setting is valid for the kind and the workflow takes the inputs. */
    private Uni<Cron> checked(String ownerId, String workflowId, TriggerRequest request) {
        List<FieldError> errors = new ArrayList<>(Violations.fieldErrors(validator.validate(request)));
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.validation(errors));
        }
        JsonNode given = mapper.valueToTree(request);
        SETTINGS_OF.forEach((kind, names) -> {
            if (!kind.equals(request.kind)) {
                names.stream().filter(name -> given.hasNonNull(name))
                        .forEach(name -> errors.add(new FieldError(name, "is not a setting of a " + request.kind + " trigger")));
            }
        });
        if (request.inputs != null && !request.inputs.isNull() && !request.inputs.isObject()) {
            errors.add(new FieldError("inputs", "must be an object of input values by name"));
        }
        Cron cron = null;
        switch (request.kind) {
            case Trigger.SCHEDULE -> cron = cronOf(request, errors);
            case Trigger.WEBHOOK -> {
                if (request.respondWithinSeconds != null && request.respondWithinSeconds > settings.webhookMaxWait().toSeconds()) {
                    errors.add(new FieldError("respond_within_seconds", "must be at most " + settings.webhookMaxWait().toSeconds()));
                }
            }
            default -> {
                if (request.eventType == null || !EventTriggers.CATALOG.containsKey(request.eventType)) {
                    errors.add(new FieldError("event_type", "must be one of " + EventTriggers.CATALOG.keySet().stream().sorted().toList()));
                }
                checkFilter(request.filter, errors);
            }
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.validation(errors));
        }
        // A schedule's runs take exactly these inputs; an event trigger's add the event as "event".
        JsonNode inputs = request.inputs;
        if (Trigger.EVENT.equals(request.kind)) {
            ObjectNode withEvent = request.inputs instanceof ObjectNode own ? own.deepCopy() : mapper.createObjectNode();
            withEvent.putObject("event");
            inputs = withEvent;
        }
        // A webhook's inputs come with each call: only the workflow (and version) is checked when it is saved.
        Uni<Void> runs = Trigger.WEBHOOK.equals(request.kind)
                ? workflows.get(ownerId, workflowId, request.version).replaceWithVoid()
                : executions.checkRun(ownerId, workflowId, request.version, inputs);
        Cron parsed = cron;
        return runs.replaceWith(parsed);
    }

    private static Cron cronOf(TriggerRequest request, List<FieldError> errors) {
        if (request.cron == null) {
            errors.add(new FieldError("cron", "is required for a schedule"));
            return null;
        }
        ZoneId zone = ZoneOffset.UTC;
        try {
            zone = Cron.zone(request.timeZone);
        } catch (Cron.InvalidException e) {
            errors.add(new FieldError(e.field(), e.getMessage()));
        }
        try {
            return Cron.parse(request.cron, zone);
        } catch (Cron.InvalidException e) {
            errors.add(new FieldError(e.field(), e.getMessage()));
            return null;
        }
    }

    private static void checkFilter(JsonNode filter, List<FieldError> errors) {
        if (filter == null || filter.isNull()) {
            return;
        }
        if (!filter.isObject() || filter.size() > MAX_FILTER_FIELDS) {
            errors.add(new FieldError("filter", "must be an object of at most " + MAX_FILTER_FIELDS + " fields"));
            return;
        }
        filter.fields().forEachRemaining(field -> {
            if (field.getValue().isContainerNode()) {
                errors.add(new FieldError("filter." + field.getKey(), "must be a string, number, boolean or null"));
            }
        });
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private Trigger trigger(String triggerId, Caller caller, String workflowId, TriggerRequest r, Cron cron, String secret,
            Trigger existing, Instant createdAt, Instant now) {
        boolean enabled = r.enabled == null || r.enabled;
        boolean schedule = Trigger.SCHEDULE.equals(r.kind);
        boolean webhook = Trigger.WEBHOOK.equals(r.kind);
        return new Trigger(triggerId, caller.ownerId(), workflowId, r.version, r.kind, r.name.strip(), enabled,
                r.priority == null ? 5 : r.priority, r.inputs == null || r.inputs.isNull() ? null : r.inputs,
                schedule ? cron.expression() : null, schedule ? cron.zone().getId() : null,
                schedule ? (r.missed == null ? "catch_up_once" : r.missed) : null,
                schedule && enabled ? cron.next(now) : null,
                webhook ? secrets.seal(secret, triggerId) : null,
                webhook ? (int) Math.min(r.respondWithinSeconds == null ? 10_000L : r.respondWithinSeconds * 1000L,
                        settings.webhookMaxWait().toMillis()) : null,
                Trigger.EVENT.equals(r.kind) ? r.eventType : null, Trigger.EVENT.equals(r.kind) ? r.filter : null,
                caller.authorization() == null ? null : secrets.seal(caller.authorization(), triggerId),
                existing == null ? null : existing.lastFiredAt(), existing == null ? null : existing.lastExecutionId(),
                null, existing == null ? 0 : existing.fires(), createdAt, now);
    }

    /** Tells the replicas of a saved trigger: its next tick in Redis, or the event triggers read again. */
    private Uni<Void> announce(Trigger trigger) {
        if (Trigger.SCHEDULE.equals(trigger.kind())) {
            // Redis away: the tick is restored from MySQL once it is back.
            return schedules.arm(trigger.triggerId(), trigger.nextRunAt()).onFailure().recoverWithItem(e -> {
                LOG.warnf("Schedule %s not put in Redis (restored later): %s", trigger.triggerId(), e.getMessage());
                return null;
            });
        }
        return Trigger.EVENT.equals(trigger.kind()) ? events.refresh() : Uni.createFrom().voidItem();
    }

    TriggerResponse view(Trigger t) {
        boolean webhook = Trigger.WEBHOOK.equals(t.kind());
        return new TriggerResponse(t.triggerId(), t.workflowId(), t.kind(), t.name(), t.enabled(), t.version(), t.priority(),
                t.inputs(), t.cron(), t.timeZone(), t.missed(), t.nextRunAt(),
                webhook ? "/api/hooks/" + t.triggerId() : null, webhook ? t.sealedSecret() != null : null, null,
                webhook && t.respondWithinMs() != null ? t.respondWithinMs() / 1000 : null, t.eventType(), t.filter(),
                t.lastFiredAt(), t.lastExecutionId(), t.lastError(), t.fires(), t.createdAt(), t.updatedAt());
    }
}
