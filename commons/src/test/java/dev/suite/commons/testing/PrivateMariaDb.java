package dev.suite.commons.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A mariadbd of the test's own (fresh data directory, free port, grant tables skipped so the
 * service's user gets in), so a test can stop and restart MySQL without touching the shared one.
 * The service's database is named by the {@code database} init argument.
 */
public class PrivateMariaDb implements QuarkusTestResourceLifecycleManager {

    private static Path dir;
    private static int port;
    private static Process process;
    private String database = "suite_test";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    public static int port() {
        return port;
    }

    @Override
    public Map<String, String> start() {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
            dir = Files.createTempDirectory("private-mariadb");
            run(List.of("mariadb-install-db", "--no-defaults", "--datadir=" + dir.resolve("data"), "--user=root",
                    "--auth-root-authentication-method=normal", "--skip-test-db"));
        } catch (IOException e) {
            throw new IllegalStateException("mariadb-install-db must be installed (deploy/local/services.sh does it)", e);
        }
        startServer();
        run(List.of("mariadb", "--no-defaults", "-h127.0.0.1", "-P" + port, "-uroot",
                "-e", "CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"));
        String url = "//127.0.0.1:" + port + "/" + database;
        return Map.of("quarkus.datasource.reactive.url", "mysql:" + url,
                "quarkus.datasource.jdbc.url", "jdbc:mariadb:" + url);
    }

    @Override
    public void stop() {
        stopServer();
    }

    public static synchronized void startServer() {
        process = LocalServerProcess.start(new ProcessBuilder("mariadbd", "--no-defaults",
                        "--datadir=" + dir.resolve("data"), "--port=" + port, "--socket=" + dir.resolve("sock"),
                        "--bind-address=127.0.0.1", "--user=root", "--skip-grant-tables",
                        "--pid-file=" + dir.resolve("pid"))
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("log").toFile()),
                PrivateMariaDb::listening, "mariadbd on port " + port);
    }

    public static synchronized void stopServer() {
        LocalServerProcess.stop(process);
        process = null;
    }

    private static boolean listening() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return socket.getInputStream().read() >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
