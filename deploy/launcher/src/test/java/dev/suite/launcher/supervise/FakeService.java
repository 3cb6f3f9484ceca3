package dev.suite.launcher.supervise;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for a service, run as its own process: it listens on QUARKUS_HTTP_PORT and answers
 * /q/health/ready as the file FAKE_MODE_FILE says, read again for every probe, so a test can change
 * its behaviour while it runs:
 * <ul>
 *   <li>{@code ready}: 200; {@code not-ready}: 503; {@code hang}: never answers</li>
 *   <li>{@code crash}: exits with status 3 at start</li>
 *   <li>{@code ignore-term}: ready, but a SIGTERM does not end it (only SIGKILL does)</li>
 * </ul>
 */
public final class FakeService {

    public static void main(String[] args) throws Exception {
        Path modeFile = Path.of(System.getenv("FAKE_MODE_FILE"));
        if (mode(modeFile).equals("crash")) {
            System.out.println("fake " + args[0] + ": crashing");
            System.exit(3);
        }
        if (mode(modeFile).equals("ignore-term")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Thread.sleep(600_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        int port = Integer.parseInt(System.getenv("QUARKUS_HTTP_PORT"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.createContext("/q/health/ready", exchange -> {
            String mode = mode(modeFile);
            if (mode.equals("hang")) {
                return; // never answered: the probe times out
            }
            byte[] body = "{}".getBytes();
            exchange.sendResponseHeaders(mode.equals("not-ready") ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        System.out.println("fake " + args[0] + ": listening on " + port);
    }

    private static String mode(Path file) throws IOException {
        return Files.readString(file).trim();
    }
}
