package dev.suite.mcp.oauth;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * What a user's browser does with an authorization URL: follows the authorization server's
 * redirects with its cookies until it is sent back to the gateway, and answers that last page.
 * Carries no gateway credentials, as a real browser coming back from a provider would not.
 */
final class Browser {

    private final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).build();

    record Page(int status, String location, String body, URI url) {
    }

    /** Follows redirects from {@code url}; stops at the first URL under {@code stopAt} and loads it. */
    Page visit(String url, String stopAt) {
        URI current = URI.create(url);
        for (int hop = 0; hop < 20; hop++) {
            Page page = get(current);
            if (current.toString().startsWith(stopAt) || page.location() == null) {
                return page;
            }
            current = current.resolve(page.location());
            if (current.toString().startsWith(stopAt)) {
                return get(current);
            }
        }
        throw new AssertionError("too many redirects from " + url);
    }

    /** The URL the provider sends the browser back to, without loading it. */
    URI returnUrl(String url, String stopAt) {
        URI current = URI.create(url);
        for (int hop = 0; hop < 20; hop++) {
            Page page = get(current);
            if (page.location() == null) {
                throw new AssertionError("the provider stopped at " + current + " (" + page.status() + "): " + page.body());
            }
            current = current.resolve(page.location());
            if (current.toString().startsWith(stopAt)) {
                return current;
            }
        }
        throw new AssertionError("too many redirects from " + url);
    }

    Page get(URI url) {
        try {
            // A navigation's Accept, as browsers send it: the callback answers them a page.
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(url).GET()
                            .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8").build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Page(response.statusCode(), response.headers().firstValue("Location").orElse(null),
                    response.body(), url);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
