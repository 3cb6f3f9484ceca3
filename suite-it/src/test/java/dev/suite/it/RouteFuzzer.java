package dev.suite.it;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Fuzzes every operation a service publishes in {@code /q/openapi}: malformed bodies (wrong types,
 * missing fields, wrong top-level JSON, deep nesting, overlong strings, lone surrogates, NUL), bad
 * path ids and query values, wrong content types, missing and foreign credentials, another user's
 * objects, concurrent duplicate creates and malformed uploads. A finding is a 5xx (other than an
 * upstream's 502/504 where the operation calls one), a 4xx that is not an RFC 9457 problem (or the
 * route's own protocol error: OpenAI's on {@code /v1}, JSON-RPC's on {@code /mcp}), a stack trace
 * or Java class name in a body, a 2xx for the other user's object, no answer, or a service that is
 * not ready afterwards.
 */
final class RouteFuzzer {

    record Finding(String service, String request, int status, String why, String body) {
        @Override
        public String toString() {
            return service + ": " + request + " -> " + status + ": " + why + (body.isEmpty() ? "" : "\n    " + body);
        }
    }

    record Operation(String method, String template, JsonNode spec) {
        boolean takesJson() {
            return spec.path("requestBody").path("content").has("application/json");
        }

        boolean takesMultipart() {
            return spec.path("requestBody").path("content").has("multipart/form-data");
        }

        List<String> params(String in) {
            List<String> names = new ArrayList<>();
            spec.path("parameters").forEach(p -> {
                if (in.equals(p.path("in").asText())) {
                    names.add(p.path("name").asText());
                }
            });
            return names;
        }
    }

    private static final Pattern JAVA_NAMES = Pattern.compile(
            "\\b(java|javax|jakarta|io\\.(vertx|quarkus|netty|smallrye)|org\\.(hibernate|jboss|mariadb)|com\\.fasterxml|dev\\.suite)"
                    + "\\.[a-z][\\w$]*(\\.[A-Za-z_$][\\w$]*)+|\\bat [\\w.$]+\\([\\w$]+\\.java:\\d+\\)");
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(15);
    private static final int MAX_TIMEOUTS = 3;

    private final String service;
    private final int port;
    private final JsonNode openapi;
    private final Map<String, String> owned;
    private final Map<String, List<String>> alsoAt;
    private final Predicate<String> callsUpstream;
    private final String aliceKey;
    private final String bobKey;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Finding> findings = new ArrayList<>();
    private int sent;
    private int timeouts;

    /**
     * @param owned         path template prefixes ending in a parameter (e.g. {@code /api/sessions/{id}})
     *                      to the id of an object of the first user
     * @param alsoAt        templates to further concrete paths whose bodies are fuzzed too (a built-in object)
     * @param callsUpstream templates of operations that reach an upstream, which may fail with 502/504
     */
    RouteFuzzer(String service, int port, JsonNode openapi, Map<String, String> owned, Map<String, List<String>> alsoAt,
            Predicate<String> callsUpstream, String aliceKey, String bobKey) {
        this.service = service;
        this.port = port;
        this.openapi = openapi;
        this.owned = owned;
        this.alsoAt = alsoAt;
        this.callsUpstream = callsUpstream;
        this.aliceKey = aliceKey;
        this.bobKey = bobKey;
    }

    int requestsSent() {
        return sent;
    }

    List<Finding> run() {
        List<Operation> operations = operations();
        // The other user first, while the first user's objects are all still there.
        for (Operation op : operations) {
            if (op.params("path").stream().anyMatch(p -> ownedId(op.template(), p) != null)) {
                send(op, "as the other user", path(op, null, null), baseline(op), "application/json", bobKey, true);
            }
        }
        for (Operation op : operations) {
            if (timeouts >= MAX_TIMEOUTS) {
                findings.add(new Finding(service, "(fuzzing stopped)", 0, MAX_TIMEOUTS + " requests were never answered", ""));
                break;
            }
            fuzz(op);
        }
        return findings;
    }

    private void fuzz(Operation op) {
        String path = path(op, null, null);
        String body = baseline(op);
        String type = op.takesMultipart() ? "multipart/form-data; boundary=fuzz" : "application/json";
        send(op, "without credentials", path, body, type, null, false);
        send(op, "with an unknown key", path, body, type, "Bearer not-a-key", false);
        send(op, "with a Basic header", path, body, type, "Basic YWxpY2U6YWxpY2Uta2V5", false);
        send(op, "with a 10 KB key", path, body, type, "Bearer " + "k".repeat(10_000), false);
        send(op, "with a 10 KB query", path + "?q=" + "q".repeat(10_000), body, type, aliceKey, false);
        send(op, "with 30 KB of headers", path, body, type, aliceKey + "\u0000" + "h".repeat(30_000), false);
        for (String param : op.params("path")) {
            for (String bad : Mutations.badIds()) {
                send(op, "path " + param + " = " + Mutations.shown(bad), path(op, param, bad), body, type, aliceKey, false);
            }
        }
        for (String param : op.params("query")) {
            for (String bad : Mutations.badQueryValues()) {
                send(op, "query " + param + " = " + Mutations.shown(bad), path + "?" + param + "=" + bad, body, type,
                        aliceKey, false);
            }
        }
        if (op.takesJson()) {
            List<String> paths = new ArrayList<>(List.of(path));
            paths.addAll(alsoAt.getOrDefault(op.template(), List.of()));
            for (String target : paths) {
                for (Mutations.Body variant : Mutations.bodies(baselineJson(op))) {
                    send(op, "body " + variant.name(), target, variant.text(), "application/json", aliceKey, false);
                }
            }
            for (String wrong : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x", "application/json; charset=latin-1")) {
                send(op, "content type " + wrong, path, body, wrong, aliceKey, false);
            }
            if (op.method().equals("POST") && op.params("path").isEmpty()) {
                duplicates(op, path, body);
            }
        }
        if (op.takesMultipart()) {
            uploads(op, path);
        }
    }

    /** The same create several times at once: a lost race must still be a 4xx (409), never a 500. */
    private void duplicates(Operation op, String path, String body) {
        List<CompletableFuture<Void>> racing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            racing.add(CompletableFuture.runAsync(() -> send(op, "concurrent duplicate create", path, body,
                    "application/json", aliceKey, false)));
        }
        racing.forEach(CompletableFuture::join);
    }

    private void uploads(Operation op, String path) {
        String part = "--fuzz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nhello\r\n";
        send(op, "a valid upload", path, part + "--fuzz--\r\n", "multipart/form-data; boundary=fuzz", aliceKey, false);
        send(op, "an unterminated multipart body", path, part + "--fuzz\r\nContent-Disposition: form-data; name=\"file\"; "
                + "filename=\"b.txt\"\r\n\r\nnever ends", "multipart/form-data; boundary=fuzz", aliceKey, false);
        send(op, "a 10 KB file name", path, part.replace("a.txt", "n".repeat(10_000)) + "--fuzz--\r\n",
                "multipart/form-data; boundary=fuzz", aliceKey, false);
        String boundary = "b".repeat(10_000);
        send(op, "a 10 KB boundary", path, part.replace("--fuzz", "--" + boundary) + "--" + boundary + "--\r\n",
                "multipart/form-data; boundary=" + boundary, aliceKey, false);
        send(op, "no boundary", path, part, "multipart/form-data", aliceKey, false);
        send(op, "headers without end", path, "--fuzz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c\"\r\n"
                + "X: " + "h".repeat(50_000), "multipart/form-data; boundary=fuzz", aliceKey, false);
    }

    private void send(Operation op, String label, String path, String body, String contentType, String authorization,
            boolean foreign) {
        String request = op.method() + " " + Mutations.shown(path.length() > 80 ? path.substring(0, 80) : path) + " "
                + label;
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(ANSWER_WITHIN);
        } catch (IllegalArgumentException e) {
            return; // not a URI the JDK sends; nothing reached the service
        }
        boolean hasBody = body != null && !op.method().equals("GET") && !op.method().equals("DELETE");
        builder.method(op.method(), hasBody ? HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)
                : HttpRequest.BodyPublishers.noBody());
        if (hasBody) {
            builder.header("Content-Type", contentType);
        }
        if (authorization != null) {
            // "key\0padding": the key, and a large header beside it.
            int padding = authorization.indexOf('\u0000');
            builder.header("Authorization", padding < 0 ? authorization : authorization.substring(0, padding));
            if (padding >= 0) {
                builder.header("X-Padding", authorization.substring(padding + 1));
            }
        }
        builder.header("Accept", "application/json, text/event-stream");
        synchronized (this) {
            sent++;
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            record(request, 0, "no answer within " + ANSWER_WITHIN.toSeconds() + " s", "");
            synchronized (this) {
                timeouts++;
            }
            return;
        } catch (IOException e) {
            record(request, 0, "the connection failed: " + e, "");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        check(op, request, response, foreign);
    }

    private void check(Operation op, String request, HttpResponse<InputStream> response, boolean foreign) {
        int status = response.statusCode();
        String type = response.headers().firstValue("Content-Type").orElse("");
        String body = "";
        try (InputStream in = response.body()) {
            // An event stream may never end: its head is enough.
            body = type.startsWith("text/event-stream") ? "" : new String(in.readNBytes(256 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            record(request, status, "the body broke off: " + e.getMessage(), "");
            return;
        }
        if (foreign && status / 100 == 2) {
            record(request, status, "the other user's object was served", body);
        }
        boolean upstreamFailure = (status == 502 || status == 504) && callsUpstream.test(op.template());
        if (status >= 500 && !upstreamFailure) {
            record(request, status, "a server error", body);
        } else if (status >= 400 && !errorShaped(op, status, type, body)) {
            record(request, status, "not a problem (" + (type.isEmpty() ? "no content type" : type) + ")", body);
        }
        var javaName = JAVA_NAMES.matcher(body);
        if (javaName.find()) {
            record(request, status, "the body names Java internals: " + javaName.group(), body);
        }
    }

    /** An RFC 9457 problem, or where the route speaks a protocol of its own, that protocol's error. */
    private static boolean errorShaped(Operation op, int status, String type, String body) {
        JsonNode json;
        try {
            json = body.isEmpty() ? null : Mutations.JSON.readTree(body);
        } catch (IOException e) {
            return false;
        }
        if (json == null || !json.isObject()) {
            return false;
        }
        if (type.startsWith("application/problem+json")) {
            return json.path("status").asInt() == status && json.path("title").isTextual();
        }
        if (op.template().startsWith("/v1/")) {
            return type.startsWith("application/json") && json.path("error").path("message").isTextual();
        }
        if (op.template().equals("/mcp") || op.template().startsWith("/mcp/servers/")) {
            return type.startsWith("application/json") && "2.0".equals(json.path("jsonrpc").asText())
                    && json.path("error").path("code").isInt();
        }
        return false;
    }

    private void record(String request, int status, String why, String body) {
        String excerpt = body.length() > 300 ? body.substring(0, 300) + "…" : body;
        synchronized (findings) {
            findings.add(new Finding(service, request, status, why, excerpt.replace('\n', ' ')));
        }
    }

    /** The path with each parameter filled: the first user's object where one is known, else a fresh id. */
    private String path(Operation op, String badParam, String badValue) {
        String path = op.template();
        for (String param : op.params("path")) {
            String value = param.equals(badParam) ? badValue : ownedId(op.template(), param);
            if (value == null) {
                value = "01890a5d-ac96-774b-bcce-b302099a8057";
            }
            path = path.replace("{" + param + "}", value);
        }
        return path;
    }

    private String ownedId(String template, String param) {
        String best = null;
        for (String prefix : owned.keySet()) {
            if (template.startsWith(prefix) && prefix.endsWith("{" + param + "}")
                    && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? null : owned.get(best);
    }

    private JsonNode baselineJson(Operation op) {
        JsonNode media = op.spec().path("requestBody").path("content").path("application/json");
        if (media.has("example")) {
            return media.get("example");
        }
        return Mutations.instance(media.path("schema"), openapi.path("components"), 0);
    }

    private String baseline(Operation op) {
        if (op.takesJson()) {
            return baselineJson(op).toString();
        }
        return op.takesMultipart() ? "--fuzz--\r\n" : null;
    }

    private List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = openapi.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : List.of("get", "post", "put", "patch", "delete")) {
                JsonNode spec = path.getValue().get(method);
                if (spec != null) {
                    JsonNode merged = spec.deepCopy();
                    // Parameters declared for the whole path apply to each operation.
                    if (path.getValue().has("parameters")) {
                        ((com.fasterxml.jackson.databind.node.ObjectNode) merged).withArray("parameters")
                                .addAll((com.fasterxml.jackson.databind.node.ArrayNode) path.getValue().get("parameters"));
                    }
                    operations.add(new Operation(method.toUpperCase(Locale.ROOT), path.getKey(), merged));
                }
            }
        }
        return operations;
    }
}
