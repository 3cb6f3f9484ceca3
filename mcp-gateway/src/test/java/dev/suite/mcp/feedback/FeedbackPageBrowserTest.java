package dev.suite.mcp.feedback;

import dev.suite.mcp.NodeServers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole loop in a real browser: an agent calls collect_feedback, the page (headless
 * Chromium) shows the request with its Markdown rendered and its HTML inert, the person attaches
 * an image, types and sends, and the tool returns the answer. Local mode: the page needs no login.
 */
@QuarkusTest
@TestProfile(FeedbackPageBrowserTest.Local.class)
class FeedbackPageBrowserTest {

    public static class Local implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("suite.auth.mode", "local");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void aPersonAnswersAnAgentFromTheFeedbackPage() throws Exception {
        answerFromThePage(base, "unused-in-local-mode", "feedback/");
    }

    /** The agent calls as {@code agentKey}; the browser opens {@code page} (which may carry #token=). */
    static void answerFromThePage(URL base, String agentKey, String page) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "needs Debian's chromium (apt-get install chromium)");
        String marker = "marker-" + UUID.randomUUID();
        String summary = "## Review\nIs the **new header** right? " + marker
                + "\n<script>window.pwned = true</script><img src=x onerror=\"window.pwned = true\">";
        CompletableFuture<JsonObject> agent = CompletableFuture.supplyAsync(() -> {
            String out = NodeServers.runScript("sdk-client.mjs", Map.of("MCP_TOKEN", agentKey,
                    "FEEDBACK_SUMMARY", summary, "FEEDBACK_TIMEOUT", "90"), Duration.ofMinutes(2), base + "mcp", "feedback");
            return new JsonObject(out.strip().lines().reduce((a, b) -> b).orElse("{}"));
        });

        String browser = NodeServers.runScript("browser-feedback.mjs", Map.of(), Duration.ofMinutes(2),
                base + page, marker, "The header is fine; see the screenshot.");
        JsonObject shown = new JsonObject(browser.strip().lines().reduce((a, b) -> b).orElse("{}"));
        assertNull(shown.getString("error"), shown.encode());
        assertTrue(shown.getInteger("strong") >= 1, "Markdown rendered: " + shown.encode());
        assertEquals(0, shown.getInteger("script_tags"), shown.encode());
        assertFalse(shown.getBoolean("pwned"), "no script from the summary ran");
        assertNull(shown.getString("dialog"));
        assertTrue(shown.getString("summary_text").contains("<script>"), "shown as text: " + shown.encode());

        JsonObject answer = agent.get(60, TimeUnit.SECONDS);
        JsonArray content = answer.getJsonArray("content");
        assertEquals("The header is fine; see the screenshot.", content.getJsonObject(0).getString("text"), answer.encode());
        assertEquals("image/png", content.getJsonObject(1).getString("mime_type"));
    }
}
