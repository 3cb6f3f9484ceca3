package dev.suite.commons.ids;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * UUIDv7 ids (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter, then 62 random bits.
 * The counter keeps ids made in the same millisecond by this process in creation order, so an id
 * is also a sort key and a paging cursor.
 */
public final class Ids {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int MAX_COUNTER = 0xFFF;

    /**
     * A DRBG seeded once: cryptographically strong like the default, without the default's read of
     * /dev/urandom under a global lock on every call (ids are made several times per request).
     * Made on first use, not in the class initialiser: a native build initialises classes at build
     * time, and a generator seeded then would be frozen into the executable (GraalVM refuses it).
     */
    private static SecureRandom random;
    private static long lastMillis;
    private static int counter;

    private Ids() {
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    public static String newId() {
        return newUuid().toString();
    }

    public static synchronized UUID newUuid() {
        if (random == null) {
            random = drbg();
        }
        long now = System.currentTimeMillis();
        if (now > lastMillis) {
            lastMillis = now;
            // Start low in the counter range so a burst in one millisecond rarely overflows it.
            counter = random.nextInt(MAX_COUNTER / 2);
        } else if (++counter > MAX_COUNTER) {
            // The counter ran out (or the clock went back): borrow the next millisecond.
            lastMillis++;
            counter = 0;
        }
        long msb = (lastMillis << 16) | (0x7L << 12) | counter;
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /** True for the canonical lower-case text form we hand out. */
    public static boolean isId(String text) {
        return text != null && UUID_TEXT.matcher(text).matches();
    }
}
