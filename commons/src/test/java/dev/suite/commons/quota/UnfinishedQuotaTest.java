package dev.suite.commons.quota;

import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnfinishedQuotaTest {

    /** What the store holds, and how often it was asked. */
    private final AtomicLong stored = new AtomicLong();
    private final AtomicInteger counts = new AtomicInteger();
    private final UnfinishedQuota quota = new UnfinishedQuota((owner, limit) -> {
        counts.incrementAndGet();
        return Uni.createFrom().item(Math.min(stored.get(), limit));
    });

    private boolean admit(int adding) {
        boolean admitted = quota.admit("alice", adding, 5).await().indefinitely();
        if (admitted) {
            stored.addAndGet(adding);
        }
        return admitted;
    }

    @Test
    void createsUnderTheCapAreAdmittedOnTheTrustedCountWithoutAskingAgain() {
        assertTrue(admit(2));
        assertTrue(admit(2));
        assertTrue(admit(1));
        assertEquals(1, counts.get(), "counted once, then reckoned here");
    }

    @Test
    void aCreatePastTheCapIsDecidedOnAFreshCount() {
        assertTrue(admit(5));
        assertFalse(admit(1));
        assertEquals(2, counts.get(), "refused only after counting again");
        stored.set(2); // some finished meanwhile
        assertTrue(admit(3));
        assertFalse(admit(1));
    }
}
