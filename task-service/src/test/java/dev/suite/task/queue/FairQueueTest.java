package dev.suite.task.queue;

import dev.suite.commons.queue.FairQueue;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The suite's queue engine (commons {@link FairQueue}) on its own, as task-service holds it: order,
 * fairness between users, positions, the global cap and leases. Uses lanes no processor runs.
 */
@QuarkusTest
class FairQueueTest {

    @Inject
    FairQueue queue;

    @Test
    void higherPriorityComesFirstAndFifoWithinAPriorityAcrossLanes() {
        String a = "qa-" + UUID.randomUUID();
        String b = "qb-" + UUID.randomUUID();
        Instant t = Instant.now();
        enqueue(a, "alice", "low-old", 1, t);
        enqueue(b, "alice", "high-new", 8, t.plusMillis(5));
        enqueue(a, "alice", "high-old", 8, t.plusMillis(1));
        enqueue(b, "alice", "low-new", 1, t.plusMillis(9));
        // Queued again (as the reconciler does): no duplicate, and no change of place.
        assertEquals(0, queue.enqueue(a, "alice", List.of(new FairQueue.Entry("high-old", 8, t.plusMillis(50))))
                .await().indefinitely());
        assertEquals(List.of("high-old", "high-new", "low-old", "low-new"),
                ids(queue.claim(List.of(uncounted(a, 10), uncounted(b, 10)), 100, 0, 100, Duration.ofSeconds(5))));
    }

    @Test
    void aQueuedItemMovesToItsNewPriorityKeepingItsAge() {
        String lane = "qp-" + UUID.randomUUID();
        Instant t = Instant.now();
        enqueue(lane, "alice", "first", 5, t);
        enqueue(lane, "alice", "second", 5, t.plusMillis(1));
        enqueue(lane, "alice", "urgent", 9, t.plusMillis(2));
        assertTrue(queue.reprioritize(lane, "alice", new FairQueue.Entry("second", 9, t.plusMillis(1))).await().indefinitely());
        assertFalse(queue.reprioritize(lane, "alice", new FairQueue.Entry("absent", 9, t)).await().indefinitely(),
                "an item not queued is not added");
        assertEquals(List.of("second", "urgent", "first"), ids(queue.claim(List.of(uncounted(lane, 10)), 100, 0, 100,
                Duration.ofSeconds(5))));
        release("first", "second", "urgent");
    }

    @Test
    void theGlobalCapHoldsAcrossClaimsUntilLeasesEndOrAreReleased() {
        String lane = "qc-" + UUID.randomUUID();
        Instant t = Instant.now();
        for (int i = 0; i < 5; i++) {
            enqueue(lane, "alice", "cap-" + lane + "-" + i, 5, t.plusMillis(i));
        }
        int cap = (int) (long) queue.running().await().indefinitely() + 2;
        assertEquals(2, claim(lane, 5, cap, 100).size());
        assertEquals(0, claim(lane, 5, cap, 100).size());
        release("cap-" + lane + "-0");
        assertEquals(1, claim(lane, 5, cap, 100).size());
        release("cap-" + lane + "-1", "cap-" + lane + "-2");
    }

    @Test
    void countedClaimsOfAllLanesTogetherStayWithinTheReplicasFreeWorkers() {
        String a = "qw-" + UUID.randomUUID();
        String b = "qw-" + UUID.randomUUID();
        Instant t = Instant.now();
        for (int i = 0; i < 4; i++) {
            enqueue(a, "alice", "w-" + a + "-" + i, 5, t.plusMillis(i));
            enqueue(b, "alice", "w-" + b + "-" + i, 5, t.plusMillis(i));
        }
        List<FairQueue.Claimed> claimed = queue.claim(List.of(new FairQueue.Lane(a, 4, true), new FairQueue.Lane(b, 4, true)),
                1_000, 0, 3, Duration.ofMinutes(1)).await().indefinitely();
        assertEquals(3, claimed.size(), "three free workers, whatever each lane could take: " + claimed);
        // Lanes not counted (batch parents) have slots of their own.
        assertEquals(4, queue.claim(List.of(uncounted(b, 4)), 1_000, 0, 0, Duration.ofMinutes(1)).await().indefinitely().size()
                + claimed.stream().filter(c -> c.lane().equals(b)).count());
        release(claimed.stream().map(FairQueue.Claimed::id).toArray(String[]::new));
    }

    @Test
    void aUserWithThousandsQueuedDoesNotStarveAnothersOneTask() {
        String lane = "qf-" + UUID.randomUUID();
        Instant t = Instant.now();
        List<FairQueue.Entry> many = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            many.add(new FairQueue.Entry("a-" + lane + "-" + i, 5, t.plusMillis(i)));
        }
        queue.enqueue(lane, "alice", many).await().indefinitely();
        // Bob's one task comes last and with a lower priority: priority orders a user's own tasks only.
        List<Long> bob = queue.enqueueAndLocate(lane, "bob", List.of(new FairQueue.Entry("b-" + lane, 1, t.plusSeconds(60))))
                .await().indefinitely();
        assertEquals(List.of(1L), bob, "one of alice's goes first, then bob's");
        assertEquals(5_001, queue.depth(lane).await().indefinitely());
        assertEquals(9L, queue.position(lane, "alice", "a-" + lane + "-8").await().indefinitely(),
                "bob's one task is ahead of alice's ninth");

        List<String> order = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            order.addAll(ids(claimAll(lane, 1)));
        }
        assertTrue(order.indexOf("b-" + lane) >= 0 && order.indexOf("b-" + lane) <= 1, "bob's task was claimed at "
                + order.indexOf("b-" + lane) + " of " + order);
        assertEquals("a-" + lane + "-0", order.get(0).equals("b-" + lane) ? order.get(1) : order.get(0),
                "alice's own tasks keep their order");
        // Once Bob has nothing queued, Alice's tasks come one after another.
        assertEquals(List.of("a-" + lane + "-49", "a-" + lane + "-50"), ids(claimAll(lane, 2)));
        assertEquals(0L, queue.position(lane, "alice", "a-" + lane + "-51").await().indefinitely());
        queue.remove(lane, "alice", "a-" + lane + "-51").await().indefinitely();
        assertNull(queue.position(lane, "alice", "a-" + lane + "-51").await().indefinitely());
        assertEquals(5_001 - 52 - 1, queue.depth(lane).await().indefinitely());
    }

    @Test
    void anUnclaimedItemWaitsFirstInLineAndAHeldOneIsNotClaimedTwice() {
        String lane = "qu-" + UUID.randomUUID();
        Instant t = Instant.now();
        enqueue(lane, "alice", "u-1", 5, t);
        enqueue(lane, "bob", "u-2", 5, t.plusMillis(1));
        enqueue(lane, "carol", "u-3", 5, t.plusMillis(2));
        List<FairQueue.Claimed> first = claimAll(lane, 1);
        assertEquals(List.of("u-1"), ids(first));
        // MySQL refused the claim: alice's item goes back, ahead of bob and carol.
        queue.unclaim(first).await().indefinitely();
        assertEquals(0L, queue.position(lane, "alice", "u-1").await().indefinitely());
        List<FairQueue.Claimed> again = claimAll(lane, 1);
        assertEquals(List.of("u-1"), ids(again));
        // Queued twice while it runs (Redis lost track of it): its holder keeps it, nobody claims it again.
        enqueue(lane, "alice", "u-1", 5, t);
        assertEquals(List.of("u-2", "u-3"), ids(claimAll(lane, 3)));
        assertEquals(List.of(), queue.renew(List.of("u-1", "u-2"), Duration.ofMinutes(1)).await().indefinitely());
        release("u-1");
        assertEquals(List.of("u-1"), queue.renew(List.of("u-1", "u-2"), Duration.ofMinutes(1)).await().indefinitely(),
                "a released lease is reported lost");
        release("u-2", "u-3");
    }

    @Test
    void aUserAtTheirLimitKeepsTheirTurnWhileOthersAreServed() {
        String lane = "qp-" + UUID.randomUUID();
        String alice = "alice-" + lane;
        Instant t = Instant.now();
        for (int i = 0; i < 5; i++) {
            enqueue(lane, alice, "p-a-" + i, 5, t.plusMillis(i));
        }
        enqueue(lane, "bob-" + lane, "p-b-0", 5, t.plusMillis(10));
        enqueue(lane, "bob-" + lane, "p-b-1", 5, t.plusMillis(11));
        List<String> first = ids(capped(lane, 10, 2));
        assertEquals(List.of("p-a-0", "p-b-0", "p-a-1", "p-b-1"), first, "two each, then nobody under the limit is left");
        assertEquals(List.of(), ids(capped(lane, 10, 2)));
        // One of alice's ends: her next starts, and only one.
        release("p-a-0");
        assertEquals(List.of("p-a-2"), ids(capped(lane, 10, 2)));
        // A lapsed lease no longer counts against her either.
        release("p-a-1");
        assertEquals(List.of("p-a-3"), ids(queue.claim(List.of(new FairQueue.Lane(lane, 1, true)), 100, 2, 100,
                Duration.ofMillis(1))));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> ids(capped(lane, 10, 2)).equals(List.of("p-a-4")));
        release("p-a-1", "p-a-2", "p-a-3", "p-a-4", "p-b-0", "p-b-1");
        assertEquals(List.of(), queue.takeExpired(100).await().indefinitely().stream()
                .filter(id -> id.startsWith("p-")).toList(), "released entries are gone from the running set");
    }

    private Uni<List<FairQueue.Claimed>> capped(String lane, int wanted, int perUser) {
        return queue.claim(List.of(new FairQueue.Lane(lane, wanted, true)), 100, perUser, 100, Duration.ofMinutes(1));
    }

    private void enqueue(String lane, String owner, String id, int priority, Instant at) {
        queue.enqueue(lane, owner, List.of(new FairQueue.Entry(id, priority, at))).await().indefinitely();
    }

    private List<FairQueue.Claimed> claim(String lane, int wanted, int cap, int free) {
        return queue.claim(List.of(new FairQueue.Lane(lane, wanted, true)), cap, 0, free, Duration.ofMinutes(1))
                .await().indefinitely();
    }

    private List<FairQueue.Claimed> claimAll(String lane, int wanted) {
        return queue.claim(List.of(uncounted(lane, wanted)), 100, 0, 100, Duration.ofSeconds(5)).await().indefinitely();
    }

    private static FairQueue.Lane uncounted(String lane, int wanted) {
        return new FairQueue.Lane(lane, wanted, false);
    }

    private void release(String... ids) {
        queue.release(List.of(ids)).await().indefinitely();
    }

    private static List<String> ids(Uni<List<FairQueue.Claimed>> claimed) {
        return ids(claimed.await().indefinitely());
    }

    private static List<String> ids(List<FairQueue.Claimed> claimed) {
        return claimed.stream().map(FairQueue.Claimed::id).toList();
    }
}
