package dev.suite.commons.net;

import dev.suite.commons.testing.ScriptedDns;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.Handler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboundHttpTest {

    private static Vertx vertx;
    private static ScriptedDns dns;
    private static final List<HttpServerRequest> SEEN = new CopyOnWriteArrayList<>();
    private static final AtomicLong ENDLESS_SENT = new AtomicLong();
    private static volatile boolean endlessClosed;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        dns = new ScriptedDns(new SystemHostResolver(vertx));
        port = listen(request -> {
            SEEN.add(request);
            switch (request.path()) {
                case "/ok" -> request.response().end("ok");
                case "/to-metadata" -> request.response().setStatusCode(302)
                        .putHeader("Location", "http://169.254.169.254/latest/meta-data/").end();
                case "/to-other-origin" -> request.response().setStatusCode(307)
                        .putHeader("Location", "http://localhost:" + port + "/headers").end();
                case "/to-same-origin" -> request.response().setStatusCode(307).putHeader("Location", "/headers").end();
                case "/loop" -> request.response().setStatusCode(302).putHeader("Location", "/loop").end();
                case "/headers" -> request.response().end(String.valueOf(request.getHeader("Authorization"))
                        + "|" + request.getHeader("X-Api-Key") + "|" + request.getHeader("Accept"));
                case "/endless" -> endless(request);
                default -> request.response().setStatusCode(404).end();
            }
        });
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    private static int listen(Handler<HttpServerRequest> handler) throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return server.actualPort();
    }

    private static void endless(HttpServerRequest request) {
        request.response().setChunked(true);
        request.connection().closeHandler(v -> endlessClosed = true);
        Buffer chunk = Buffer.buffer("x".repeat(64 * 1024));
        vertx.setPeriodic(1, id -> {
            if (endlessClosed) {
                vertx.cancelTimer(id);
                return;
            }
            while (!request.response().writeQueueFull()) {
                request.response().write(chunk);
                ENDLESS_SENT.addAndGet(chunk.length());
            }
        });
    }

    private static OutboundHttp client(boolean allowPrivate, boolean reveal) {
        UrlGuard guard = new UrlGuard(allowPrivate);
        return new OutboundHttp(vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(500)), guard,
                new PinnedAddresses(guard, dns, Duration.ofSeconds(30)), reveal, 1024 * 1024, 4096);
    }

    /**
     * Runs a call on an event loop, as the services make theirs: handlers set in its callbacks are
     * set before the response's next event (from the test's own thread they could come too late).
     */
    private static <T> T result(Supplier<Future<T>> call) throws Exception {
        Promise<T> promise = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> call.get().onComplete(promise));
        try {
            return promise.future().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static String body(OutboundHttp http, String url, MultiMap headers, OutboundHttp.SendOptions options)
            throws Exception {
        return result(() -> http.send(HttpMethod.GET, URI.create(url), headers, null, options)
                .compose(response -> http.readBody(response))).toString();
    }

    @Test
    void aNameThatRebindsAfterTheCheckIsNeverReachedAtItsNewAddress() throws Exception {
        // First answer public (a documentation address nothing answers on), then loopback: the old
        // check-then-connect would have passed the check and connected to the second answer.
        ScriptedDns.script("flip.rebind.test", "192.0.2.10", "127.0.0.1");
        SEEN.clear();
        OutboundException e = assertThrows(OutboundException.class, () -> body(client(false, false),
                "http://flip.rebind.test:" + port + "/ok", MultiMap.caseInsensitiveMultiMap(), OutboundHttp.SendOptions.DEFAULT));
        assertEquals(OutboundException.Kind.UNREACHABLE, e.kind());
        assertEquals(1, ScriptedDns.lookups("flip.rebind.test"), "one lookup per request, no second one at connect");
        assertTrue(SEEN.isEmpty(), "the loopback server was never reached");
    }

    @Test
    void aNameWithAnyRefusedAddressIsRefusedBeforeConnecting() {
        ScriptedDns.script("private.rebind.test", "10.0.0.7");
        OutboundException e = assertThrows(OutboundException.class, () -> body(client(false, false),
                "http://private.rebind.test/", MultiMap.caseInsensitiveMultiMap(), OutboundHttp.SendOptions.DEFAULT));
        assertEquals(OutboundException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("not allowed"), e.getMessage());
    }

    @Test
    void theCheckedAddressIsWhereTheRequestGoesAndTheNameStaysInTheHostHeader() throws Exception {
        // 127.0.0.2 refuses (the server listens on 127.0.0.1 only): the next checked address is tried.
        ScriptedDns.script("local.rebind.test", "127.0.0.2,127.0.0.1");
        SEEN.clear();
        assertEquals("ok", body(client(true, true), "http://local.rebind.test:" + port + "/ok",
                MultiMap.caseInsensitiveMultiMap(), OutboundHttp.SendOptions.DEFAULT));
        assertEquals("local.rebind.test:" + port, SEEN.get(0).getHeader("Host"));
    }

    @Test
    void everyRedirectHopIsCheckedAgain() {
        OutboundException e = assertThrows(OutboundException.class, () -> body(client(true, true),
                "http://127.0.0.1:" + port + "/to-metadata", MultiMap.caseInsensitiveMultiMap(),
                OutboundHttp.SendOptions.DEFAULT.redirects(5, Set.of())));
        assertEquals(OutboundException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("169.254.169.254"), e.getMessage());
    }

    @Test
    void redirectsAreFollowedOnlyWhenAskedAndOnlySoMany() throws Exception {
        OutboundHttp http = client(true, true);
        int status = result(() -> http.send(HttpMethod.GET, URI.create("http://127.0.0.1:" + port + "/to-metadata"),
                MultiMap.caseInsensitiveMultiMap(), null).map(response -> response.statusCode()));
        assertEquals(302, status);
        OutboundException e = assertThrows(OutboundException.class, () -> body(http, "http://127.0.0.1:" + port + "/loop",
                MultiMap.caseInsensitiveMultiMap(), OutboundHttp.SendOptions.DEFAULT.redirects(3, Set.of())));
        assertEquals(OutboundException.Kind.REDIRECTED, e.kind());
    }

    @Test
    void credentialsStayWithTheirOrigin() throws Exception {
        OutboundHttp http = client(true, true);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("Authorization", "Bearer secret")
                .set("X-Api-Key", "k").set("Accept", "text/plain");
        OutboundHttp.SendOptions options = OutboundHttp.SendOptions.DEFAULT.redirects(5, Set.of("Accept"));
        assertEquals("Bearer secret|k|text/plain", body(http, "http://127.0.0.1:" + port + "/to-same-origin", headers, options));
        assertEquals("null|null|text/plain", body(http, "http://127.0.0.1:" + port + "/to-other-origin", headers, options));
    }

    @Test
    void anEndlessBodyIsCutAtTheLimitAndItsConnectionClosed() {
        OutboundHttp http = client(true, true);
        OutboundException e = assertThrows(OutboundException.class, () -> body(http, "http://127.0.0.1:" + port + "/endless",
                MultiMap.caseInsensitiveMultiMap(), OutboundHttp.SendOptions.DEFAULT));
        assertEquals(OutboundException.Kind.TOO_LARGE, e.kind());
        await().atMost(Duration.ofSeconds(10)).until(() -> endlessClosed);
        assertTrue(ENDLESS_SENT.get() < 64L * 1024 * 1024, "the upstream stopped early: " + ENDLESS_SENT.get());
    }

    @Test
    void connectionFailuresSayLittleOutsideLocalMode() throws Exception {
        int closed = freePort();
        OutboundException quiet = assertThrows(OutboundException.class, () -> body(client(true, false),
                "http://127.0.0.1:" + closed + "/", MultiMap.caseInsensitiveMultiMap(), OutboundHttp.SendOptions.DEFAULT));
        assertEquals("http://127.0.0.1:" + closed + " could not be reached", quiet.getMessage());
        OutboundException told = assertThrows(OutboundException.class, () -> body(client(true, true),
                "http://127.0.0.1:" + closed + "/", MultiMap.caseInsensitiveMultiMap(), OutboundHttp.SendOptions.DEFAULT));
        assertTrue(told.getMessage().toLowerCase().contains("refused"), told.getMessage());
    }

    @Test
    void unresolvableNamesLookLikeUnreachableOnesOutsideLocalMode() {
        OutboundException e = assertThrows(OutboundException.class, () -> body(client(false, false),
                "http://missing.rebind.test/", MultiMap.caseInsensitiveMultiMap(), OutboundHttp.SendOptions.DEFAULT));
        assertEquals(OutboundException.Kind.UNREACHABLE, e.kind());
        assertFalse(e.getMessage().contains("resolve"), e.getMessage());
        assertNull(e.getCause());
        assertInstanceOf(RuntimeException.class, e);
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
