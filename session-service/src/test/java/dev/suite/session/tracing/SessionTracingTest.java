package dev.suite.session.tracing;

import dev.suite.commons.testing.RecordedSpans;
import dev.suite.session.Upstreams;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.suite.session.TestUsers.ALICE;
import static dev.suite.session.TestUsers.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A roundtable's turns call llm-service in the trace of the message that started them. */
@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class SessionTracingTest {

    @Test
    void aRoundtableTurnCarriesTheTraceOfTheMessageThatStartedIt() {
        String id = as(ALICE).body(Map.of("title", "Traced", "topic", "tea", "max_rounds", 1,
                        "participants", List.of(Map.of("name", "Ada", "llm_config_id", "echo-traced",
                                "role_prompt", "You are Ada.", "moderator", false))))
                .post("/api/roundtables").then().statusCode(201).extract().<String>path("roundtable_id");
        String traceId = "3c4d5e6f708192a3b4c5d6e7f8091a2b";
        int before = Upstreams.llm.traceparents.size();
        as(ALICE).header("traceparent", "00-" + traceId + "-0102030405060708-01").body(Map.of("content", "hello"))
                .post("/api/roundtables/" + id + "/messages").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                as(ALICE).get("/api/roundtables/" + id).then().extract().path("status"), equalTo("idle"));
        List<String> sent = Upstreams.llm.traceparents.subList(before, Upstreams.llm.traceparents.size());
        assertTrue(sent.stream().anyMatch(t -> t.startsWith("00-" + traceId + "-")),
                "the turn's call to llm-service continues the trace: " + sent);
        // The call is a client span of this service in that trace, and the fake got its id as parent.
        SpanData call = RecordedSpans.awaitSpan(s -> s.getTraceId().equals(traceId) && s.getKind() == SpanKind.CLIENT
                && sent.stream().anyMatch(t -> t.contains("-" + s.getSpanId() + "-")));
        assertTrue(RecordedSpans.inTrace(traceId).stream().anyMatch(s -> s.getKind() == SpanKind.SERVER), call.toString());
    }
}
