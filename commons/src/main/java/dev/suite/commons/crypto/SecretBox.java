package dev.suite.commons.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AES-256-GCM encryption of secrets at rest, with key versions. A sealed value reads
 * {@code v1:<key id>:<base64url(iv ‖ ciphertext ‖ tag)>}; the key id is derived from the key, so
 * rotating is: set the new key as {@code SUITE_MASTER_KEY}, move the old one to
 * {@code SUITE_PREVIOUS_MASTER_KEYS}. Old values still open; new ones are sealed with the newest key.
 *
 * <p>The caller passes a context (for example the row id and column) that is bound into the tag as
 * associated data, so a ciphertext copied into another row does not open there.
 */
public final class SecretBox {

    private static final String FORMAT = "v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final String currentKeyId;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

    public SecretBox(byte[] currentKey, List<byte[]> previousKeys) {
        this.currentKeyId = keyId(currentKey);
        keys.put(currentKeyId, new SecretKeySpec(currentKey, "AES"));
        for (byte[] key : previousKeys) {
            keys.putIfAbsent(keyId(key), new SecretKeySpec(key, "AES"));
        }
    }

    /** The id of the key new secrets are sealed with. */
    public String currentKeyId() {
        return currentKeyId;
    }

    public String seal(String plaintext, String context) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return FORMAT + ":" + currentKeyId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /**
     * @throws SecretUnreadableException when the value was sealed with a key we no longer have, for
     *                                   another context, or was altered
     */
    public String open(String sealed, String context) {
        String[] parts = sealed.split(":", 3);
        if (parts.length != 3 || !FORMAT.equals(parts[0])) {
            throw new SecretUnreadableException("not a sealed secret");
        }
        SecretKeySpec key = keys.get(parts[1]);
        if (key == null) {
            throw new SecretUnreadableException("sealed with key " + parts[1]
                    + ", which is neither SUITE_MASTER_KEY nor in SUITE_PREVIOUS_MASTER_KEYS");
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(parts[2]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException | IllegalArgumentException e) {
            throw new SecretUnreadableException("altered, or sealed for another record");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** The key id a sealed value names, for rotation reports; null when it is not a sealed value. */
    public static String keyIdOf(String sealed) {
        String[] parts = sealed == null ? new String[0] : sealed.split(":", 3);
        return parts.length == 3 ? parts[1] : null;
    }

    static String keyId(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
