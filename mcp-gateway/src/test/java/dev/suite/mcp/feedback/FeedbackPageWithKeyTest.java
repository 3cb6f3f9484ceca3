package dev.suite.mcp.feedback;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static dev.suite.mcp.TestUsers.ALICE;
import static dev.suite.mcp.TestUsers.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With api keys the page still works in a browser, which cannot authenticate a WebSocket upgrade:
 * it trades the key for a single-use ticket. A socket with neither header nor ticket is refused.
 */
@QuarkusTest
class FeedbackPageWithKeyTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void thePageWorksWithAKeyHandedToIt() throws Exception {
        FeedbackPageBrowserTest.answerFromThePage(base, ALICE + "-key", "feedback/#token=" + ALICE + "-key");
    }

    @Test
    void aSocketWithoutCredentialsIsClosedAndATicketIsGoodOnce() throws Exception {
        String ws = base.toString().replace("http", "ws") + "ws/feedback";
        assertEquals(1008, closeCode(ws));
        String ticket = as(ALICE).post("/api/mcp/feedback/socket-ticket").then().statusCode(200)
                .extract().path("ticket");
        ToolbarTest.Socket page = new ToolbarTest.Socket();
        page.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(ws + "?ticket=" + ticket),
                page).get(10, TimeUnit.SECONDS);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> page.heard("\"type\":\"pending\""));
        assertEquals(1008, closeCode(ws + "?ticket=" + ticket), "a ticket is good once");
    }

    private static int closeCode(String url) throws Exception {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                closed.complete(-1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        return closed.get(10, TimeUnit.SECONDS);
    }
}
