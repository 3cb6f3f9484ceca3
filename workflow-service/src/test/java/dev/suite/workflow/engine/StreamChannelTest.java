package dev.suite.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bounded hand-over between a streaming node and its readers. */
class StreamChannelTest {

    private static boolean done(Uni<Void> emit) {
        return emit.subscribeAsCompletionStage().isDone();
    }

    @Test
    void aSlowReaderHoldsTheProducerBackAtTheBound() {
        StreamChannel channel = new StreamChannel(2);
        StreamChannel.Reader fast = channel.reader();
        StreamChannel.Reader slow = channel.reader();
        assertTrue(done(channel.emit(IntNode.valueOf(1))));
        assertTrue(done(channel.emit(IntNode.valueOf(2))));
        fast.next().await().indefinitely();
        fast.next().await().indefinitely();
        var third = channel.emit(IntNode.valueOf(3)).subscribeAsCompletionStage();
        assertFalse(third.isDone(), "the slow reader's queue is full: the producer must wait");
        assertEquals(1, slow.next().await().indefinitely().asInt());
        assertTrue(third.isDone(), "room again: the producer goes on");
        List<Integer> rest = new ArrayList<>();
        channel.close();
        for (JsonNode chunk = slow.next().await().indefinitely(); chunk != null; chunk = slow.next().await().indefinitely()) {
            rest.add(chunk.asInt());
        }
        assertEquals(List.of(2, 3), rest);
        assertEquals(3, fast.next().await().indefinitely().asInt());
        assertNull(fast.next().await().indefinitely());
    }

    @Test
    void aReaderThatLeavesNoLongerHoldsTheProducer() {
        StreamChannel channel = new StreamChannel(1);
        StreamChannel.Reader leaving = channel.reader();
        assertTrue(done(channel.emit(IntNode.valueOf(1))));
        var blocked = channel.emit(IntNode.valueOf(2)).subscribeAsCompletionStage();
        assertFalse(blocked.isDone());
        leaving.detach();
        assertTrue(blocked.isDone());
    }

    @Test
    void readersSeeTheProducersFailureAfterWhatWasQueued() {
        StreamChannel channel = new StreamChannel(4);
        StreamChannel.Reader reader = channel.reader();
        channel.emit(IntNode.valueOf(1)).await().indefinitely();
        channel.fail(new IllegalStateException("provider cut off"));
        assertEquals(1, reader.next().await().indefinitely().asInt());
        assertThrows(IllegalStateException.class, () -> reader.next().await().indefinitely());
    }
}
