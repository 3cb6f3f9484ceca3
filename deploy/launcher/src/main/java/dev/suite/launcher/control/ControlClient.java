package dev.suite.launcher.control;

import dev.suite.launcher.RunDir;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** The ./suite side of the control port: finds the running supervisor through the run directory. */
public final class ControlClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final JsonObject record;

    private ControlClient(JsonObject record) {
        this.record = record;
    }

    /** The supervisor of this run directory, when one runs and has written its record. */
    public static Optional<ControlClient> find(RunDir runDir) {
        if (!runDir.supervisorRunning()) {
            return Optional.empty();
        }
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
        // HttpURLConnection rather than java.net.http: it loads no TLS machinery, and ./suite status answers sooner.
        URL url = URI.create("http://127.0.0.1:" + record.getInteger("control_port") + path).toURL();
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        try {
            connection.setConnectTimeout((int) TIMEOUT.toMillis());
            connection.setReadTimeout((int) TIMEOUT.toMillis());
            connection.setRequestMethod(method);
            connection.setRequestProperty("Authorization", "Bearer " + record.getString("token"));
            int status = connection.getResponseCode();
            try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                JsonObject body = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                if (status != expected) {
                    throw new IOException(body.getString("error", "the supervisor answered " + status));
                }
                return body;
            }
        } finally {
            connection.disconnect();
        }
    }
}
