package dev.suite.commons.redis;

/**
 * Redis stream entry ids ({@code <ms>-<seq>}) used as event ids: a client that reconnects with
 * the last one it saw is replayed the entries after it.
 */
public final class StreamIds {

    private StreamIds() {
    }

    /** True for text shaped like a stream entry id. */
    public static boolean isId(String text) {
        return text != null && text.matches("\\d{1,19}-\\d{1,19}");
    }

    /** True when entry {@code a} comes after entry {@code b}. */
    public static boolean isAfter(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        long ma = Long.parseLong(a.substring(0, da));
        long mb = Long.parseLong(b.substring(0, db));
        return ma != mb ? ma > mb : Long.parseLong(a.substring(da + 1)) > Long.parseLong(b.substring(db + 1));
    }

    /**
     * Whether entries after {@code lastSeen} were trimmed from a capped stream whose oldest kept
     * entry is {@code oldest} (null: the stream is empty or expired). Nothing was lost when the
     * oldest entry is the one right after the last seen in the same millisecond, or not after it.
     */
    public static boolean lostAfter(String lastSeen, String oldest) {
        if (oldest == null) {
            return true;
        }
        int dash = lastSeen.indexOf('-');
        String next = lastSeen.substring(0, dash) + "-" + (Long.parseLong(lastSeen.substring(dash + 1)) + 1);
        return isAfter(oldest, lastSeen) && !oldest.equals(next);
    }
}
