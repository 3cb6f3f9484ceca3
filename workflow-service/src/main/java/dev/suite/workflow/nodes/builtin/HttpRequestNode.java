package dev.suite.workflow.nodes.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.suite.commons.identity.AuthConfig;
import dev.suite.commons.identity.AuthMode;
import dev.suite.commons.net.UrlGuard;
import dev.suite.workflow.WorkflowSettings;
import dev.suite.workflow.nodes.ConfigSchema;
import dev.suite.workflow.nodes.Handle;
import dev.suite.workflow.nodes.HandleType;
import dev.suite.workflow.nodes.NodeCall;
import dev.suite.workflow.nodes.NodeFailure;
import dev.suite.workflow.nodes.NodeSpec;
import dev.suite.workflow.nodes.NodeType;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request to any site, behind the SSRF guard: the URL must be http(s) and every address
 * its host resolves to must be public (unless {@code suite.workflow.http.allow-private-networks};
 * on by default only in local mode). Redirects are not followed — a public URL could redirect to a
 * private one — so a 3xx is the node's result. Bodies are read up to a limit.
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

    private final HttpClient client;
    private final UrlGuard guard;
    private final ObjectMapper mapper;

    public HttpRequestNode(Vertx vertx, ObjectMapper mapper, AuthConfig auth, WorkflowSettings settings) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000).setMaxPoolSize(64));
        this.guard = new UrlGuard(settings.http().allowPrivateNetworks().orElse(auth.mode() == AuthMode.LOCAL));
        this.mapper = mapper;
    }

    @PreDestroy
    void close() {
        client.close();
    }

    @Override
    public NodeSpec spec() {
        return SPEC;
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
        // Resolving blocks: done on a worker thread, then the request goes to the checked address.
        return Uni.createFrom().item(() -> checkedAddress(uri)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(address -> send(call, uri, address));
    }

    private InetAddress checkedAddress(URI uri) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw NodeFailure.transientFailure("unknown host " + uri.getHost());
        }
        for (InetAddress address : addresses) {
            Optional<String> problem = guard.addressProblem(address);
            if (problem.isPresent()) {
                throw NodeFailure.permanent("refused " + uri.getHost() + ": " + problem.get());
            }
        }
        return addresses[0];
    }

    private Uni<Map<String, JsonNode>> send(NodeCall call, URI uri, InetAddress address) {
        JsonNode config = call.config();
        HttpMethod method = HttpMethod.valueOf(config.path("method").asText("GET"));
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        // Connects to the address that was checked (not a second lookup), with the URL's host for
        // the Host header and TLS.
        RequestOptions options = new RequestOptions().setMethod(method).setHost(uri.getHost()).setPort(port)
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setSsl("https".equalsIgnoreCase(uri.getScheme())).setURI(path).setFollowRedirects(false);
        config.path("headers").fields().forEachRemaining(h -> options.putHeader(h.getKey(), h.getValue().asText()));
        call.input("headers").fields().forEachRemaining(h -> options.putHeader(h.getKey(), h.getValue().asText()));
        JsonNode body = call.hasInput("body") ? call.input("body") : config.get("body");
        Buffer payload = null;
        if (body != null && !body.isNull() && method != HttpMethod.GET && method != HttpMethod.HEAD) {
            payload = Buffer.buffer(body.isTextual() ? body.asText() : body.toString());
            if (options.getHeaders() == null || !options.getHeaders().contains("Content-Type")) {
                options.putHeader("Content-Type", body.isTextual() ? "text/plain; charset=utf-8" : "application/json");
            }
        }
        int limit = config.path("max_response_bytes").asInt(1_048_576);
        boolean failOnStatus = config.path("fail_on_status").asBoolean(true);
        Buffer sent = payload;
        return Uni.createFrom().emitter(emitter -> client.request(options).onFailure(e -> emitter.fail(UpstreamFailures.of(uri.getHost(), e)))
                .onSuccess(request -> {
                    call.cancellation().onCancel(() -> request.reset());
                    (sent == null ? request.send() : request.send(sent))
                            .onFailure(e -> emitter.fail(UpstreamFailures.of(uri.getHost(), e)))
                            .onSuccess(response -> {
                                Buffer received = Buffer.buffer();
                                response.handler(chunk -> {
                                    if (received.length() + chunk.length() > limit) {
                                        request.reset();
                                        emitter.fail(NodeFailure.permanent("the response is larger than " + limit + " bytes"));
                                        return;
                                    }
                                    received.appendBuffer(chunk);
                                });
                                response.exceptionHandler(e -> emitter.fail(UpstreamFailures.of(uri.getHost(), e)));
                                response.endHandler(end -> {
                                    int status = response.statusCode();
                                    if (failOnStatus && status >= 400) {
                                        emitter.fail(UpstreamFailures.status(uri.getHost(), status, received.toString()));
                                        return;
                                    }
                                    ObjectNode headers = JsonNodeFactory.instance.objectNode();
                                    response.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
                                    emitter.complete(Map.of("status", IntNode.valueOf(status), "body",
                                            parse(response.getHeader("Content-Type"), received), "headers", headers));
                                });
                            });
                }));
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
