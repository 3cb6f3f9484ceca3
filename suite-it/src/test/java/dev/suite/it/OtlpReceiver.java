package dev.suite.it;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A local OpenTelemetry collector for the tests: it takes OTLP/HTTP trace exports (protobuf, as the
 * services and the gateway send with {@code OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf}) on any path
 * and keeps the spans, reading only the fields the tests look at.
 */
final class OtlpReceiver implements AutoCloseable {

    /** One received span: ids as hex, the exporting service's name, its kind (1 internal … 5 consumer). */
    record Span(String service, String traceId, String spanId, String parentSpanId, String name, int kind,
            Map<String, String> attributes) {
    }

    private final HttpServer server;
    private final List<Span> spans = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream body = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                readRequest(body.readAllBytes());
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** The collector's base URL, for OTEL_EXPORTER_OTLP_ENDPOINT. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Span> spans() {
        return List.copyOf(spans);
    }

    List<Span> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ExportTraceServiceRequest: 1 resource_spans; ResourceSpans: 1 resource, 2 scope_spans;
    // Resource: 1 attributes; ScopeSpans: 2 spans (opentelemetry-proto, trace/v1 and common/v1).
    private void readRequest(byte[] bytes) {
        for (Field resourceSpans : Field.all(bytes, 1)) {
            String service = null;
            for (Field resource : Field.all(resourceSpans.bytes, 1)) {
                service = attributes(resource.bytes, 1).get("service.name");
            }
            for (Field scopeSpans : Field.all(resourceSpans.bytes, 2)) {
                for (Field span : Field.all(scopeSpans.bytes, 2)) {
                    spans.add(span(service, span.bytes));
                }
            }
        }
    }

    // Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind, 9 attributes.
    private static Span span(String service, byte[] bytes) {
        Map<Integer, Field> first = new HashMap<>();
        for (Field field : Field.read(bytes)) {
            first.putIfAbsent(field.number, field);
        }
        HexFormat hex = HexFormat.of();
        Field parent = first.get(4);
        Field kind = first.get(6);
        return new Span(service, hex.formatHex(first.get(1).bytes), hex.formatHex(first.get(2).bytes),
                parent == null || parent.bytes.length == 0 ? null : hex.formatHex(parent.bytes),
                new String(first.get(5).bytes, StandardCharsets.UTF_8), kind == null ? 0 : (int) kind.varint,
                attributes(bytes, 9));
    }

    // KeyValue: 1 key, 2 value; AnyValue: 1 string, 2 bool, 3 int (varint), others left out.
    private static Map<String, String> attributes(byte[] message, int number) {
        Map<String, String> out = new HashMap<>();
        for (Field keyValue : Field.all(message, number)) {
            String key = null;
            String value = null;
            for (Field part : Field.read(keyValue.bytes)) {
                if (part.number == 1) {
                    key = new String(part.bytes, StandardCharsets.UTF_8);
                } else if (part.number == 2) {
                    for (Field any : Field.read(part.bytes)) {
                        value = switch (any.number) {
                            case 1 -> new String(any.bytes, StandardCharsets.UTF_8);
                            case 2 -> Boolean.toString(any.varint != 0);
                            case 3 -> Long.toString(any.varint);
                            default -> value;
                        };
                    }
                }
            }
            if (key != null) {
                out.put(key, value);
            }
        }
        return out;
    }

    /** One protobuf field: its number and either its varint or its length-delimited bytes. */
    private record Field(int number, long varint, byte[] bytes) {

        static List<Field> all(byte[] message, int number) {
            return read(message).stream().filter(f -> f.number == number).toList();
        }

        static List<Field> read(byte[] message) {
            List<Field> fields = new ArrayList<>();
            int[] at = {0};
            while (at[0] < message.length) {
                long tag = varint(message, at);
                int number = (int) (tag >>> 3);
                switch ((int) (tag & 7)) {
                    case 0 -> fields.add(new Field(number, varint(message, at), null));
                    case 1 -> at[0] += 8;
                    case 2 -> {
                        int length = (int) varint(message, at);
                        fields.add(new Field(number, 0, Arrays.copyOfRange(message, at[0], at[0] + length)));
                        at[0] += length;
                    }
                    case 5 -> at[0] += 4;
                    default -> throw new IllegalArgumentException("unsupported wire type in " + tag);
                }
            }
            return fields;
        }

        private static long varint(byte[] message, int[] at) {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = message[at[0]++];
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("malformed varint");
        }
    }
}
