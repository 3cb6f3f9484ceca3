package dev.suite.task.queue;

import dev.suite.task.tasks.dto.TaskResponse;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Redis side of dispatch, on its own: order, fairness between users and the global cap. Uses types no processor runs. */
@QuarkusTest
class TaskQueueTest {

    @Inject
    TaskQueue queue;

    @Test
    void higherPriorityComesFirstAndFifoWithinAPriorityAcrossTypes() {
        String a = "qa-" + UUID.randomUUID();
        String b = "qb-" + UUID.randomUUID();
        Instant t = Instant.now();
        queue.enqueue("low-old", "alice", a, 1, t).await().indefinitely();
        queue.enqueue("high-new", "alice", b, 8, t.plusMillis(5)).await().indefinitely();
        queue.enqueue("high-old", "alice", a, 8, t.plusMillis(1)).await().indefinitely();
        queue.enqueue("low-new", "alice", b, 1, t.plusMillis(9)).await().indefinitely();
        // Queued again (as the reconciler does): no duplicate, and no change of place.
        queue.enqueue("high-old", "alice", a, 8, t.plusMillis(50)).await().indefinitely();
        List<TaskQueue.Claimed> claimed = queue.claim(Map.of(a, 10, b, 10), Set.of(a, b), 100, 100, Duration.ofSeconds(5))
                .await().indefinitely();
        assertEquals(List.of("high-old", "high-new", "low-old", "low-new"),
                claimed.stream().map(TaskQueue.Claimed::taskId).toList());
    }

    @Test
    void theGlobalCapHoldsAcrossClaimsUntilLeasesEndOrAreReleased() {
        String type = "qc-" + UUID.randomUUID();
        Instant t = Instant.now();
        for (int i = 0; i < 5; i++) {
            queue.enqueue("cap-" + type + "-" + i, "alice", type, 5, t.plusMillis(i)).await().indefinitely();
        }
        long running = queue.running().await().indefinitely();
        int cap = (int) running + 2;
        assertEquals(2, queue.claim(Map.of(type, 5), Set.of(), cap, 100, Duration.ofMinutes(1)).await().indefinitely().size());
        assertEquals(0, queue.claim(Map.of(type, 5), Set.of(), cap, 100, Duration.ofMinutes(1)).await().indefinitely().size());
        queue.release("cap-" + type + "-0").await().indefinitely();
        assertEquals(1, queue.claim(Map.of(type, 5), Set.of(), cap, 100, Duration.ofMinutes(1)).await().indefinitely().size());
        queue.release("cap-" + type + "-1").await().indefinitely();
        queue.release("cap-" + type + "-2").await().indefinitely();
    }

    @Test
    void countedClaimsOfAllTypesTogetherStayWithinTheReplicasFreeWorkers() {
        String a = "qw-" + UUID.randomUUID();
        String b = "qw-" + UUID.randomUUID();
        Instant t = Instant.now();
        for (int i = 0; i < 4; i++) {
            queue.enqueue("w-" + a + "-" + i, "alice", a, 5, t.plusMillis(i)).await().indefinitely();
            queue.enqueue("w-" + b + "-" + i, "alice", b, 5, t.plusMillis(i)).await().indefinitely();
        }
        List<TaskQueue.Claimed> claimed = queue.claim(Map.of(a, 4, b, 4), Set.of(), 1_000, 3, Duration.ofMinutes(1))
                .await().indefinitely();
        assertEquals(3, claimed.size(), "three free workers, whatever each type could take: " + claimed);
        // Types not counted (batch parents) have slots of their own.
        assertEquals(4, queue.claim(Map.of(b, 4), Set.of(b), 1_000, 0, Duration.ofMinutes(1)).await().indefinitely().size()
                + claimed.stream().filter(c -> c.type().equals(b)).count());
        claimed.forEach(c -> queue.release(c.taskId()).await().indefinitely());
    }

    @Test
    void aUserWithThousandsQueuedDoesNotStarveAnothersOneTask() {
        String type = "qf-" + UUID.randomUUID();
        Instant t = Instant.now();
        List<TaskResponse> many = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            many.add(task("a-" + type + "-" + i, type, 5, t.plusMillis(i)));
        }
        queue.enqueueAll("alice", many).await().indefinitely();
        // Bob's one task comes last and with a lower priority: priority orders a user's own tasks only.
        queue.enqueue("b-" + type, "bob", type, 1, t.plusSeconds(60)).await().indefinitely();
        assertEquals(5_001, queue.depth(type).await().indefinitely());

        List<String> order = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            queue.claim(Map.of(type, 1), Set.of(type), 100, 100, Duration.ofSeconds(5)).await().indefinitely()
                    .forEach(c -> order.add(c.taskId()));
        }
        assertTrue(order.indexOf("b-" + type) >= 0 && order.indexOf("b-" + type) <= 1, "bob's task was claimed at "
                + order.indexOf("b-" + type) + " of " + order);
        assertEquals("a-" + type + "-0", order.get(0).equals("b-" + type) ? order.get(1) : order.get(0),
                "alice's own tasks keep their order");
        // Once Bob has nothing queued, Alice's tasks come one after another.
        assertEquals(List.of("a-" + type + "-49", "a-" + type + "-50"), queue.claim(Map.of(type, 2), Set.of(type), 100, 100,
                Duration.ofSeconds(5)).await().indefinitely().stream().map(TaskQueue.Claimed::taskId).toList());
        queue.remove("a-" + type + "-51", "alice", type).await().indefinitely();
        assertEquals(5_001 - 52 - 1, queue.depth(type).await().indefinitely());
    }

    private static TaskResponse task(String id, String type, int priority, Instant queuedAt) {
        return new TaskResponse(id, type, "READY", priority, null, List.of(), 0, 0, 0, 60, null, null, null, null, null,
                queuedAt, queuedAt, null, null, null, queuedAt, null);
    }
}
