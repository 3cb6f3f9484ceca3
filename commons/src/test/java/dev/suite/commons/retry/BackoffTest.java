package dev.suite.commons.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    @Test
    void waitsDoubleUpToTheCapWithinTheirJitter() {
        Backoff backoff = Backoff.of(100, 1_000);
        assertEquals(Duration.ofMillis(100), backoff.ceiling(1));
        assertEquals(Duration.ofMillis(400), backoff.ceiling(3));
        assertEquals(Duration.ofMillis(1_000), backoff.ceiling(5));
        assertEquals(Duration.ofMillis(1_000), backoff.ceiling(10_000));
        for (int attempt = 1; attempt <= 12; attempt++) {
            for (int i = 0; i < 200; i++) {
                long wait = backoff.delay(attempt).toMillis();
                long ceiling = backoff.ceiling(attempt).toMillis();
                assertTrue(wait >= ceiling - ceiling / 2 && wait <= ceiling, attempt + ": " + wait);
            }
        }
    }

    @Test
    void hugeBasesAndAttemptsDoNotOverflow() {
        Backoff backoff = Backoff.of(Long.MAX_VALUE / 4, Long.MAX_VALUE / 2);
        assertEquals(Duration.ofMillis(Long.MAX_VALUE / 2), backoff.ceiling(50));
        assertEquals(Duration.ofMillis(5), Backoff.of(10, 5).ceiling(1));
        assertThrows(IllegalArgumentException.class, () -> Backoff.of(-1, 5));
    }
}
