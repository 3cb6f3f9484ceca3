package dev.suite.workflow.testnodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.suite.workflow.engine.StreamChannel;
import dev.suite.workflow.nodes.ConfigSchema;
import dev.suite.workflow.nodes.Handle;
import dev.suite.workflow.nodes.HandleType;
import dev.suite.workflow.nodes.NodeCall;
import dev.suite.workflow.nodes.NodeSpec;
import dev.suite.workflow.nodes.NodeType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Reads a stream chunk by chunk, waiting {@code delay_ms} after each (a slow consumer), and joins it. */
@ApplicationScoped
public class StreamReaderNode implements NodeType {

    private static final NodeSpec SPEC = new NodeSpec("test_stream_reader", "test", "Reads a stream slowly",
            List.of(Handle.in("stream", HandleType.STREAM, true, null)),
            List.of(Handle.out("text", HandleType.STRING, null), Handle.out("chunks", HandleType.NUMBER, null)),
            ConfigSchema.create().integer("delay_ms", false, 0, 10_000, null));

    private final Vertx vertx;

    public StreamReaderNode(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    /** Not reused unless a node asks: it reads a stream. */
    @Override
    public Caching caching() {
        return Caching.ON_REQUEST;
    }

    @Override
    public Uni<Map<String, JsonNode>> run(NodeCall call) {
        StreamChannel.Reader reader = call.stream("stream");
        long delay = call.config().path("delay_ms").asLong(0);
        StringBuilder text = new StringBuilder();
        int[] chunks = {0};
        return Uni.createFrom().emitter(emitter -> read(reader, delay, text, chunks, () -> emitter.complete(Map.of(
                "text", TextNode.valueOf(text.toString()), "chunks", IntNode.valueOf(chunks[0]))), emitter::fail));
    }

    private void read(StreamChannel.Reader reader, long delay, StringBuilder text, int[] chunks, Runnable done,
            Consumer<Throwable> failed) {
        reader.next().subscribe().with(chunk -> {
            if (chunk == null) {
                done.run();
                return;
            }
            text.append(chunk.asText());
            chunks[0]++;
            if (delay == 0) {
                read(reader, delay, text, chunks, done, failed);
            } else {
                vertx.setTimer(delay, t -> read(reader, delay, text, chunks, done, failed));
            }
        }, failed::accept);
    }
}
