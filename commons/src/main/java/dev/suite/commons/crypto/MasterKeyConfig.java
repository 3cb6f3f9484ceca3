package dev.suite.commons.crypto;

import java.util.List;
import java.util.Optional;

/**
 * The keys secrets are sealed with (see {@link MasterKeys}), read once. They sit directly under
 * {@code suite.}, so no {@code @ConfigMapping} holds them: one on that root would claim every
 * {@code suite.*} key of every service and refuse the ones it does not declare.
 *
 * @param masterKey          {@code SUITE_MASTER_KEY}: base64 of 32 bytes; seals new secrets
 * @param previousMasterKeys {@code SUITE_PREVIOUS_MASTER_KEYS}: still open what older keys sealed
 * @param masterKeyFile      where {@code local} mode keeps the key it generates (default {@code ~/.suite/master.key})
 */
public record MasterKeyConfig(Optional<String> masterKey, Optional<List<String>> previousMasterKeys,
        Optional<String> masterKeyFile) {
}
