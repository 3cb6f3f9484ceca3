package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.suite.commons.net.OutboundClients;
import dev.suite.commons.net.OutboundException;
import dev.suite.commons.net.OutboundHttp;
import dev.suite.commons.net.UrlGuard;
import dev.suite.workflow.nodes.ConfigSchema;
import dev.suite.workflow.nodes.Handle;
import dev.suite.workflow.nodes.HandleType;
import dev.suite.workflow.nodes.NodeCall;
import dev.suite.workflow.nodes.NodeFailure;
import dev.suite.workflow.nodes.NodeSpec;
import dev.suite.workflow.nodes.NodeType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request to any site, through commons' guarded client: the URL must be http(s), every
 * address its host resolves to must be allowed (private networks only where
 * {@code SUITE_ALLOW_PRIVATE_NETWORKS} says, by default in local mode), and the connection goes
 * to a checked address. Redirects are not followed — a 3xx is the node's result. Bodies are read
 * up to a limit.
 */
@ApplicationScoped
public class HttpRequestNode implements NodeType {

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
    private static final NodeSpec SPEC = new NodeSpec("http_request", "integration", "Calls an HTTP endpoint",
            List.of(Handle.in("url", HandleType.STRING, false, "Overrides config.url"),
                    Handle.in("body", HandleType.ANY, false, "Sent as JSON (a string is sent as text)"),
                    Handle.in("headers", HandleType.OBJECT, false, "Added to config.headers")),
            List.of(Handle.out("status", HandleType.NUMBER, null),
                    Handle.out("body", HandleType.ANY, "Parsed JSON when the response is JSON, else text"),
                    Handle.out("headers", HandleType.OBJECT, null)),
            ConfigSchema.create().choice("method", false, METHODS, "Default GET")
                    .string("url", false, "http(s) URL; or feed the url input")
                    .object("headers", false, "Header names to values")
                    .value("body", false, "Default body")
                    .integer("max_response_bytes", false, 1, 10_485_760, "Default 1 MiB")
                    .bool("fail_on_status", false, "Fail on a 4xx/5xx answer (default true)"));

    private final OutboundHttp http;
    private final UrlGuard guard;
    private final ObjectMapper mapper;

    public HttpRequestNode(OutboundClients clients, ObjectMapper mapper) {
        this.http = clients.create(new HttpClientOptions().setConnectTimeout(10_000).setMaxPoolSize(64));
        this.guard = clients.guard();
        this.mapper = mapper;
    }

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    /** Not reused unless a node asks: it calls out: the same request may answer differently. */
    @Override
    public Caching caching() {
        return Caching.ON_REQUEST;
    }

    @Override
    public List<String> checkConfig(JsonNode config) {
        List<String> problems = new ArrayList<>();
        if (config.has("url")) {
            guard.syntaxProblem(config.get("url").asText()).ifPresent(p -> problems.add("config.url " + p));
        }
        config.path("headers").fields().forEachRemaining(h -> {
            if (!h.getValue().isTextual()) {
                problems.add("config.headers." + h.getKey() + " must be a string");
            }
        });
        return problems;
    }

    @Override
    public Uni<Map<String, JsonNode>> run(NodeCall call) {
        JsonNode config = call.config();
        String url = call.hasInput("url") ? call.input("url").asText() : config.path("url").asText(null);
        if (url == null) {
            return Uni.createFrom().failure(NodeFailure.permanent("no url: set config.url or feed the url input"));
        }
        Optional<String> syntax = guard.syntaxProblem(url);
        if (syntax.isPresent()) {
            return Uni.createFrom().failure(NodeFailure.permanent("url " + syntax.get()));
        }
        URI uri = URI.create(url);
        HttpMethod method = HttpMethod.valueOf(config.path("method").asText("GET"));
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        config.path("headers").fields().forEachRemaining(h -> headers.add(h.getKey(), h.getValue().asText()));
        call.input("headers").fields().forEachRemaining(h -> headers.add(h.getKey(), h.getValue().asText()));
        JsonNode body = call.hasInput("body") ? call.input("body") : config.get("body");
        boolean sendsBody = body != null && !body.isNull() && method != HttpMethod.GET && method != HttpMethod.HEAD;
        Buffer payload = sendsBody ? Buffer.buffer(body.isTextual() ? body.asText() : body.toString()) : null;
        if (sendsBody) {
            if (!headers.contains("Content-Type")) {
                headers.set("Content-Type", body.isTextual() ? "text/plain; charset=utf-8" : "application/json");
            }
        }
        int limit = config.path("max_response_bytes").asInt(1_048_576);
        boolean failOnStatus = config.path("fail_on_status").asBoolean(true);
        String host = uri.getHost();
        OutboundHttp.SendOptions options = OutboundHttp.SendOptions.DEFAULT
                .onRequest(request -> call.cancellation().onCancel(() -> request.reset()));
        return Uni.createFrom().completionStage(() -> http.send(method, uri, headers, payload, options)
                        .compose(response -> http.readBody(response, limit).map(received -> {
                            int status = response.statusCode();
                            if (failOnStatus && status >= 400) {
                                throw UpstreamFailures.status(host, status, received.toString());
                            }
                            ObjectNode answerHeaders = JsonNodeFactory.instance.objectNode();
                            response.headers().forEach(h -> answerHeaders.put(h.getKey().toLowerCase(), h.getValue()));
                            return Map.<String, JsonNode>of("status", IntNode.valueOf(status), "body",
                                    parse(response.getHeader("Content-Type"), received), "headers", answerHeaders);
                        }))
                        .toCompletionStage())
                .onFailure(OutboundException.class).transform(e -> failure(host, (OutboundException) e));
    }

    /** A refused URL or an oversized answer will not change on a retry; an unreachable site may. */
    private static NodeFailure failure(String host, OutboundException e) {
        return switch (e.kind()) {
            case REFUSED, TOO_LARGE, REDIRECTED -> NodeFailure.permanent(host + ": " + e.getMessage());
            case UNREACHABLE -> NodeFailure.transientFailure(host + ": " + e.getMessage());
        };
    }

    private JsonNode parse(String contentType, Buffer body) {
        if (contentType != null && contentType.contains("json")) {
            try {
                return mapper.readTree(body.getBytes());
            } catch (Exception e) {
                // declared JSON but is not: keep the text
            }
        }
        return TextNode.valueOf(body.toString());
    }
}
