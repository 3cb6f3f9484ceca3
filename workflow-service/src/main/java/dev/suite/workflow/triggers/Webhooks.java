package dev.suite.workflow.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.crypto.SecretBox;
import dev.suite.commons.ids.Ids;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.ProblemType;
import dev.suite.commons.tracing.Traces;
import dev.suite.workflow.WorkflowSettings;
import dev.suite.workflow.executions.ExecutionService;
import dev.suite.workflow.executions.ExecutionStatus;
import dev.suite.workflow.executions.dto.ExecutionResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * Calls of webhook triggers. A call is signed with the trigger's secret: {@code X-Suite-Signature:
 * t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">}, its time within
 * {@code suite.workflow.webhook-tolerance} of now (older ones are refused as replays). The body, a
 * JSON object, is added to the trigger's inputs. A call names its delivery in
 * {@code X-Suite-Delivery} (a sender's retry of it starts nothing new); without one, the signature
 * names it. The answer waits for the run up to the trigger's {@code respond_within_seconds}: 200
 * with the execution and its outputs once it ended, else 202 with its id.
 */
@ApplicationScoped
public class Webhooks {

    public static final String SIGNATURE = "X-Suite-Signature";
    public static final String DELIVERY = "X-Suite-Delivery";
    private static final int MAX_DELIVERY = 180;
    private static final Duration FIRST_LOOK = Duration.ofMillis(20);
    private static final Duration LONGEST_LOOK = Duration.ofMillis(250);

    private final TriggerStore store;
    private final TriggerFiring firing;
    private final ExecutionService executions;
    private final SecretBox secrets;
    private final WorkflowSettings settings;
    private final ObjectMapper mapper;

    public Webhooks(TriggerStore store, TriggerFiring firing, ExecutionService executions, SecretBox secrets,
            WorkflowSettings settings, ObjectMapper mapper) {
        this.store = store;
        this.firing = firing;
        this.executions = executions;
        this.secrets = secrets;
        this.settings = settings;
        this.mapper = mapper;
    }

    /** The run a call started: ended (with outputs) or still going when the wait was over. */
    public record Answer(ExecutionResponse execution, boolean ended) {
    }

    public Uni<Answer> call(String triggerId, String signature, String delivery, byte[] body) {
        if (!Ids.isId(triggerId)) {
            return Uni.createFrom().failure(ProblemException.notFound("Webhook"));
        }
        // The run continues the trace of this call (its sender's, when it sent a traceparent).
        String traceParent = Traces.current();
        return store.byId(triggerId).chain(found -> {
            Trigger trigger = found.filter(t -> Trigger.WEBHOOK.equals(t.kind()))
                    .orElseThrow(() -> ProblemException.notFound("Webhook"));
            String signed = verified(trigger, signature, body);
            if (!trigger.enabled()) {
                throw ProblemException.conflict("This webhook is disabled.");
            }
            if (delivery != null && (delivery.isBlank() || delivery.length() > MAX_DELIVERY
                    || !delivery.chars().allMatch(c -> c > 32 && c < 127))) {
                throw ProblemException.invalidField(DELIVERY, "must be 1 to " + MAX_DELIVERY + " visible ASCII characters");
            }
            ObjectNode inputs = bodyOf(body);
            Duration wait = trigger.respondWithinMs() == null ? Duration.ofSeconds(10) : Duration.ofMillis(trigger.respondWithinMs());
            long deadline = System.nanoTime() + wait.toNanos();
            return firing.fire(trigger, delivery != null ? "delivery:" + delivery : "signature:" + signed, inputs, traceParent)
                    .chain(fired -> awaitEnd(trigger.ownerId(), fired.execution().executionId(), deadline, FIRST_LOOK));
        });
    }

    /** The call's signature, checked against the trigger's secret; 401 when it is missing, stale or wrong. */
    private String verified(Trigger trigger, String header, byte[] body) {
        String t = null;
        String v1 = null;
        for (String part : header == null ? new String[0] : header.split(",")) {
            String[] pair = part.trim().split("=", 2);
            if (pair.length == 2 && pair[0].equals("t")) {
                t = pair[1];
            } else if (pair.length == 2 && pair[0].equals("v1")) {
                v1 = pair[1];
            }
        }
        if (t == null || v1 == null || !t.matches("[0-9]{1,12}") || !v1.matches("[0-9a-fA-F]{64}")) {
            throw unsigned(SIGNATURE + " must be t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">");
        }
        long age = Math.abs(Instant.now().getEpochSecond() - Long.parseLong(t));
        if (age > settings.webhookTolerance().toSeconds()) {
            throw unsigned("The signature's time is " + age + " s from now; at most "
                    + settings.webhookTolerance().toSeconds() + " s are accepted.");
        }
        byte[] expected = hmac(secrets.open(trigger.sealedSecret(), trigger.triggerId()), t, body);
        if (!MessageDigest.isEqual(expected, HexFormat.of().parseHex(v1.toLowerCase()))) {
            throw unsigned("The signature does not match the body and this webhook's secret.");
        }
        return v1.toLowerCase();
    }

    static byte[] hmac(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    private static ProblemException unsigned(String detail) {
        return new ProblemException(ProblemType.UNAUTHORIZED, detail, List.of(), null, null);
    }

    private ObjectNode bodyOf(byte[] body) {
        if (body == null || body.length == 0) {
            return mapper.createObjectNode();
        }
        JsonNode parsed;
        try {
            parsed = mapper.readTree(body);
        } catch (Exception e) {
            throw ProblemException.invalidField("body", "must be a JSON object (the run's inputs)");
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw ProblemException.invalidField("body", "must be a JSON object (the run's inputs)");
        }
        return object;
    }

    /** The execution once it ended, or as it is when the deadline passes; looks more rarely as it waits. */
    private Uni<Answer> awaitEnd(String ownerId, String executionId, long deadline, Duration step) {
        return executions.summary(ownerId, executionId).chain(e -> {
            boolean ended = ExecutionStatus.isFinal(e.status());
            if (ended || System.nanoTime() >= deadline) {
                return Uni.createFrom().item(new Answer(e, ended));
            }
            Duration next = step.multipliedBy(2).compareTo(LONGEST_LOOK) > 0 ? LONGEST_LOOK : step.multipliedBy(2);
            return Uni.createFrom().voidItem().onItem().delayIt().by(step)
                    .chain(() -> awaitEnd(ownerId, executionId, deadline, next));
        });
    }
}
