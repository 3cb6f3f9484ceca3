package dev.suite.commons.crypto;

import dev.suite.commons.identity.AuthConfig;
import dev.suite.commons.identity.AuthMode;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Loads the master keys: {@code SUITE_MASTER_KEY} (base64 of 32 bytes) encrypts new secrets, and
 * {@code SUITE_PREVIOUS_MASTER_KEYS} (comma-separated) still decrypt what older keys sealed. In
 * {@code local} mode a key is generated once under the user's home, so a first run needs no
 * set-up; in every other mode a missing key stops the service at start-up.
 */
@ApplicationScoped
public class MasterKeys {

    private static final Logger LOG = Logger.getLogger(MasterKeys.class);

    private final MasterKeyConfig config;

    /**
     * Where {@code ./suite} moves the keys earlier versions kept in a directory literally named
     * {@code ${user.home}} under the one each service started in ({@code legacy-master-<service>.key}).
     * Read as older keys, to open old secrets; nothing is read relative to the working directory.
     */
    private static final Path KEY_DIR = Path.of(System.getProperty("user.home"), ".suite");

    public MasterKeys(MasterKeyConfig config) {
        this.config = config;
    }

    @Produces
    @Singleton
    static MasterKeyConfig config(@ConfigProperty(name = "suite.master-key") Optional<String> masterKey,
            @ConfigProperty(name = "suite.previous-master-keys") Optional<List<String>> previousMasterKeys,
            @ConfigProperty(name = "suite.master-key-file") Optional<String> masterKeyFile) {
        return new MasterKeyConfig(masterKey, previousMasterKeys, masterKeyFile);
    }

    @Produces
    @Singleton
    SecretBox secretBox(AuthConfig auth) {
        byte[] current = config.masterKey().filter(k -> !k.isBlank())
                .map(k -> decode(k, "SUITE_MASTER_KEY"))
                .orElseGet(() -> localKey(auth.mode()));
        List<byte[]> older = new ArrayList<>();
        for (String key : config.previousMasterKeys().orElse(List.of())) {
            if (!key.isBlank()) {
                older.add(decode(key.trim(), "SUITE_PREVIOUS_MASTER_KEYS"));
            }
        }
        older.addAll(legacyLocalKeys());
        return new SecretBox(current, older);
    }

    private byte[] localKey(AuthMode mode) {
        if (mode != AuthMode.LOCAL) {
            throw new IllegalStateException("SUITE_MASTER_KEY is not set. Outside local mode the master key must "
                    + "come from the environment (a Kubernetes Secret): 32 random bytes, base64, for example "
                    + "`openssl rand -base64 32`.");
        }
        Path file = localKeyFile();
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return decode(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read or create the local master key at " + file
                    + ": " + e.getMessage() + ". Set SUITE_MASTER_KEY instead.", e);
        }
    }

    /** {@code suite.master-key-file}, or the user's home: never a path relative to the working directory. */
    private Path localKeyFile() {
        Path file = config.masterKeyFile().filter(f -> !f.isBlank()).map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".suite", "master.key"));
        if (!file.isAbsolute()) {
            throw new IllegalStateException("suite.master-key-file must be an absolute path, not " + file
                    + ": a relative one would depend on the directory a service starts in.");
        }
        return file;
    }

    private List<byte[]> legacyLocalKeys() {
        List<byte[]> keys = new ArrayList<>();
        try (var files = Files.newDirectoryStream(KEY_DIR, "legacy-master-*.key")) {
            for (Path file : files) {
                try {
                    keys.add(decode(Files.readString(file, StandardCharsets.US_ASCII), file.toString()));
                    LOG.infof("Also opening secrets with the older key %s", file);
                } catch (IOException | IllegalStateException e) {
                    LOG.warnf("Ignoring the unreadable key at %s: %s", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            // no such directory: no older keys
        }
        return keys;
    }

    /** Writes a new key atomically with owner-only permissions; a concurrent first run keeps the first key. */
    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path tmp = Files.createTempFile(dir, "master", ".tmp");
        try {
            trySetOwnerOnly(tmp);
            Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException raced) {
                return;
            } catch (UnsupportedOperationException | IOException noLinks) {
                moveIfAbsent(tmp, file);
            }
            LOG.infof("Generated a local master key at %s (keep it: it decrypts the stored secrets)", file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void moveIfAbsent(Path tmp, Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file);
        }
    }

    private static void trySetOwnerOnly(Path path) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            LOG.debugf("Could not restrict permissions of %s: %s", path, e.getMessage());
        }
    }

    private static byte[] decode(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " is not valid base64", e);
        }
        if (key.length != 32) {
            throw new IllegalStateException(source + " must be 32 bytes (base64 of 32 random bytes), got "
                    + key.length + " bytes");
        }
        return key;
    }
}
