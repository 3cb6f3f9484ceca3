package dev.suite.llm.chat;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids of what an answer names — a response, a message, its output items — such as
 * {@code resp_0190f1b2c3d47e5f8a6b7c8d9e0f1a2b}: the prefix, then 32 hex digits laid out as a UUIDv7
 * (48 bits of Unix milliseconds, then 74 random bits), as commons' {@code Ids} lay theirs out.
 *
 * <p>These ids only need to be unique, not secret: a stored response is found by its id and its
 * owner together, so knowing another user's id reads nothing, and nothing is looked up by the
 * others. The random bits therefore come from {@link ThreadLocalRandom} — no lock, no DRBG —
 * rather than from {@code Ids}' SecureRandom, which each of several ids per request paid for. With
 * the millisecond in front, two ids collide only if 74 random bits do within the same millisecond.
 * Do not use these for anything a caller must not guess.
 */
public final class ReplyIds {

    private static final HexFormat HEX = HexFormat.of();

    private ReplyIds() {
    }

    /** A new id: {@code prefix} then 32 lower-case hex digits. */
    public static String next(String prefix) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long timeAndVersion = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextInt() & 0xFFFL);
        long variantAndRandom = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return prefix + HEX.toHexDigits(timeAndVersion) + HEX.toHexDigits(variantAndRandom);
    }
}
