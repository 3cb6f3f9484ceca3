package dev.suite.commons.calls;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.problem.ProblemType;
import dev.suite.commons.testing.FakeLlm;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared streaming client against a fake llm-service speaking OpenAI's stream format. */
class ChatStreamClientTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Caller ALICE = new Caller("alice", "Bearer alice-key", "req-7");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static Vertx vertx;
    private static FakeLlm llm;
    private static URI llmUrl;
    private static ChatStreamClient client;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        llm = new FakeLlm(vertx);
        llmUrl = URI.create("http://127.0.0.1:" + llm.start());
        client = new ChatStreamClient(vertx, target(llmUrl), 4_096);
    }

    @AfterAll
    static void stop() {
        client.close();
        vertx.close();
    }

    @BeforeEach
    void reset() {
        llm.reset();
    }

    @Test
    void characterSplitAcrossReadsComeBackWholeWithTheUsage() {
        List<String> pieces = new CopyOnWriteArrayList<>();
        ChatStreamClient.Answer answer = client.stream(ALICE, body("bytewise-echo", "绿茶は最高 🍵 — ça va"),
                piece -> {
                    pieces.add(piece);
                    return Uni.createFrom().voidItem();
                }).await().atMost(WAIT);
        assertEquals("绿茶は最高 🍵 — ça va", answer.text());
        assertEquals(String.join("", pieces), answer.text());
        assertEquals(5, answer.usageCount("completion_tokens"));
        assertEquals("Bearer alice-key", llm.authorizations.get(0));
        assertTrue(llm.requests.get(0).getBoolean("stream"));
    }

    @Test
    void aSlowSinkGetsEveryPieceInOrderOneAtATime() {
        AtomicBoolean taking = new AtomicBoolean();
        List<String> pieces = new CopyOnWriteArrayList<>();
        String words = "one two three four five six seven eight nine ten";
        ChatStreamClient.Answer answer = client.stream(ALICE, body("echo", words), piece -> {
            assertFalse(taking.getAndSet(true), "a piece was handed on while the last was not taken");
            pieces.add(piece);
            CompletableFuture<Void> taken = new CompletableFuture<>();
            vertx.setTimer(5, t -> {
                taking.set(false);
                taken.complete(null);
            });
            return Uni.createFrom().completionStage(taken);
        }).await().atMost(WAIT);
        assertEquals(words, answer.text());
        assertEquals(10, pieces.size());
    }

    @Test
    void aSinkThatStopsEndsTheStreamWithWhatCameSoFar() {
        List<String> pieces = new CopyOnWriteArrayList<>();
        ChatStreamClient.Answer answer = client.stream(ALICE, body("slow-echo", "a b c d e f g h"),
                new ChatStreamClient.DeltaSink() {
                    @Override
                    public Uni<Void> take(String piece) {
                        pieces.add(piece);
                        return Uni.createFrom().voidItem();
                    }

                    @Override
                    public boolean stopped() {
                        return pieces.size() >= 2;
                    }
                }).await().atMost(WAIT);
        assertEquals("a b", answer.text());
        assertNull(answer.usage());
        await().atMost(WAIT).until(() -> llm.cutShort.get() == 1);
    }

    @Test
    void cancellingTheCallResetsTheRequest() {
        List<String> pieces = new CopyOnWriteArrayList<>();
        var running = client.stream(ALICE, body("slow-echo", "a b c d e f g h i j k l"), piece -> {
            pieces.add(piece);
            return Uni.createFrom().voidItem();
        }).subscribe().with(answer -> { }, failure -> { });
        await().atMost(WAIT).until(() -> pieces.size() >= 2);
        running.cancel();
        await().atMost(WAIT).until(() -> llm.cutShort.get() == 1);
    }

    @Test
    void failuresAreProblemsWithTheServicesStatusAndDetail() throws Exception {
        ProblemException missing = failure(client, "missing-cfg");
        assertEquals(ProblemType.UPSTREAM, missing.type());
        assertEquals(404, missing.upstreamStatus());
        assertEquals("llm-service answered 404: The model 'missing-cfg' does not exist or you do not have access to it.",
                missing.getMessage());
        assertEquals(500, failure(client, "broken-cfg").upstreamStatus());
        ProblemException midStream = failure(client, "failing-cfg");
        assertEquals("llm-service failed mid-stream: The provider went away.", midStream.getMessage());

        ChatStreamClient narrow = new ChatStreamClient(vertx, target(llmUrl), 64);
        try {
            assertEquals("llm-service sent an event over 64 bytes.", failure(narrow, "echo").getMessage());
        } finally {
            narrow.close();
        }

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        ChatStreamClient away = new ChatStreamClient(vertx, target(URI.create("http://127.0.0.1:" + closed)), 4_096);
        try {
            ProblemException unreachable = failure(away, "echo");
            assertEquals(ProblemType.UNAVAILABLE, unreachable.type());
            assertEquals("llm-service is unreachable; try again shortly.", unreachable.getMessage());
            assertTrue(ServiceFailures.unreachable(unreachable));
        } finally {
            away.close();
        }
    }

    private static ProblemException failure(ChatStreamClient with, String model) {
        return assertThrows(ProblemException.class, () -> with.stream(ALICE, body(model, "a long answer of many words"),
                piece -> Uni.createFrom().voidItem()).await().atMost(WAIT));
    }

    private static ObjectNode body(String model, String prompt) {
        ObjectNode body = MAPPER.createObjectNode().put("model", model);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        body.putObject("stream_options").put("include_usage", true);
        return body;
    }

    private static ServiceTarget target(URI url) {
        return new ServiceTarget("llm-service", url, Duration.ofSeconds(2), Duration.ofSeconds(10), 8);
    }
}
