package dev.suite.task.files;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Watches a multipart body for its closing delimiter ({@code --boundary--}). Netty's decoder ends
 * a request that was cut off inside a part without ending (or failing) that part, so an upload
 * would wait for it for ever; a body that never closed is malformed, whatever was decoded of it.
 */
final class ClosingDelimiter {

    private final byte[] delimiter;
    private Buffer tail = Buffer.buffer();
    private boolean seen;

    ClosingDelimiter(String boundary) {
        this.delimiter = ("--" + boundary + "--").getBytes(StandardCharsets.ISO_8859_1);
    }

    void feed(Buffer chunk) {
        if (seen) {
            return;
        }
        // The delimiter may straddle two chunks: search the end of the last one with this one.
        Buffer window = tail.copy().appendBuffer(chunk);
        seen = indexOf(window) >= 0;
        int keep = Math.min(window.length(), delimiter.length - 1);
        tail = window.getBuffer(window.length() - keep, window.length());
    }

    boolean seen() {
        return seen;
    }

    private int indexOf(Buffer window) {
        int last = window.length() - delimiter.length;
        outer:
        for (int i = 0; i <= last; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (window.getByte(i + j) != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
