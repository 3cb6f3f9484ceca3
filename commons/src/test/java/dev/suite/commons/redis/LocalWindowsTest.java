package dev.suite.commons.redis;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LocalWindowsTest {

    @Test
    void countsPerKeyUntilTheWindowEnds() {
        AtomicLong now = new AtomicLong(1_000);
        LocalWindows windows = new LocalWindows(now::get);
        assertEquals(new LocalWindows.Hit(1, 60_000), windows.hit("a", 1, 10, 60_000));
        now.addAndGet(20_000);
        assertEquals(new LocalWindows.Hit(2, 40_000), windows.hit("a", 1, 10, 60_000));
        assertEquals(new LocalWindows.Hit(1, 60_000), windows.hit("b", 1, 10, 60_000));
        now.addAndGet(40_000);
        assertEquals(new LocalWindows.Hit(1, 60_000), windows.hit("a", 1, 10, 60_000), "a new window once the last ended");
    }

    @Test
    void hitsPastTheLimitAreRefusedWithoutBeingCounted() {
        AtomicLong now = new AtomicLong(0);
        LocalWindows windows = new LocalWindows(now::get);
        assertEquals(new LocalWindows.Hit(8, 60_000), windows.hit("a", 8, 10, 60_000));
        assertEquals(new LocalWindows.Hit(13, 60_000), windows.hit("a", 5, 10, 60_000), "refused: 8 + 5 > 10");
        assertEquals(new LocalWindows.Hit(10, 60_000), windows.hit("a", 2, 10, 60_000), "the refused five took nothing");
    }

    @Test
    void aFloodOfKeysIsSweptOnceTheirWindowsEnd() {
        AtomicLong now = new AtomicLong(0);
        LocalWindows windows = new LocalWindows(now::get);
        for (int i = 0; i < 20_000; i++) {
            windows.hit("key-" + i, 1, 10, 1_000);
        }
        now.addAndGet(1_000);
        assertEquals(new LocalWindows.Hit(1, 1_000), windows.hit("key-0", 1, 10, 1_000));
        assertEquals(1, windows.size());
    }
}
