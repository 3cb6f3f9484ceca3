package dev.suite.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Starts packaged services and helper processes for a test, and stops them all afterwards. */
final class Launcher implements AutoCloseable {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    /** SHA-256 of "alice-key". */
    static final String ALICE_KEY = "alice:72ee9d4355ccb9d3a4c9dbf37382e38e75c1b1a225b5bd1f729ee91bbda30c20";
    static final String MASTER_KEY = "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=";

    private final List<Process> processes = new ArrayList<>();
    private final List<String> databases = new ArrayList<>();

    static Path jar(String module) {
        return ROOT.resolve(module + "/target/quarkus-app/quarkus-run.jar");
    }

    /** A started service: its port and process. */
    record Started(int port, Process process) {
    }

    /** Starts a service's jar on a free port with Alice's api key and the given settings; answers the port once ready. */
    int service(String module, Map<String, String> settings) throws Exception {
        return start(module, settings).port();
    }

    /** As {@link #service}, keeping the process (to kill it). */
    Started start(String module, Map<String, String> settings) throws Exception {
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder("java", "-Xmx256m", "-jar", jar(module).toString())
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", module + "-" + port + ".log").toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("SUITE_AUTH_MODE", "api-key");
        env.put("SUITE_AUTH_API_KEYS", ALICE_KEY);
        env.put("SUITE_MASTER_KEY", MASTER_KEY);
        env.putAll(settings);
        Process process = builder.start();
        processes.add(process);
        awaitStatus(port, "/q/health/ready", 200);
        return new Started(port, process);
    }

    /** As {@link #start}, on a service's test database and a Redis key prefix, with these api keys. */
    Started start(String module, String database, String redisPrefix, String apiKeys, Map<String, String> settings)
            throws Exception {
        Map<String, String> env = new HashMap<>(settings);
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "mysql://127.0.0.1:3306/" + database);
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:mariadb://127.0.0.1:3306/" + database);
        env.put("SUITE_REDIS_PREFIX", redisPrefix);
        env.put("SUITE_AUTH_API_KEYS", apiKeys);
        return start(module, env);
    }

    /**
     * A new, empty database for this test (dropped on close), named {@code <prefix>_<random>}: the
     * shared test databases keep what earlier runs left — queued tasks a reconciler would take
     * back, files that count against a quota. The suite user may create {@code suite_*} databases;
     * the service's migrations fill it when it starts.
     */
    String freshDatabase(String prefix) throws Exception {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        databases.add(name);
        return name;
    }

    private static void sql(String statement) throws Exception {
        rows(null, statement);
    }

    /** Runs a statement in {@code database} (or none) with the mariadb client; answers its rows, tab-separated. */
    static List<String> rows(String database, String statement) throws Exception {
        List<String> command = new ArrayList<>(List.of("mariadb", "--protocol=tcp", "-h127.0.0.1", "-P3306", "-usuite",
                "-N", "-B", "-e", statement));
        if (database != null) {
            command.add(database);
        }
        ProcessBuilder client = new ProcessBuilder(command).redirectErrorStream(true);
        client.environment().put("MYSQL_PWD", "suite");
        Process process = client.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("mariadb: " + statement + ": " + output);
        }
        return output.isBlank() ? List.of() : List.of(output.strip().split("\n"));
    }

    /** Starts a helper process (its output discarded). */
    void process(ProcessBuilder builder) throws IOException {
        processes.add(builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
    }

    static void awaitStatus(int port, String path, int status) {
        // Not listening yet is an IOException: ignored until the deadline.
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == status);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Sends a request as Alice (a JSON body when {@code json} is not null) and checks its status. */
    static String call(String method, int port, String path, String json, int expected) throws Exception {
        return callAs("Bearer alice-key", method, port, path, json, expected);
    }

    /** As {@link #call}, with this {@code Authorization}. */
    static String callAs(String authorization, String method, int port, String path, String json, int expected)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", authorization)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), method + " " + path + ": " + response.body());
        return response.body();
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            process.waitFor(20, TimeUnit.SECONDS);
        }
        for (String database : databases) {
            try {
                sql("DROP DATABASE IF EXISTS `" + database + "`");
            } catch (Exception e) {
                System.err.println("could not drop the test database " + database + ": " + e.getMessage());
            }
        }
    }
}
