package dev.suite.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.core.ConditionTimeoutException;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One user's way through every service, made the way the front ends make it: plain HTTP, an SSE
 * stream and WebSockets, as user {@code local} (the suite in {@code local} identity mode, so no
 * credentials). It knows nothing of where the services run: {@code uris} turns a path with its
 * query into an absolute {@code http://} URI, so the same scenario runs against the API gateway
 * and against the services started directly. Names carry a per-run suffix, so it can run again and
 * again against the same suite and databases.
 *
 * <p>Each step is bounded ({@link #STEP}): every request, stream read and poll gets what is left
 * of its step's time, and a failure names the route, its status and its body.
 */
public final class SuiteScenario {

    /** Time for one step, generous for a busy two-core machine. */
    static final Duration STEP = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DONE = "[DONE]";
    /** Queued after a stream's or socket's last event; neither JSON nor SSE data looks like it. */
    private static final String CLOSED = "<closed>";

    private final Function<String, URI> uris;
    private final String mcpServerUrl;
    private final HttpClient http = HttpClient.newBuilder()
            // What a browser speaks to a plain-http origin; a gateway need not offer h2c.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private Instant deadline = Instant.now().plus(STEP);

    /**
     * @param uris         a path with its query ({@code /api/llm/configs}, {@code /ws/sessions?x=y}) to an
     *                     absolute {@code http://} URI; a socket's URI is the same with the scheme {@code ws}
     * @param mcpServerUrl the Streamable HTTP endpoint ({@code …/mcp}) of a running server-everything
     */
    public SuiteScenario(Function<String, URI> uris, String mcpServerUrl) {
        this.uris = uris;
        this.mcpServerUrl = mcpServerUrl;
    }

    /** The whole scenario, step by step; the echo config of the first step drives the workflow. */
    public void run() throws Exception {
        String echoConfig = chatStreamsTheEchoOfThePrompt();
        sessionMessagesArriveLiveOnTheSocket(echoConfig);
        workflowAnswersThroughItsLlmNode(echoConfig);
        imageTaskResizesAnUploadedPicture();
        mcpToolIsCalledThroughTheGateway();
    }

    /**
     * llm-service: an {@code echo} config, found by name in {@code /v1/models}, and a streamed chat
     * completion read as it arrives: OpenAI chunks, word by word, then {@code [DONE]}.
     *
     * @return the config's id
     */
    public String chatStreamsTheEchoOfThePrompt() throws Exception {
        startStep();
        String name = "scenario-echo-" + run;
        JsonNode config = send("POST", "/api/llm/configs", Map.of("name", name, "provider", "echo"), 201);
        String configId = text(config, "config_id");
        assertEquals("echo", config.path("provider").asText(), config.toString());
        assertFalse(config.has("api_key"), "a config never shows a key: " + config);

        JsonNode models = send("GET", "/v1/models", null, 200);
        assertTrue(StreamSupport.stream(models.path("data").spliterator(), false)
                .anyMatch(model -> model.path("id").asText().equals(name)), "GET /v1/models lists " + name + ": " + models);

        String prompt = "The suite scenario " + run + " echoes this sentence, word by word.";
        SseStream stream = openSse("/v1/chat/completions", Map.of("model", name, "stream", true,
                "messages", List.of(Map.of("role", "user", "content", prompt))));
        String first = stream.next();
        assertEquals(200, stream.status(), "POST /v1/chat/completions (stream) answered " + stream.status() + ": " + first);
        assertTrue(stream.contentType().startsWith("text/event-stream"), "content type " + stream.contentType());
        List<JsonNode> chunks = new ArrayList<>();
        for (String data = first; !data.equals(DONE); data = stream.next()) {
            assertFalse(data.startsWith(CLOSED), "the stream ended without data: [DONE]; events: " + stream.seen);
            chunks.add(JSON.readTree(data));
        }
        assertEquals(CLOSED, stream.next(), "nothing follows data: [DONE]");

        assertTrue(chunks.size() >= 3, "several chunks, not one: " + chunks);
        String completionId = chunks.get(0).path("id").asText();
        StringBuilder content = new StringBuilder();
        for (JsonNode chunk : chunks) {
            assertEquals("chat.completion.chunk", chunk.path("object").asText(), chunk.toString());
            assertEquals(completionId, chunk.path("id").asText(), "one completion id: " + chunk);
            assertTrue(chunk.path("created").isNumber() && chunk.hasNonNull("model"), chunk.toString());
            JsonNode choice = chunk.path("choices").path(0);
            assertEquals(0, choice.path("index").asInt(-1), chunk.toString());
            assertTrue(choice.path("delta").isObject(), chunk.toString());
            content.append(choice.path("delta").path("content").asText(""));
        }
        assertEquals("assistant", chunks.get(0).path("choices").path(0).path("delta").path("role").asText(), chunks.toString());
        assertEquals("stop", chunks.get(chunks.size() - 1).path("choices").path(0).path("finish_reason").asText(), chunks.toString());
        long pieces = chunks.stream().filter(c -> !c.path("choices").path(0).path("delta").path("content").asText("").isEmpty()).count();
        assertTrue(pieces > 1, "the answer comes in pieces: " + chunks);
        assertEquals(prompt, content.toString(), "the joined deltas are the echo of the prompt");
        return configId;
    }

    /**
     * session-service: a session followed on {@code /ws/sessions}; messages appended over REST
     * arrive as {@code message.created} events, and the list shows them in conversation order.
     */
    public void sessionMessagesArriveLiveOnTheSocket(String echoConfig) throws Exception {
        startStep();
        String title = "Scenario " + run;
        JsonNode session = send("POST", "/api/sessions",
                Map.of("title", title, "session_type", "agent", "llm_config_id", echoConfig), 201);
        String sessionId = text(session, "session_id");
        assertEquals(title, session.path("title").asText(), session.toString());

        Frames frames = new Frames();
        WebSocket socket = openSocket("/ws/sessions", frames);
        try {
            sendFrame(socket, Map.of("type", "subscribe", "session_ids", List.of(sessionId)));
            JsonNode subscribed = frames.await("subscribed", f -> f.path("type").asText().equals("subscribed"));
            assertEquals(List.of(sessionId), strings(subscribed.path("session_ids")), subscribed.toString());

            String question = "What does the scenario " + run + " check?";
            JsonNode user = send("POST", "/api/sessions/" + sessionId + "/messages",
                    Map.of("role", "user", "content", question, "token_count", 5), 201);
            JsonNode userEvent = frames.await("message.created of the user message", messageCreated(sessionId, text(user, "message_id")));
            assertEquals(question, userEvent.path("data").path("content").asText(), userEvent.toString());

            String answer = "Every service, once.";
            JsonNode assistant = send("POST", "/api/sessions/" + sessionId + "/messages",
                    Map.of("role", "assistant", "content", answer, "token_count", 7), 201);
            assertEquals(text(user, "message_id"), assistant.path("parent_id").asText(), "an append continues the branch: " + assistant);
            assertEquals(12, assistant.path("acc_token").asInt(), "acc_token sums the branch: " + assistant);
            frames.await("message.created of the assistant message", messageCreated(sessionId, text(assistant, "message_id")));

            JsonNode page = send("GET", "/api/sessions/" + sessionId + "/messages", null, 200);
            List<JsonNode> items = list(page.path("items"));
            assertEquals(List.of("user", "assistant"), items.stream().map(m -> m.path("role").asText()).toList(), page.toString());
            assertEquals(List.of(question, answer), items.stream().map(m -> m.path("content").asText()).toList(), page.toString());
            assertEquals(List.of(text(user, "message_id"), text(assistant, "message_id")),
                    items.stream().map(m -> m.path("message_id").asText()).toList(), page.toString());
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    /**
     * workflow-service: a saved graph {@code interface_input → llm_chat (echo) → interface_output},
     * run over REST and followed until it completes with the echo as its output.
     */
    public void workflowAnswersThroughItsLlmNode(String echoConfig) throws Exception {
        startStep();
        JsonNode graph = JSON.readTree("""
                {"name": "Scenario echo %s",
                 "nodes": [{"id": "in", "type": "interface_input", "config": {"name": "prompt"}},
                           {"id": "chat", "type": "llm_chat", "config": {"model": "%s"}},
                           {"id": "out", "type": "interface_output", "config": {"name": "answer"}}],
                 "edges": [{"id": "e1", "source": "in", "source_handle": "value", "target": "chat", "target_handle": "prompt"},
                           {"id": "e2", "source": "chat", "source_handle": "text", "target": "out", "target_handle": "value"}],
                 "interface_inputs": [{"name": "prompt", "type": "string", "required": true}]}
                """.formatted(run, echoConfig));
        JsonNode workflow = send("POST", "/api/workflows", graph, 201);
        String workflowId = text(workflow, "workflow_id");
        assertEquals(1, workflow.path("version").asInt(), workflow.toString());

        String prompt = "Workflow " + run + " asks the echo model to repeat this.";
        JsonNode accepted = send("POST", "/api/workflows/" + workflowId + "/run", Map.of("inputs", Map.of("prompt", prompt)), 202);
        String executionId = text(accepted, "execution_id");

        Set<String> ended = Set.of("completed", "failed", "interrupted");
        JsonNode execution = poll("/api/executions/" + executionId, "execution " + executionId + " to end",
                e -> ended.contains(e.path("status").asText()));
        assertEquals("completed", execution.path("status").asText(), execution.toString());
        assertEquals(prompt, execution.path("outputs").path("answer").asText(), execution.toString());
        assertEquals(workflowId, execution.path("workflow_id").asText(), execution.toString());
        List<JsonNode> nodes = list(execution.path("nodes"));
        assertEquals(Set.of("in", "chat", "out"), nodes.stream().map(n -> n.path("node_id").asText()).collect(Collectors.toSet()),
                execution.toString());
        assertTrue(nodes.stream().allMatch(n -> n.path("status").asText().equals("completed")), execution.toString());
    }

    /**
     * task-service: a PNG made here is uploaded, resized by an image task through the
     * {@code process} shorthand, and its output downloaded and decoded.
     */
    public void imageTaskResizesAnUploadedPicture() throws Exception {
        startStep();
        byte[] png = picture(64, 48);
        JsonNode uploaded = upload("/api/v1/files", "scenario-" + run + ".png", "image/png", png);
        JsonNode file = uploaded.path("items").path(0);
        String fileId = text(file, "file_id");
        assertEquals(png.length, file.path("size").asLong(), uploaded.toString());
        assertEquals(sha256(png), file.path("sha256").asText(), uploaded.toString());

        JsonNode task = send("POST", "/api/v1/process/image", Map.of("input_file_ids", List.of(fileId),
                "params", Map.of("operation", "resize", "width", 32, "format", "png")), 201);
        String taskId = text(task, "task_id");
        assertEquals("image", task.path("type").asText(), task.toString());

        Set<String> ended = Set.of("COMPLETED", "FAILED", "CANCELLED");
        JsonNode done = poll("/api/v1/tasks/" + taskId, "task " + taskId + " to finish", t -> ended.contains(t.path("state").asText()));
        assertEquals("COMPLETED", done.path("state").asText(), done.toString());
        assertEquals(100, done.path("progress").asInt(), done.toString());
        JsonNode result = done.path("result");
        assertEquals(32, result.path("width").asInt(), "resized keeping the aspect: " + done);
        assertEquals(24, result.path("height").asInt(), "resized keeping the aspect: " + done);

        String outputPath = "/api/v1/files/" + text(result, "file_id");
        HttpResponse<byte[]> download = exchange(request("GET", outputPath, null), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode(), "GET " + outputPath + ": " + new String(download.body(), StandardCharsets.UTF_8));
        assertEquals(sha256(download.body()), download.headers().firstValue("X-Checksum-SHA256").orElse(null), "checksum of " + outputPath);
        BufferedImage resized = ImageIO.read(new ByteArrayInputStream(download.body()));
        assertNotNull(resized, "GET " + outputPath + " is an image");
        assertEquals(32, resized.getWidth());
        assertEquals(24, resized.getHeight());
    }

    /**
     * mcp-gateway: server-everything registered over Streamable HTTP, its tools listed, its
     * {@code echo} tool called over REST; the registration is removed again once that passed.
     */
    public void mcpToolIsCalledThroughTheGateway() throws Exception {
        startStep();
        JsonNode server = send("POST", "/api/mcp/servers",
                Map.of("name", "scenario-everything-" + run, "type", "http-stream", "url", mcpServerUrl), 201);
        String serverId = text(server, "server_id");
        JsonNode tools = send("GET", "/api/mcp/servers/" + serverId + "/tools", null, 200);
        JsonNode echo = list(tools.path("tools")).stream().filter(t -> t.path("name").asText().equals("echo")).findFirst()
                .orElseThrow(() -> new AssertionError("server-everything offers echo: " + tools));
        assertTrue(echo.path("inputSchema").path("properties").has("message"), "MCP spelling, with its schema: " + echo);

        String message = "scenario " + run + " through the gateway";
        JsonNode result = send("POST", "/api/mcp/servers/" + serverId + "/tools/echo/call", Map.of("message", message), 200);
        assertFalse(result.path("isError").asBoolean(false), result.toString());
        assertEquals("text", result.path("content").path(0).path("type").asText(), result.toString());
        assertEquals("Echo: " + message, result.path("content").path(0).path("text").asText(), result.toString());

        // The caller stops its server-everything: a registration left behind would only fail its health checks.
        send("DELETE", "/api/mcp/servers/" + serverId, null, 204);
        send("GET", "/api/mcp/servers/" + serverId, null, 404);
    }

    // --- HTTP and JSON ---------------------------------------------------------------------

    private void startStep() {
        deadline = Instant.now().plus(STEP);
    }

    /** What is left of the current step; fails once it is spent. */
    private Duration remaining() {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            fail("the step ran out of its " + STEP.toSeconds() + " s");
        }
        return left;
    }

    private HttpRequest.Builder request(String method, String path, Object body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uris.apply(path)).header("Accept", "application/json");
        if (body == null) {
            return request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    }

    /** Sends, bounded by the step's deadline (headers and body alike). */
    private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) throws Exception {
        HttpRequest built = request.build();
        CompletableFuture<HttpResponse<T>> response = http.sendAsync(built, body);
        try {
            return response.get(remaining().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            response.cancel(true);
            throw new AssertionError(built.method() + " " + built.uri() + ": no answer before the step's deadline", e);
        } catch (ExecutionException e) {
            throw new AssertionError(built.method() + " " + built.uri() + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** A JSON request; answers the JSON body (null when empty) after checking the status. */
    private JsonNode send(String method, String path, Object body, int expected) throws Exception {
        HttpResponse<String> response = exchange(request(method, path, body), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        return response.body().isEmpty() ? null : JSON.readTree(response.body());
    }

    /** GETs {@code path} until {@code done} holds for its body, within the step's deadline. */
    private JsonNode poll(String path, String what, Predicate<JsonNode> done) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        try {
            await().atMost(remaining()).pollDelay(Duration.ZERO).pollInterval(POLL).until(() -> {
                last.set(send("GET", path, null, 200));
                return done.test(last.get());
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("waited in vain for " + what + "; last GET " + path + ": " + last.get(), e);
        }
        return last.get();
    }

    /** One part, {@code file}, of a multipart/form-data upload. */
    private JsonNode upload(String path, String fileName, String contentType, byte[] content) throws Exception {
        String boundary = "scenario-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(uris.apply(path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), "POST " + path + " (multipart) answered " + response.statusCode() + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static String text(JsonNode node, String field) {
        assertTrue(node != null && node.path(field).isTextual() && !node.path(field).asText().isEmpty(), "no " + field + " in " + node);
        return node.path(field).asText();
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static List<String> strings(JsonNode array) {
        return list(array).stream().map(JsonNode::asText).toList();
    }

    // --- SSE -----------------------------------------------------------------------------------

    private SseStream openSse(String path, Object body) throws Exception {
        SseStream stream = new SseStream(path);
        HttpRequest request = request("POST", path, body).header("Accept", "text/event-stream").build();
        // The handler sees the head as soon as it arrives; the lines follow as the server writes them.
        http.sendAsync(request, head -> {
            stream.head = head;
            return HttpResponse.BodySubscribers.fromLineSubscriber(stream);
        });
        return stream;
    }

    /** An SSE response read as it arrives: each event's {@code data} into a queue, then {@link #CLOSED}. */
    private final class SseStream implements Flow.Subscriber<String> {

        private final String path;
        private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        private final StringBuilder data = new StringBuilder();
        private final List<String> seen = new ArrayList<>();
        private volatile HttpResponse.ResponseInfo head;
        /** Touched by the HTTP client's thread only. */
        private boolean hasData;

        SseStream(String path) {
            this.path = path;
        }

        int status() {
            return head == null ? -1 : head.statusCode();
        }

        String contentType() {
            return head == null ? "" : head.headers().firstValue("Content-Type").orElse("");
        }

        /** The next event's data, or {@link #CLOSED} once the stream ended. */
        String next() throws InterruptedException {
            String event = events.poll(remaining().toMillis(), TimeUnit.MILLISECONDS);
            if (event == null) {
                fail("POST " + path + ": no further SSE event before the step's deadline; so far " + seen);
            }
            seen.add(event);
            return event;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.isEmpty()) {
                flush();
            } else if (line.startsWith("data:")) {
                String value = line.substring(5);
                data.append(hasData ? "\n" : "").append(value.startsWith(" ") ? value.substring(1) : value);
                hasData = true;
            } else if (!line.startsWith(":") && status() != 200) {
                data.append(line); // an error body that is not SSE at all
                hasData = true;
            }
        }

        private void flush() {
            if (hasData) {
                events.add(data.toString());
                data.setLength(0);
                hasData = false;
            }
        }

        @Override
        public void onError(Throwable error) {
            flush();
            events.add(CLOSED + " " + error);
        }

        @Override
        public void onComplete() {
            flush();
            events.add(CLOSED);
        }
    }

    // --- WebSocket -----------------------------------------------------------------------------

    private WebSocket openSocket(String path, Frames frames) throws Exception {
        URI http = uris.apply(path);
        URI ws = URI.create(http.toString().replaceFirst("^http", "ws"));
        CompletableFuture<WebSocket> opening = this.http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(ws, frames);
        try {
            return opening.get(remaining().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("opening " + ws + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            opening.cancel(true);
            throw new AssertionError("opening " + ws + ": no answer before the step's deadline", e);
        }
    }

    private void sendFrame(WebSocket socket, Object frame) throws Exception {
        socket.sendText(JSON.writeValueAsString(frame), true).get(remaining().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Predicate<JsonNode> messageCreated(String sessionId, String messageId) {
        return f -> f.path("type").asText().equals("message.created") && f.path("subject").asText().equals(sessionId)
                && f.path("data").path("message_id").asText().equals(messageId);
    }

    /** Text frames of a socket, whole, in a queue; an error frame or the close fails a wait. */
    private final class Frames implements WebSocket.Listener {

        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final List<String> seen = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence text, boolean last) {
            partial.append(text);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            received.add(CLOSED + " " + status + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            received.add(CLOSED + " " + error);
        }

        /** The first frame, from now on, that {@code wanted} accepts; frames before it are passed over. */
        JsonNode await(String what, Predicate<JsonNode> wanted) throws Exception {
            while (true) {
                String text = received.poll(remaining().toMillis(), TimeUnit.MILLISECONDS);
                if (text == null) {
                    fail("no " + what + " on the socket before the step's deadline; frames so far: " + seen);
                }
                seen.add(text);
                if (text.startsWith(CLOSED)) {
                    fail("the socket closed while waiting for " + what + ": " + seen);
                }
                JsonNode frame = JSON.readTree(text);
                if (frame.path("type").asText().equals("error")) {
                    fail("the socket answered an error while waiting for " + what + ": " + text);
                }
                if (wanted.test(frame)) {
                    return frame;
                }
            }
        }
    }

    // --- Pictures ------------------------------------------------------------------------------

    /** A PNG of two halves, red and blue, drawn in memory (no display needed). */
    private static byte[] picture(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, x < width / 2 ? 0xFF0000 : 0x0000FF);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, "png", out), "a PNG writer is there");
        return out.toByteArray();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
