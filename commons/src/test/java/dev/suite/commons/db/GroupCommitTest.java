package dev.suite.commons.db;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.subscription.UniEmitter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupCommitTest {

    /** A write the test finishes by hand: each batch waits until answered. */
    private final List<List<Integer>> batches = new ArrayList<>();
    private final List<UniEmitter<? super List<String>>> pending = new ArrayList<>();
    private final GroupCommit<Integer, String> commit = new GroupCommit<>(items -> {
        batches.add(List.copyOf(items));
        return Uni.createFrom().emitter(pending::add);
    }, 10, 1);

    private void finish(int batch) {
        pending.get(batch).complete(batches.get(batch).stream().map(i -> "row " + i).toList());
    }

    @Test
    void aLoneCallerIsWrittenAtOnceAndThoseArrivingMeanwhileShareTheNextWrite() {
        UniAssertSubscriber<String> first = commit.submit(1).subscribe().withSubscriber(UniAssertSubscriber.create());
        assertEquals(List.of(List.of(1)), batches);
        List<UniAssertSubscriber<String>> later = new ArrayList<>();
        for (int i = 2; i <= 6; i++) {
            later.add(commit.submit(i).subscribe().withSubscriber(UniAssertSubscriber.create()));
        }
        assertEquals(1, batches.size(), "nothing more is written while a write is in flight");

        finish(0);
        first.assertItem("row 1");
        assertEquals(List.of(2, 3, 4, 5, 6), batches.get(1));
        finish(1);
        for (int i = 0; i < later.size(); i++) {
            later.get(i).assertItem("row " + (i + 2));
        }
    }

    @Test
    void aBatchIsCappedAndASubmissionLargerThanTheCapGoesAlone() {
        commit.submit(0).subscribe().withSubscriber(UniAssertSubscriber.create());
        UniAssertSubscriber<List<String>> big = commit.submitAll(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12))
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        UniAssertSubscriber<String> small = commit.submit(13).subscribe().withSubscriber(UniAssertSubscriber.create());
        finish(0);
        assertEquals(12, batches.get(1).size());
        finish(1);
        big.assertItem(List.of("row 1", "row 2", "row 3", "row 4", "row 5", "row 6", "row 7", "row 8", "row 9", "row 10",
                "row 11", "row 12"));
        assertEquals(List.of(13), batches.get(2));
        finish(2);
        small.assertItem("row 13");
    }

    @Test
    void itemsAreQueuedWhenSubmittedAndAnOfferWaitsOnlyPastItsHighWater() {
        commit.submit(1);
        commit.submit(2);
        assertEquals(List.of(List.of(1)), batches, "queued without a subscriber");
        UniAssertSubscriber<Void> offered = commit.offer(3, 5).subscribe().withSubscriber(UniAssertSubscriber.create());
        offered.assertCompleted();
        UniAssertSubscriber<Void> pastHighWater = commit.offer(4, 2).subscribe().withSubscriber(UniAssertSubscriber.create());
        pastHighWater.assertNotTerminated();
        finish(0);
        assertEquals(List.of(2, 3, 4), batches.get(1));
        finish(1);
        pastHighWater.assertCompleted();
    }

    @Test
    void aFailedSharedWriteIsRetriedPerCallerSoOnlyTheOffenderFails() {
        commit.submit(1).subscribe().withSubscriber(UniAssertSubscriber.create());
        UniAssertSubscriber<String> good = commit.submit(2).subscribe().withSubscriber(UniAssertSubscriber.create());
        UniAssertSubscriber<String> bad = commit.submit(3).subscribe().withSubscriber(UniAssertSubscriber.create());
        finish(0);
        assertEquals(List.of(2, 3), batches.get(1));
        pending.get(1).fail(new IllegalStateException("duplicate key"));
        assertEquals(List.of(List.of(2)), batches.subList(2, 3), "each written again alone, in order");
        finish(2);
        assertEquals(List.of(3), batches.get(3));
        pending.get(3).fail(new IllegalStateException("duplicate key"));
        good.assertItem("row 2");
        bad.assertFailedWith(IllegalStateException.class, "duplicate key");

        UniAssertSubscriber<String> later = commit.submit(4).subscribe().withSubscriber(UniAssertSubscriber.create());
        assertTrue(batches.get(4).contains(4), "writing goes on");
        finish(4);
        later.assertItem("row 4");
    }
}
