package dev.suite.task.queue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Redis side of dispatch, on its own: order and the global cap. Uses types no processor runs. */
@QuarkusTest
class TaskQueueTest {

    @Inject
    TaskQueue queue;

    @Test
    void higherPriorityComesFirstAndFifoWithinAPriorityAcrossTypes() {
        String a = "qa-" + UUID.randomUUID();
        String b = "qb-" + UUID.randomUUID();
        Instant t = Instant.now();
        queue.enqueue("low-old", a, 1, t).await().indefinitely();
        queue.enqueue("high-new", b, 8, t.plusMillis(5)).await().indefinitely();
        queue.enqueue("high-old", a, 8, t.plusMillis(1)).await().indefinitely();
        queue.enqueue("low-new", b, 1, t.plusMillis(9)).await().indefinitely();
        // Queued again (as the reconciler does): no duplicate, and no change of place.
        queue.enqueue("high-old", a, 8, t.plusMillis(50)).await().indefinitely();
        List<TaskQueue.Claimed> claimed = queue.claim(Map.of(a, 10, b, 10), Set.of(a, b), 100, Duration.ofSeconds(5))
                .await().indefinitely();
        assertEquals(List.of("high-old", "high-new", "low-old", "low-new"),
                claimed.stream().map(TaskQueue.Claimed::taskId).toList());
    }

    @Test
    void theGlobalCapHoldsAcrossClaimsUntilLeasesEndOrAreReleased() {
        String type = "qc-" + UUID.randomUUID();
        Instant t = Instant.now();
        for (int i = 0; i < 5; i++) {
            queue.enqueue("cap-" + type + "-" + i, type, 5, t.plusMillis(i)).await().indefinitely();
        }
        long running = queue.running().await().indefinitely();
        int cap = (int) running + 2;
        assertEquals(2, queue.claim(Map.of(type, 5), Set.of(), cap, Duration.ofMinutes(1)).await().indefinitely().size());
        assertEquals(0, queue.claim(Map.of(type, 5), Set.of(), cap, Duration.ofMinutes(1)).await().indefinitely().size());
        queue.release("cap-" + type + "-0").await().indefinitely();
        assertEquals(1, queue.claim(Map.of(type, 5), Set.of(), cap, Duration.ofMinutes(1)).await().indefinitely().size());
        queue.release("cap-" + type + "-1").await().indefinitely();
        queue.release("cap-" + type + "-2").await().indefinitely();
    }
}
