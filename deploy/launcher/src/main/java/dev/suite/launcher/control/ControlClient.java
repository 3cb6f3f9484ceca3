package dev.suite.launcher.control;

import dev.suite.launcher.RunDir;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The ./suite side of the control port: finds the running supervisor through the run directory. */
public final class ControlClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final JsonObject record;

    private ControlClient(JsonObject record) {
        this.record = record;
    }

    /** The supervisor of this run directory, when its record names a process that is still alive. */
    public static Optional<ControlClient> find(RunDir runDir) {
        return runDir.readSupervisor()
                .filter(record -> record.getLong("pid") != null && record.getInteger("control_port") != null)
                .filter(record -> ProcessHandle.of(record.getLong("pid")).map(ProcessHandle::isAlive).orElse(false))
                .map(ControlClient::new);
    }

    public long pid() {
        return record.getLong("pid");
    }

    public JsonObject record() {
        return record;
    }

    public JsonObject status() throws IOException {
        return call("GET", "/status", 200);
    }

    /** Fails with the supervisor's message for an unknown service. */
    public void restart(String service) throws IOException {
        call("POST", "/services/" + service + "/restart", 202);
    }

    public void shutdown() throws IOException {
        call("POST", "/shutdown", 202);
    }

    private JsonObject call(String method, String path, int expected) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + record.getInteger("control_port") + path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + record.getString("token"))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonObject body = new JsonObject(response.body());
            if (response.statusCode() != expected) {
                throw new IOException(body.getString("error", "the supervisor answered " + response.statusCode()));
            }
            return body;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
