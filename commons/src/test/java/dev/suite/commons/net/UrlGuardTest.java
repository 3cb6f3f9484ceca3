package dev.suite.commons.net;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UrlGuardTest {

    private final UrlGuard strict = new UrlGuard(false);
    private final UrlGuard local = new UrlGuard(true);

    @Test
    void metadataAndLinkLocalAreRefusedEvenWhenPrivateNetworksAreAllowed() {
        for (String url : new String[] {"http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/",
                "http://metadata.google.internal/computeMetadata/v1/", "http://100.100.100.200/",
                "http://[fd00:ec2::254]/", "http://0.0.0.0:8080/", "http://[::]/", "http://224.0.0.1/"}) {
            assertTrue(local.syntaxProblem(url).isPresent(), url);
            assertTrue(local.check(URI.create(url)).isPresent(), url);
        }
    }

    @Test
    void privateRangesNeedThePrivateSwitch() {
        for (String url : new String[] {"http://127.0.0.1:3000/mcp", "http://10.1.2.3/", "http://172.16.0.1/",
                "http://192.168.1.1/", "http://[::1]/", "http://100.64.0.1/", "http://[fd12:3456::1]/"}) {
            assertTrue(strict.syntaxProblem(url).isPresent(), url);
            assertTrue(local.syntaxProblem(url).isEmpty(), url);
        }
    }

    @Test
    void namesAreCheckedByWhatTheyResolveTo() {
        assertTrue(strict.check(URI.create("http://localhost:3000/mcp")).isPresent());
        assertTrue(local.check(URI.create("http://localhost:3000/mcp")).isEmpty());
    }

    @Test
    void onlyPlainHttpUrlsAreAccepted() {
        assertEquals("must be an absolute http(s) URL", local.syntaxProblem("file:///etc/passwd").orElseThrow());
        assertEquals("must be an absolute http(s) URL", local.syntaxProblem("/relative").orElseThrow());
        assertTrue(local.syntaxProblem("http://user:pw@example.com/").isPresent());
        assertTrue(local.syntaxProblem("https://mcp.example.com/mcp").isEmpty());
    }
}
