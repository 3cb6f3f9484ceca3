package dev.suite.commons.crypto;

import dev.suite.commons.identity.AuthConfig;
import dev.suite.commons.identity.AuthMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MasterKeysTest {

    @TempDir
    Path home;

    private MasterKeys keys(String masterKey, String keyFile) {
        return keys(masterKey, keyFile, List.of());
    }

    private MasterKeys keys(String masterKey, String keyFile, List<String> previous) {
        return new MasterKeys(new MasterKeyConfig(Optional.ofNullable(masterKey), Optional.of(previous),
                Optional.ofNullable(keyFile)));
    }

    private static AuthConfig mode(AuthMode mode) {
        return new AuthConfig() {
            public AuthMode mode() {
                return mode;
            }

            public Optional<String> apiKeys() {
                return Optional.empty();
            }

            public Optional<java.util.List<String>> publicPaths() {
                return Optional.empty();
            }

            public Optional<String> resourceMetadataUrl() {
                return Optional.empty();
            }

            public Optional<java.util.List<String>> xApiKeyPaths() {
                return Optional.empty();
            }

            public String localUser() {
                return "local";
            }
        };
    }

    @Test
    void aKeyFileIsNeverReadRelativeToTheWorkingDirectory() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> keys(null, ".suite/master.key").secretBox(mode(AuthMode.LOCAL)));
        assertTrue(e.getMessage().contains("absolute"), e.getMessage());
    }

    @Test
    void localModeGeneratesAKeyOnceWithOwnerOnlyPermissions() throws Exception {
        Path file = home.resolve(".suite/master.key");
        SecretBox first = keys(null, file.toString()).secretBox(mode(AuthMode.LOCAL));
        assertTrue(Files.exists(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        SecretBox second = keys(null, file.toString()).secretBox(mode(AuthMode.LOCAL));
        assertEquals(first.currentKeyId(), second.currentKeyId());
        assertEquals("x", second.open(first.seal("x", "c"), "c"));
    }

    @Test
    void withoutAFileSettingTheKeyLivesInTheUsersHome() {
        String realHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            keys(null, null).secretBox(mode(AuthMode.LOCAL));
            assertTrue(Files.exists(home.resolve(".suite/master.key")));
        } finally {
            System.setProperty("user.home", realHome);
        }
    }

    @Test
    void otherModesRefuseToStartWithoutAKey() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> keys(null, home.resolve("k").toString()).secretBox(mode(AuthMode.API_KEY)));
        assertTrue(e.getMessage().contains("SUITE_MASTER_KEY is not set"));
        assertTrue(Files.notExists(home.resolve("k")));
    }

    @Test
    void keyMustBeBase64Of32Bytes() {
        String short16 = Base64.getEncoder().encodeToString(new byte[16]);
        IllegalStateException wrongLength = assertThrows(IllegalStateException.class,
                () -> keys(short16, "unused").secretBox(mode(AuthMode.OIDC)));
        assertTrue(wrongLength.getMessage().contains("32 bytes"));
        assertThrows(IllegalStateException.class, () -> keys("not base64!", "unused").secretBox(mode(AuthMode.OIDC)));
    }

    @Test
    void previousKeysStillOpen() {
        byte[] old = new byte[32];
        old[0] = 7;
        String oldKey = Base64.getEncoder().encodeToString(old);
        String sealed = new SecretBox(old, List.of()).seal("legacy", "c");
        MasterKeys keys = keys(Base64.getEncoder().encodeToString(new byte[32]), "unused", List.of(oldKey));
        assertEquals("legacy", keys.secretBox(mode(AuthMode.API_KEY)).open(sealed, "c"));
    }
}
