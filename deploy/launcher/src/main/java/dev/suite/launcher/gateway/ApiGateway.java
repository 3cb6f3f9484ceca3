package dev.suite.launcher.gateway;

import dev.suite.commons.perimeter.PerimeterRules;
import dev.suite.commons.perimeter.PerimeterRules.OriginVerdict;
import dev.suite.launcher.supervise.ServiceDirectory;
import dev.suite.launcher.supervise.ServiceDirectory.Endpoint;
import dev.suite.launcher.supervise.ServiceState;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyOptions;
import io.vertx.httpproxy.ProxyResponse;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The API gateway: one local port in front of the five services, routing by path prefix to
 * wherever the supervisor runs each service now. Requests, SSE streams and WebSocket upgrades
 * pass through Vert.x's HTTP proxy. Before anything else it applies the suite's perimeter — the
 * same {@link PerimeterRules} as every service: a foreign {@code Host} gets 421 (DNS rebinding), a
 * foreign {@code Origin} 403. It answers CORS preflights, its own health ({@link HealthRoutes}), and problems for paths no
 * service owns, services that are not serving and requests it cannot parse.
 *
 * <p>Deployed once per event loop; each instance has its own proxy and connection pool.
 */
public final class ApiGateway extends AbstractVerticle {

    private static final Logger LOG = Logger.getLogger(ApiGateway.class.getName());
    /** As large as the services accept (Quarkus' default), so long OIDC tokens pass. */
    private static final int MAX_HEADER_SIZE = 20 * 1024;
    private static final String ORIGIN_KEY = "suite.origin";

    private final RouteTable routes;
    private final ServiceDirectory directory;
    private final PerimeterRules perimeter;
    private final int port;
    private HttpProxy proxy;
    private HealthRoutes health;

    public ApiGateway(RouteTable routes, ServiceDirectory directory, PerimeterRules perimeter, int port) {
        this.routes = routes;
        this.directory = directory;
        this.perimeter = perimeter;
        this.port = port;
    }

    @Override
    public void start(Promise<Void> started) {
        health = new HealthRoutes(vertx, context, routes, directory);
        health.start();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                        .setConnectTimeout(5_000)
                        .setMaxHeaderSize(MAX_HEADER_SIZE)
                        .setMaxWebSockets(Integer.MAX_VALUE)
                        // While tracing: the call to the service is a child of the request's span.
                        .setTracingPolicy(TracingPolicy.PROPAGATE),
                // SSE streams and long tool calls hold a connection each for their whole life.
                new PoolOptions().setHttp1MaxSize(512));
        proxy = HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(true), client)
                .origin(this::originRequest)
                .addInterceptor(new Exchange());
        vertx.createHttpServer(new HttpServerOptions()
                        .setHost("127.0.0.1")
                        .setPort(port)
                        .setMaxHeaderSize(MAX_HEADER_SIZE)
                        // HTTP/1.1 only, as browsers speak plain http: no h2c upgrade of a request midway.
                        .setHttp2ClearTextEnabled(false)
                        // While tracing: every request is traced here, continuing the caller's traceparent if any.
                        .setTracingPolicy(TracingPolicy.ALWAYS))
                .requestHandler(this::handle)
                .invalidRequestHandler(ApiGateway::invalid)
                .listen()
                .<Void>mapEmpty()
                .onComplete(started);
    }

    @Override
    public void stop() {
        health.stop();
    }

    private void handle(HttpServerRequest request) {
        String host = request.getHeader("Host");
        if (!perimeter.hostAllowed(host)) {
            request.response().putHeader("Connection", "close");
            Problems.send(request, 421, "Misdirected Request", "The suite does not answer for host '"
                    + Problems.printable(host) + "'; add the name to SUITE_ALLOWED_HOSTS.");
            return;
        }
        String origin = request.getHeader(Cors.ORIGIN);
        OriginVerdict verdict = perimeter.origin(origin, host);
        if (verdict == OriginVerdict.REFUSED) {
            request.response().putHeader("Connection", "close");
            Problems.send(request, 403, "Forbidden", "Pages from origin '" + Problems.printable(origin)
                    + "' may not call the suite; add it to SUITE_CORS_ORIGINS.");
            return;
        }
        String allowedOrigin = null;
        if (verdict == OriginVerdict.ALLOWED) {
            if (Cors.isPreflight(request)) {
                request.resume();
                Cors.answerPreflight(request, origin);
                return;
            }
            allowedOrigin = origin;
        }
        String path = request.path();
        if (HealthRoutes.handles(path)) {
            health.handle(answering(request, allowedOrigin));
            return;
        }
        if (hasDotSegments(path)) {
            Problems.send(answering(request, allowedOrigin), 400, "Bad Request",
                    "The path has '.' or '..' segments; send it normalised.");
            return;
        }
        Optional<RouteTable.Route> route = routes.match(path);
        if (route.isEmpty()) {
            Problems.send(answering(request, allowedOrigin), 404, "Not Found", "No service of the suite serves " + path + ".");
            return;
        }
        String service = route.get().service();
        Optional<Endpoint> endpoint = directory.get(service);
        if (endpoint.isEmpty() || !endpoint.get().state().serving()) {
            unavailable(answering(request, allowedOrigin), service, endpoint);
            return;
        }
        if (origin != null && isUpgrade(request)) {
            // WebSocket upgrades bypass interceptors: drop the Origin here (checked above).
            request.headers().remove(Cors.ORIGIN);
        }
        proxy.handle(request);
    }

    /** The request, its response marked readable by the calling page when its origin is allowed: for the gateway's own answers. */
    private static HttpServerRequest answering(HttpServerRequest request, String allowedOrigin) {
        if (allowedOrigin != null) {
            Cors.decorate(request.response().headers(), allowedOrigin);
        }
        return request;
    }

    /** Connects to the service's current port; the original Host is kept, so services build links as the caller sees them. */
    private Future<HttpClientRequest> originRequest(ProxyContext context) {
        HttpServerRequest incoming = context.request().proxiedRequest();
        Optional<Endpoint> endpoint = routes.match(incoming.path())
                .flatMap(route -> directory.get(route.service()))
                .filter(found -> found.state().serving());
        if (endpoint.isEmpty()) {
            return Future.failedFuture("the service stopped serving");
        }
        RequestOptions options = new RequestOptions()
                .setServer(SocketAddress.inetSocketAddress(endpoint.get().port(), "127.0.0.1"));
        HostAndPort authority = incoming.authority();
        if (authority != null) {
            options.setHost(authority.host()).setPort(authority.port() > 0 ? authority.port() : 80);
        }
        return context.client().request(options);
    }

    /** Per exchange: the Origin kept from the service, CORS headers on the answer, and problems for unreachable services. */
    private final class Exchange implements ProxyInterceptor {

        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
            String origin = context.request().headers().get(Cors.ORIGIN);
            if (origin != null) {
                context.request().headers().remove(Cors.ORIGIN);
                String host = context.request().proxiedRequest().getHeader("Host");
                if (perimeter.origin(origin, host) == OriginVerdict.ALLOWED) {
                    context.set(ORIGIN_KEY, origin);
                }
            }
            return context.sendRequest();
        }

        @Override
        public Future<Void> handleProxyResponse(ProxyContext context) {
            ProxyResponse response = context.response();
            if (response.getStatusCode() == 502 && response.getBody() == null) {
                // The proxy's own 502 (the service did not take the connection), not a 502 the service sent.
                String path = context.request().proxiedRequest().path();
                String service = routes.match(path).map(RouteTable.Route::service).orElse("the service");
                LOG.warning("gateway: " + service + " did not answer " + context.request().getMethod() + " " + path);
                response.putHeader("Content-Type", Problems.CONTENT_TYPE)
                        .setBody(Body.body(Problems.body(502, "Bad Gateway",
                                service + " did not answer; it may be restarting. Try again shortly.", path)));
            }
            String origin = context.get(ORIGIN_KEY, String.class);
            if (origin != null) {
                Cors.decorate(response.headers(), origin);
            }
            return context.sendResponse();
        }
    }

    private static void unavailable(HttpServerRequest request, String service, Optional<Endpoint> endpoint) {
        String detail = switch (endpoint.map(Endpoint::state).orElse(ServiceState.STOPPED)) {
            case FAILED -> service + " failed repeatedly and is stopped; see its log (./suite logs " + service
                    + ") and run ./suite restart " + service + ".";
            case STOPPING, STOPPED -> service + " is stopped.";
            case BACKOFF -> service + " is restarting after a failure; try again shortly.";
            default -> service + " is starting; try again shortly.";
        };
        request.response().putHeader("Retry-After", "2");
        Problems.send(request, 503, "Service Unavailable", detail);
    }

    /** A request Vert.x could not parse: an over-long request line or header block, or garbage. */
    private static void invalid(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        request.response().putHeader("Connection", "close");
        if (cause instanceof TooLongHttpLineException) {
            Problems.send(request, 414, "URI Too Long", "The request line is longer than the gateway accepts.");
        } else if (cause instanceof TooLongHttpHeaderException) {
            Problems.send(request, 431, "Request Header Fields Too Large", "The request headers are larger than the "
                    + MAX_HEADER_SIZE + " bytes the gateway accepts.");
        } else {
            Problems.send(request, 400, "Bad Request", "The request is not valid HTTP/1.1.");
        }
    }

    private static boolean isUpgrade(HttpServerRequest request) {
        String upgrade = request.getHeader("Upgrade");
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    /** '.' or '..' segments, plain or percent-encoded, which would let a prefix route a path it does not own. */
    static boolean hasDotSegments(String path) {
        if (path.indexOf('.') < 0 && path.indexOf('%') < 0) {
            return false; // nearly every path: no need to split it
        }
        for (String segment : path.split("/", -1)) {
            String decoded = segment.replace("%2e", ".").replace("%2E", ".");
            if (decoded.equals(".") || decoded.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
