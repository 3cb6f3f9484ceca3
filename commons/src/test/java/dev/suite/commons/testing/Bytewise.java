package dev.suite.commons.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.nio.charset.StandardCharsets;

/**
 * For the fakes' split-character tests: writes a response one byte at a time with a pause between
 * writes, so a reader gets each multi-byte UTF-8 character across several buffers.
 */
public final class Bytewise {

    private Bytewise() {
    }

    /** Writes {@code text} as UTF-8, byte by byte, then ends the response (already set chunked). */
    public static void write(Vertx vertx, HttpServerResponse response, String text) {
        writeFrom(vertx, response, text.getBytes(StandardCharsets.UTF_8), 0);
    }

    private static void writeFrom(Vertx vertx, HttpServerResponse response, byte[] bytes, int index) {
        if (response.closed()) {
            return;
        }
        if (index == bytes.length) {
            response.end();
            return;
        }
        response.write(Buffer.buffer(new byte[] {bytes[index]}));
        vertx.setTimer(1, t -> writeFrom(vertx, response, bytes, index + 1));
    }
}
