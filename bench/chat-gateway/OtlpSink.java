import com.sun.net.httpserver.HttpServer;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A collector that takes OTLP/HTTP exports and drops them: where the traced gateway of the bench
 * sends its spans, so tracing costs what exporting costs. Prints how much it took when asked at
 * GET /stats. Usage: java OtlpSink.java <port>
 */
public class OtlpSink {

    public static void main(String[] args) throws Exception {
        AtomicLong exports = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 64);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", exchange -> {
            if (exchange.getRequestMethod().equals("GET")) {
                byte[] body = ("exports=" + exports.get() + " bytes=" + bytes.get() + "\n").getBytes();
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } else {
                try (InputStream in = exchange.getRequestBody()) {
                    bytes.addAndGet(in.readAllBytes().length);
                }
                exports.incrementAndGet();
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        server.start();
        System.out.println("OTLP sink on " + args[0]);
    }
}
