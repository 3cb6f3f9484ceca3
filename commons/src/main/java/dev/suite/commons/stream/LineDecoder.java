package dev.suite.commons.stream;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a byte stream into lines whatever the buffer boundaries (newline-delimited JSON, the
 * lines of an event stream). Only complete lines are decoded as UTF-8, so a character split
 * across two reads stays intact; a trailing {@code \r} is dropped. A line longer than the limit
 * fails with {@link LineTooLongException} and what was kept of it is released: an upstream that
 * never ends a line cannot fill the memory.
 */
public final class LineDecoder {

    private final int maxLine;
    private Buffer pending = Buffer.buffer();

    public LineDecoder(int maxLine) {
        this.maxLine = maxLine;
    }

    public void feed(Buffer chunk, Consumer<String> sink) {
        int length = chunk.length();
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (chunk.getByte(i) == '\n') {
                Buffer line = chunk.slice(start, i);
                if (pending.length() > 0) {
                    line = take(line);
                }
                ensureFits(line.length());
                sink.accept(decode(line));
                start = i + 1;
            }
        }
        if (start < length) {
            ensureFits(pending.length() + length - start);
            // A copy: the network buffer is reused once this handler returns.
            pending.appendBuffer(chunk, start, length - start);
        }
    }

    /** The stream ended: a last line without its newline still counts. */
    public void end(Consumer<String> sink) {
        if (pending.length() > 0) {
            sink.accept(decode(take(Buffer.buffer())));
        }
    }

    private Buffer take(Buffer tail) {
        Buffer line = pending.appendBuffer(tail);
        pending = Buffer.buffer();
        return line;
    }

    private void ensureFits(int length) {
        if (length > maxLine) {
            pending = Buffer.buffer();
            throw new LineTooLongException(maxLine);
        }
    }

    private static String decode(Buffer line) {
        int end = line.length();
        if (end > 0 && line.getByte(end - 1) == '\r') {
            end--;
        }
        return line.getString(0, end, StandardCharsets.UTF_8.name());
    }
}
