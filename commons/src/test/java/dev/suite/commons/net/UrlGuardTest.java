package dev.suite.commons.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UrlGuardTest {

    private final UrlGuard strict = new UrlGuard(false);
    private final UrlGuard local = new UrlGuard(true);

    @Test
    void metadataLinkLocalAndReservedAreRefusedEvenWhenPrivateNetworksAreAllowed() {
        for (String url : new String[] {"http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/",
                "http://metadata.google.internal/computeMetadata/v1/", "http://100.100.100.200/",
                "http://[fd00:ec2::254]/", "http://0.0.0.0:8080/", "http://[::]/", "http://224.0.0.1/",
                "http://0.1.2.3/", "http://255.255.255.255/", "http://240.0.0.1/",
                "http://[::ffff:169.254.169.254]/", "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:a9fe:a9fe::1]/",
                "http://2852039166/"}) {
            assertTrue(local.syntaxProblem(url).isPresent(), url);
        }
    }

    @Test
    void privateRangesNeedThePrivateSwitch() {
        for (String url : new String[] {"http://127.0.0.1:3000/mcp", "http://10.1.2.3/", "http://172.16.0.1/",
                "http://192.168.1.1/", "http://[::1]/", "http://100.64.0.1/", "http://[fd12:3456::1]/",
                "http://2130706433/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/",
                "http://[64:ff9b::10.0.0.1]/", "http://[64:ff9b:1::1]/", "http://[2002:c0a8:0101::1]/",
                "http://198.18.0.1/", "http://[::127.0.0.1]/"}) {
            assertTrue(strict.syntaxProblem(url).isPresent(), url);
            assertTrue(local.syntaxProblem(url).isEmpty(), url);
        }
    }

    @Test
    void publicAddressesPass() throws Exception {
        for (String url : new String[] {"https://93.184.215.14/", "http://[2606:4700::6810:84e5]/",
                "http://[64:ff9b::5db8:d70e]/", "https://api.openai.com/v1"}) {
            assertTrue(strict.syntaxProblem(url).isEmpty(), url);
        }
        assertTrue(strict.addressProblem(InetAddress.getByName("8.8.8.8")).isEmpty());
    }

    @Test
    void literalsAreParsedWithoutALookup() {
        assertEquals("127.0.0.1", UrlGuard.parseLiteral("127.1").getHostAddress());
        assertEquals("10.0.0.1", UrlGuard.parseLiteral("167772161").getHostAddress());
        assertNull(UrlGuard.parseLiteral("1.2.3.4.5"));
        assertNull(UrlGuard.parseLiteral("256.1.1.1"));
        assertNull(UrlGuard.parseLiteral("0x7f.1"));
        assertEquals("has an invalid address", local.syntaxProblem("http://0x7f000001/").orElseThrow());
        // The JDK's URI parser reads no host in the shortened forms: such URLs are not taken at all.
        for (String url : new String[] {"http://127.1/", "http://169.254.43518/"}) {
            assertEquals("must be an absolute http(s) URL", local.syntaxProblem(url).orElseThrow(), url);
        }
    }

    @Test
    void onlyPlainHttpUrlsAreAccepted() {
        assertEquals("must be an absolute http(s) URL", local.syntaxProblem("file:///etc/passwd").orElseThrow());
        assertEquals("must be an absolute http(s) URL", local.syntaxProblem("/relative").orElseThrow());
        assertEquals("must be an absolute http(s) URL", local.syntaxProblem("gopher://example.com/").orElseThrow());
        assertTrue(local.syntaxProblem("http://user:pw@example.com/").isPresent());
        assertTrue(local.syntaxProblem("https://mcp.example.com/mcp#x").isPresent());
        assertTrue(local.syntaxProblem("https://mcp.example.com/mcp").isEmpty());
    }
}
