package dev.suite.launcher.supervise;

import dev.suite.launcher.ServiceSpec;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;

/** One supervised service's state. Touched only on the supervisor's context, so it needs no locks. */
final class ManagedService {

    final ServiceSpec spec;
    ServiceState state = ServiceState.STOPPED;
    int port;
    Process process;
    Instant startedAt;
    Instant readySince;
    /** Starts after the first, whether after a crash, a hang or a request. */
    int restarts;
    /** Failures since the last stable run: drives the back-off and the crash-loop limit. */
    int failures;
    int missedProbes;
    String lastExit;
    /** Why the supervisor is killing the current process, reported as its exit. */
    String killReason;
    boolean stopRequested;
    Promise<Void> stopped;
    long restartTimer = -1;
    long probeTimer = -1;

    ManagedService(ServiceSpec spec, int port) {
        this.spec = spec;
        this.port = port;
    }

    String name() {
        return spec.name();
    }

    Long pid() {
        return process == null ? null : process.pid();
    }

    JsonObject status(Instant now) {
        JsonObject status = new JsonObject()
                .put("name", name())
                .put("state", state.label())
                .put("port", port)
                .put("pid", pid())
                .put("ready", state == ServiceState.READY)
                .put("restarts", restarts)
                .put("failures", failures)
                .put("last_exit", lastExit);
        if (process != null && startedAt != null) {
            status.put("started_at", startedAt.toString())
                    .put("uptime_seconds", Duration.between(startedAt, now).toSeconds());
        }
        return status;
    }
}
