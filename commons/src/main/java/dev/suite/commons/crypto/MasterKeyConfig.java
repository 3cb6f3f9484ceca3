package dev.suite.commons.crypto;

import io.smallrye.config.ConfigMapping;

import java.util.List;
import java.util.Optional;

/** The keys secrets are sealed with: see {@link MasterKeys}. */
@ConfigMapping(prefix = "suite")
public interface MasterKeyConfig {

    /** {@code SUITE_MASTER_KEY}: base64 of 32 bytes; seals new secrets. */
    Optional<String> masterKey();

    /** {@code SUITE_PREVIOUS_MASTER_KEYS}: still open what older keys sealed. */
    Optional<List<String>> previousMasterKeys();

    /** Where {@code local} mode keeps the key it generates (default {@code ~/.suite/master.key}). */
    Optional<String> masterKeyFile();
}
