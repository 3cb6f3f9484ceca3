package dev.suite.commons.identity;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeysTest {

    private static String hash(String key) {
        return HexFormat.of().formatHex(ApiKeys.sha256(key));
    }

    @Test
    void matchesTheUserAndRolesOfAKey() {
        ApiKeys keys = ApiKeys.parse("alice:" + hash("a-key") + ", bob:" + hash("b-key") + ":admin+auditor");
        assertEquals("alice", keys.match("a-key").orElseThrow().userId());
        assertEquals(Set.of("user"), keys.match("a-key").orElseThrow().roles());
        assertEquals(Set.of("user", "admin", "auditor"), keys.match("b-key").orElseThrow().roles());
        assertTrue(keys.match("c-key").isEmpty());
    }

    @Test
    void acceptsUpperCaseHashesAndBlankSpec() {
        assertTrue(ApiKeys.parse("u:" + hash("k").toUpperCase()).match("k").isPresent());
        assertTrue(ApiKeys.parse("").isEmpty());
        assertTrue(ApiKeys.parse(null).isEmpty());
    }

    @Test
    void malformedEntriesAreRejectedWithoutEchoingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ApiKeys.parse("alice:" + hash("a") + ",bob:my-plain-secret-key"));
        assertTrue(e.getMessage().contains("entry 2"));
        assertFalse(e.getMessage().contains("my-plain-secret-key"));
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.parse("alice:" + hash("a") + ":bad role"));
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.parse("no hash"));
    }
}
