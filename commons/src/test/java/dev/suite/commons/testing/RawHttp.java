package dev.suite.commons.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain socket, for what the JDK's client will not send: any {@code Host}, a
 * WebSocket upgrade from a given {@code Origin}, malformed heads. Plain Java, so the launcher's
 * tests use it too.
 */
public final class RawHttp {

    /** A response: status, headers (lower-case names) and body as text. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /** Sends {@code head} (lines without the final blank line) and an optional body; reads one response. */
    public static Response send(int port, String head, String body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder request = new StringBuilder(head.strip()).append("\r\n");
            if (body != null) {
                request.append("Content-Length: ").append(bytes.length).append("\r\n");
            }
            request.append(head.contains("\r\nUpgrade:") ? "Connection: Upgrade\r\n\r\n" : "Connection: close\r\n\r\n");
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /** A GET with the given {@code Host} and extra header lines ({@code "Origin: …"}). */
    public static Response get(int port, String path, String host, String... headers) throws IOException {
        return send(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + lines(headers), null);
    }

    /** A WebSocket upgrade of {@code path}; 101 when it is accepted. */
    public static Response upgrade(int port, String path, String host, String... headers) throws IOException {
        return send(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13" + lines(headers), null);
    }

    /** A POST with a body of the given content type. */
    public static Response post(int port, String path, String host, String contentType, String body, String... headers)
            throws IOException {
        return send(port, "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: " + contentType
                + lines(headers), body);
    }

    private static String lines(String[] headers) {
        StringBuilder out = new StringBuilder();
        for (String header : headers) {
            out.append("\r\n").append(header);
        }
        return out.toString();
    }

    /** Reads the head, then the body by Content-Length or chunks; a 101 has no body to read. */
    private static Response read(InputStream in) throws IOException {
        String head = readHead(in);
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
        }
        if (status == 101) {
            return new Response(status, headers, "");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
                body.write(in.readNBytes(size));
                in.readNBytes(2);
            }
        } else {
            body.write(in.readAllBytes());
        }
        return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            if (matched == 4) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static int chunkSize(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        String size = line.toString().split(";")[0].strip();
        return size.isEmpty() ? 0 : Integer.parseInt(size, 16);
    }
}
