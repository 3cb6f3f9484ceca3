package dev.suite.commons.crypto;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretBoxTest {

    private static byte[] key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Test
    void sealedValueOpensAndHidesThePlaintext() {
        SecretBox box = new SecretBox(key(), List.of());
        String sealed = box.seal("sk-secret-value", "row-1");
        assertFalse(sealed.contains("sk-secret"));
        assertTrue(sealed.startsWith("v1:" + box.currentKeyId() + ":"));
        assertEquals("sk-secret-value", box.open(sealed, "row-1"));
    }

    @Test
    void sealingTwiceGivesDifferentCiphertexts() {
        SecretBox box = new SecretBox(key(), List.of());
        assertNotEquals(box.seal("same", "ctx"), box.seal("same", "ctx"));
    }

    @Test
    void rotationKeepsOldValuesReadableAndSealsNewOnesWithTheNewKey() {
        byte[] oldKey = key();
        byte[] newKey = key();
        String sealedBefore = new SecretBox(oldKey, List.of()).seal("before rotation", "ctx");

        SecretBox rotated = new SecretBox(newKey, List.of(oldKey));
        assertEquals("before rotation", rotated.open(sealedBefore, "ctx"));
        String sealedAfter = rotated.seal("after rotation", "ctx");
        assertEquals(rotated.currentKeyId(), SecretBox.keyIdOf(sealedAfter));
        assertNotEquals(SecretBox.keyIdOf(sealedBefore), SecretBox.keyIdOf(sealedAfter));
    }

    @Test
    void valueSealedWithAForgottenKeyIsUnreadable() {
        String sealed = new SecretBox(key(), List.of()).seal("x", "ctx");
        SecretUnreadableException e = assertThrows(SecretUnreadableException.class,
                () -> new SecretBox(key(), List.of()).open(sealed, "ctx"));
        assertTrue(e.getMessage().contains("SUITE_PREVIOUS_MASTER_KEYS"));
    }

    @Test
    void valueCopiedToAnotherRecordDoesNotOpen() {
        SecretBox box = new SecretBox(key(), List.of());
        String sealed = box.seal("x", "llm_config:a:api_key");
        assertThrows(SecretUnreadableException.class, () -> box.open(sealed, "llm_config:b:api_key"));
    }

    @Test
    void alteredValueDoesNotOpen() {
        SecretBox box = new SecretBox(key(), List.of());
        String sealed = box.seal("some secret", "ctx");
        char last = sealed.charAt(sealed.length() - 2);
        String altered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A')
                + sealed.charAt(sealed.length() - 1);
        assertThrows(SecretUnreadableException.class, () -> box.open(altered, "ctx"));
        assertThrows(SecretUnreadableException.class, () -> box.open("plain text", "ctx"));
    }
}
