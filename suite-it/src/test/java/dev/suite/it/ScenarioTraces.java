package dev.suite.it;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link SuiteScenario} leaves in the collector when tracing is on: its workflow run is one trace
 * from the gateway through workflow-service's execution and its LLM node to llm-service; its image
 * task is one trace from the create through the gateway to the attempt a worker ran.
 */
final class ScenarioTraces {

    private static final int SERVER = 2;
    private static final int CONSUMER = 5;

    private ScenarioTraces() {
    }

    static void assertTraced(OtlpReceiver collector) {
        List<OtlpReceiver.Span> workflow = traceOf(collector, s -> s.service().equals("workflow-service")
                && s.name().equals("node llm_chat"), Set.of("api-gateway", "workflow-service", "llm-service"));
        OtlpReceiver.Span root = rootOf(workflow);
        assertEquals("api-gateway", root.service(), "the run starts at the gateway: " + describe(workflow));
        assertTrue(workflow.stream().anyMatch(s -> s.service().equals("workflow-service") && s.kind() == CONSUMER
                && s.name().startsWith("execution ")), "the execution's run is in the trace: " + describe(workflow));
        assertTrue(workflow.stream().anyMatch(s -> s.service().equals("llm-service") && s.kind() == SERVER),
                "llm-service served the node's call in the trace: " + describe(workflow));

        List<OtlpReceiver.Span> task = traceOf(collector, s -> s.service().equals("task-service") && s.kind() == CONSUMER
                && s.name().equals("task image"), Set.of("api-gateway", "task-service"));
        assertEquals("api-gateway", rootOf(task).service(), "the task's trace starts at the gateway: " + describe(task));
        assertTrue(task.stream().anyMatch(s -> s.service().equals("task-service") && s.kind() == SERVER),
                "the create is in the task's trace: " + describe(task));
    }

    /**
     * The trace of the first span that matches, once it holds spans of every one of these services
     * and is whole: one that never gets whole lost its context at some hop.
     */
    private static List<OtlpReceiver.Span> traceOf(OtlpReceiver collector, Predicate<OtlpReceiver.Span> oneOfIt,
            Set<String> services) {
        return await("a trace with spans of " + services).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> collector.spans().stream().filter(oneOfIt).findFirst()
                                .map(span -> collector.trace(span.traceId())).orElse(List.of()),
                        trace -> trace.stream().map(OtlpReceiver.Span::service).collect(Collectors.toSet()).containsAll(services)
                                && whole(trace));
    }

    /** Every span's parent has arrived too (batches reach the collector at their own pace), and a root. */
    private static boolean whole(List<OtlpReceiver.Span> trace) {
        Set<String> ids = trace.stream().map(OtlpReceiver.Span::spanId).collect(Collectors.toSet());
        return trace.stream().anyMatch(s -> s.parentSpanId() == null)
                && trace.stream().allMatch(s -> s.parentSpanId() == null || ids.contains(s.parentSpanId()));
    }

    private static OtlpReceiver.Span rootOf(List<OtlpReceiver.Span> trace) {
        List<OtlpReceiver.Span> roots = trace.stream().filter(s -> s.parentSpanId() == null).toList();
        assertEquals(1, roots.size(), "one root: " + describe(trace));
        return roots.get(0);
    }

    private static String describe(List<OtlpReceiver.Span> trace) {
        return trace.stream().map(s -> s.service() + ":" + s.name() + "(" + s.spanId() + "<-" + s.parentSpanId() + ")")
                .collect(Collectors.joining(", "));
    }
}
