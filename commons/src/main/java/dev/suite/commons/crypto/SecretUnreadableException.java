package dev.suite.commons.crypto;

/** A stored secret that cannot be opened with the configured keys. The message never holds the secret. */
public class SecretUnreadableException extends RuntimeException {

    public SecretUnreadableException(String message) {
        super(message, null, false, false);
    }
}
