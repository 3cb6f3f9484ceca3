package dev.suite.llm.chat.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes JSON with a streaming generator straight into a Vert.x buffer: the events of the Messages
 * and Responses streams ({@code event: <name>\ndata: <json>\n\n}) and their JSON bodies. No tree is
 * built and no String made on the way, which matters at a frame per token.
 */
public final class StreamingJson {

    /** What goes into the JSON: written with the generator, which the caller does not close. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    /**
     * Writes characters outside the Basic Multilingual Plane (emoji…) as UTF-8, as a JsonNode's
     * {@code toString()} does, rather than as the generator's default pair of {@code \}{@code u} escapes.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

    private StreamingJson() {
    }

    /** Appends the event {@code name} whose data is the JSON {@code body} writes. */
    public static void sseEvent(Buffer out, String name, Body body) {
        out.appendString("event: " + name + "\ndata: ");
        write(out, body);
        out.appendString("\n\n");
    }

    /**
     * Appends {@code text} as a JSON string, quoted and escaped as the generator does: for frames
     * whose other parts are fixed bytes, such as the deltas of a stream. Jackson's string encoder
     * escapes alike, without the cost of a generator for every delta.
     */
    public static void appendString(Buffer out, String text) {
        byte[] escaped;
        try {
            escaped = JsonStringEncoder.getInstance().quoteAsUTF8(text);
        } catch (IllegalArgumentException halfASurrogatePair) {
            // Text the encoder refuses is escaped by the generator, as everywhere else.
            write(out, json -> json.writeString(text));
            return;
        }
        out.appendByte((byte) '"').appendBytes(escaped).appendByte((byte) '"');
    }

    /** The JSON {@code body} writes, in a buffer of its own. */
    public static Buffer buffer(Body body) {
        Buffer out = Buffer.buffer();
        write(out, body);
        return out;
    }

    private static void write(Buffer out, Body body) {
        try (JsonGenerator json = FACTORY.createGenerator(new Appender(out))) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not thrown: the JSON goes to memory", e);
        }
    }

    /**
     * The generator's output: it fills a byte array of its own and hands it over when closed, so
     * what one generator writes costs one append to the buffer.
     */
    private static final class Appender extends OutputStream {

        private final Buffer out;

        Appender(Buffer out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            out.appendByte((byte) b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            out.appendBytes(bytes, offset, length);
        }
    }
}
