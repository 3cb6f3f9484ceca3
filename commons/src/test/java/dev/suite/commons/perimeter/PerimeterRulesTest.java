package dev.suite.commons.perimeter;

import dev.suite.commons.perimeter.PerimeterRules.OriginVerdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PerimeterRulesTest {

    private final PerimeterRules rules = new PerimeterRules(List.of("suite.example.com", ".svc.cluster.local"),
            List.of("http://localhost:5173", "https://app.example.com/", "null"));

    @Test
    void loopbackNamesAddressLiteralsAndListedHostsPass() {
        for (String host : new String[] {"localhost", "localhost:8080", "LOCALHOST:8081", "localhost.:8080",
                "127.0.0.1", "127.0.0.1:8082", "[::1]:8083", "[::1]", "10.1.2.3:8081", "[fd00::5]:80",
                "suite.example.com", "llm-service.suite.svc.cluster.local:8081", null}) {
            assertTrue(rules.hostAllowed(host), host);
        }
    }

    @Test
    void rebindingNamesAndMalformedHostsAreRefused() {
        for (String host : new String[] {"rebind.attacker.example:8080", "attacker.example", "localhost.attacker.example",
                "suite.example.com.attacker.example", "svc.cluster.local", "127.0.0.1.nip.io:8080", "",
                "localhost:", "localhost:80x", "[::1", "[::1]x", "1.2.3.400", "localhost:1234567"}) {
            assertFalse(rules.hostAllowed(host), host);
        }
    }

    @Test
    void theSuitesOwnOriginAndListedOnesAreServedOthersRefused() {
        assertEquals(OriginVerdict.NONE, rules.origin(null, "localhost:8080"));
        assertEquals(OriginVerdict.SAME, rules.origin("http://localhost:8080", "localhost:8080"));
        assertEquals(OriginVerdict.SAME, rules.origin("https://suite.example.com", "suite.example.com"));
        assertEquals(OriginVerdict.SAME, rules.origin("http://suite.example.com", "suite.example.com:80"));
        assertEquals(OriginVerdict.ALLOWED, rules.origin("http://localhost:5173", "localhost:8080"));
        assertEquals(OriginVerdict.ALLOWED, rules.origin("https://APP.example.com", "suite.example.com"));
        assertEquals(OriginVerdict.ALLOWED, rules.origin("null", "localhost:8080"));
        assertEquals(OriginVerdict.REFUSED, rules.origin("http://localhost:9999", "localhost:8080"));
        assertEquals(OriginVerdict.REFUSED, rules.origin("https://evil.example", "localhost:8080"));
        assertEquals(OriginVerdict.REFUSED, rules.origin("file://", "localhost:8080"));
        assertEquals(OriginVerdict.REFUSED, rules.origin("app://shell", "localhost:8080"));
        assertEquals(OriginVerdict.REFUSED, rules.origin("ws://localhost:8080", "localhost:8080"));
    }

    @Test
    void desktopShellOriginsCountOnlyWhenListed() {
        PerimeterRules strict = new PerimeterRules(List.of(), List.of());
        assertEquals(OriginVerdict.REFUSED, strict.origin("null", "localhost:8080"));
    }

    @Test
    void wildcardsCannotSwitchThePerimeterOff() {
        assertThrows(IllegalArgumentException.class, () -> new PerimeterRules(List.of(), List.of("*")));
        assertThrows(IllegalArgumentException.class, () -> new PerimeterRules(List.of("*"), List.of()));
    }
}
