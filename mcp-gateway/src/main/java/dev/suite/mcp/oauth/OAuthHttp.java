package dev.suite.mcp.oauth;

import dev.suite.mcp.upstream.Bodies;
import dev.suite.mcp.upstream.UpstreamHttp;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The gateway's requests to authorization servers and resource metadata, through the same
 * SSRF-guarded client as MCP traffic: metadata documents name URLs the gateway then fetches, and
 * those must not reach what the guard forbids.
 */
@ApplicationScoped
public class OAuthHttp {

    private static final int MAX_BODY = 256 * 1024;

    /** A JSON answer and its status; {@code json} is null when the body was not a JSON object. */
    public record Answer(int status, JsonObject json, String wwwAuthenticate) {
        boolean ok() {
            return status >= 200 && status < 300 && json != null;
        }
    }

    private final UpstreamHttp http;

    public OAuthHttp(UpstreamHttp http) {
        this.http = http;
    }

    public Uni<Answer> getJson(URI uri) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("Accept", "application/json");
        return exchange(HttpMethod.GET, uri, headers, null);
    }

    public Uni<Answer> postJson(URI uri, JsonObject body, MultiMap extraHeaders) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("Accept", "application/json, text/event-stream")
                .set("Content-Type", "application/json");
        if (extraHeaders != null) {
            headers.addAll(extraHeaders);
        }
        return exchange(HttpMethod.POST, uri, headers, body.toBuffer());
    }

    /** An {@code application/x-www-form-urlencoded} POST, as token, revocation and registration-less endpoints take. */
    public Uni<Answer> postForm(URI uri, Map<String, String> form, String basicAuthorization) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("Accept", "application/json")
                .set("Content-Type", "application/x-www-form-urlencoded");
        if (basicAuthorization != null) {
            headers.set("Authorization", basicAuthorization);
        }
        String body = form.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return exchange(HttpMethod.POST, uri, headers, Buffer.buffer(body));
    }

    private Uni<Answer> exchange(HttpMethod method, URI uri, MultiMap headers, Buffer body) {
        return Uni.createFrom().completionStage(() -> http.send(method, uri, headers, body)
                .compose(response -> http.readBody(response, uri.getHost(), MAX_BODY)
                        .map(answer -> new Answer(response.statusCode(), Bodies.jsonOrNull(answer),
                                response.getHeader("WWW-Authenticate"))))
                .toCompletionStage());
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
