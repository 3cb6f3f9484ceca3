package dev.suite.launcher.supervise;

import dev.suite.launcher.RunDir;
import dev.suite.launcher.ServiceSpec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts the services, watches them and restarts them: a health-gated start (ready once
 * {@code /q/health/ready} answers 200), restart with back-off when a process exits or stops
 * answering, a crash-loop limit, and a graceful stop (SIGTERM, then SIGKILL after the grace).
 *
 * <p>All state lives on one Vert.x context; process starts, port probes and file writes run on
 * worker threads, so the event loop never waits.
 */
public final class Supervisor {

    private static final Logger LOG = Logger.getLogger(Supervisor.class.getName());

    private final Vertx vertx;
    private final Context context;
    private final SupervisionPolicy policy;
    private final ServiceCommand command;
    private final RunDir runDir;
    private final ServiceDirectory directory;
    private final Set<Integer> reservedPorts;
    private final HttpClient probes;
    private final Map<String, ManagedService> services = new LinkedHashMap<>();
    private Consumer<List<ServiceRecord>> listener = records -> {
    };
    /** Set by {@link #stopAll()}: a restart under way then ends stopped. */
    private boolean closing;

    /** What the run directory keeps of a service: enough to find it, or its leftover, again. */
    public record ServiceRecord(String name, int port, Long pid) {
    }

    /**
     * @param preferredPorts the port each service prefers, in start order
     * @param reservedPorts  ports other processes of the suite use (the gateway's): never given to a service
     */
    public Supervisor(Vertx vertx, SupervisionPolicy policy, ServiceCommand command, RunDir runDir,
                      ServiceDirectory directory, Map<ServiceSpec, Integer> preferredPorts, Set<Integer> reservedPorts) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.policy = policy;
        this.command = command;
        this.runDir = runDir;
        this.directory = directory;
        this.reservedPorts = new HashSet<>(reservedPorts);
        this.reservedPorts.addAll(preferredPorts.values());
        this.probes = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)
                .setConnectTimeout((int) policy.probeTimeout().toMillis())
                // Health probes every few seconds are not traces anyone wants to read.
                .setTracingPolicy(TracingPolicy.IGNORE));
        preferredPorts.forEach((spec, port) -> services.put(spec.name(), new ManagedService(spec, port)));
    }

    /** Called on the supervisor's context after every change of a port or process. */
    public void onChange(Consumer<List<ServiceRecord>> listener) {
        this.listener = listener;
    }

    /** Stops what an earlier run left behind (from its record), then starts every service. */
    public Future<Void> startAll(List<ServiceRecord> leftovers) {
        return vertx.executeBlocking(() -> {
            stopLeftovers(leftovers);
            return null;
        }).compose(v -> onContext(() -> {
            for (ManagedService service : services.values()) {
                runDir.rotateLog(service.name());
                service.stopRequested = false;
                launch(service);
            }
            return Future.succeededFuture();
        }));
    }

    /** Whether the service is one of those supervised here (the set never changes). */
    public boolean supervises(String name) {
        return services.containsKey(name);
    }

    /** Stops the service (gracefully) and starts it again; also revives one that failed in a crash loop. */
    public Future<Void> restart(String name) {
        return onContext(() -> {
            ManagedService service = services.get(name);
            if (service == null) {
                return Future.failedFuture(new NoSuchElementException("no service named '" + name + "'"));
            }
            return stop(service).compose(v -> onContext(() -> {
                if (closing) {
                    return Future.succeededFuture(); // the supervisor stopped everything meanwhile
                }
                service.stopRequested = false;
                service.failures = 0;
                service.restarts++;
                launch(service);
                return Future.succeededFuture();
            }));
        });
    }

    /** Stops every service at once and completes when all have exited. */
    public Future<Void> stopAll() {
        return onContext(() -> {
            closing = true;
            return Future.join(services.values().stream().map(this::stop).toList()).mapEmpty();
        });
    }

    /** Each service's state, port, pid, uptime, restarts and readiness, in start order. */
    public Future<JsonArray> status() {
        return onContext(() -> {
            Instant now = Instant.now();
            JsonArray array = new JsonArray();
            services.values().forEach(service -> array.add(service.status(now)));
            return Future.succeededFuture(array);
        });
    }

    // --- starting -------------------------------------------------------------------------------

    private record Launched(int port, Process process) {
    }

    private void launch(ManagedService service) {
        service.restartTimer = -1;
        service.state = ServiceState.STARTING;
        service.missedProbes = 0;
        service.killReason = null;
        publish();
        int wanted = service.port;
        Set<Integer> reserved = portsTakenBesides(service);
        String banner = "---- " + Instant.now() + " supervisor: starting " + service.name()
                + (service.restarts > 0 ? " (restart " + service.restarts + "; last exit: " + service.lastExit + ")" : "")
                + " ----\n";
        vertx.<Launched>executeBlocking(() -> {
            int port = choosePort(service.spec, wanted, reserved);
            Files.writeString(runDir.log(service.name()), banner, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = command.processFor(service.spec, port)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(runDir.log(service.name()).toFile()));
            return new Launched(port, builder.start());
        }).onComplete(result -> {
            if (service.stopRequested) {
                // Stopped while its process was being made: stop that process too.
                if (result.succeeded()) {
                    service.process = result.result().process();
                    watch(service, service.process);
                    terminate(service);
                } else {
                    settleStopped(service);
                }
                return;
            }
            if (result.failed()) {
                service.lastExit = "could not start: " + result.cause().getMessage();
                LOG.log(Level.WARNING, service.name() + ": " + service.lastExit);
                failed(service);
                return;
            }
            Launched launched = result.result();
            if (launched.port() != service.port) {
                LOG.warning(service.name() + ": port " + service.port + " is taken by another program; using " + launched.port());
            }
            service.port = launched.port();
            service.process = launched.process();
            service.startedAt = Instant.now();
            LOG.info(service.name() + ": started on port " + service.port + " (pid " + service.process.pid() + ")");
            watch(service, service.process);
            publish();
            scheduleProbe(service, service.process);
        });
    }

    /** The ports other services use or prefer, and the gateway's: a service falling back never takes them. */
    private Set<Integer> portsTakenBesides(ManagedService service) {
        Set<Integer> taken = new HashSet<>(reservedPorts);
        services.values().stream().filter(other -> other != service).forEach(other -> taken.add(other.port));
        return taken;
    }

    /** The wanted port when free or held by a leftover of this service (stopped first); else a fallback. Worker thread. */
    private int choosePort(ServiceSpec spec, int wanted, Set<Integer> reserved) {
        if (Ports.isFree(wanted)) {
            return wanted;
        }
        var owner = PortOwners.listener(wanted);
        if (owner.isPresent() && command.runs(spec, owner.get())) {
            LOG.warning(spec.name() + ": port " + wanted + " is held by a leftover " + spec.name()
                    + " (pid " + owner.get().pid() + "); stopping it");
            Termination.terminate(owner.get(), policy.stopGrace());
            if (Ports.isFree(wanted)) {
                return wanted;
            }
        }
        return Ports.fallback(wanted, reserved);
    }

    /** Worker thread. */
    private void stopLeftovers(List<ServiceRecord> leftovers) {
        List<ProcessHandle> running = new ArrayList<>();
        for (ServiceRecord leftover : leftovers) {
            ManagedService service = services.get(leftover.name());
            if (leftover.pid() == null || service == null) {
                continue;
            }
            ProcessHandle.of(leftover.pid())
                    .filter(process -> process.isAlive() && command.runs(service.spec, process))
                    .ifPresent(process -> {
                        LOG.warning(leftover.name() + ": stopping a leftover of an earlier run (pid " + process.pid() + ")");
                        running.add(process);
                    });
        }
        Termination.terminateAll(running, policy.stopGrace());
    }

    private void watch(ManagedService service, Process process) {
        process.onExit().thenRun(() -> context.runOnContext(v -> exited(service, process)));
    }

    // --- health ---------------------------------------------------------------------------------

    private void scheduleProbe(ManagedService service, Process process) {
        service.probeTimer = vertx.setTimer(policy.probeInterval().toMillis(), id -> {
            service.probeTimer = -1;
            probe(service, process);
        });
    }

    private void probe(ManagedService service, Process process) {
        RequestOptions ready = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                .setPort(service.port).setURI("/q/health/ready").setIdleTimeout(policy.probeTimeout().toMillis());
        probes.request(ready)
                .compose(request -> request.send().compose(response -> response.body().map(body -> response.statusCode())))
                .onComplete(result -> {
                    if (service.process != process || service.stopRequested) {
                        return;
                    }
                    if (result.succeeded()) {
                        answered(service, result.result() == 200);
                    } else {
                        unanswered(service);
                    }
                    if (service.process == process && service.killReason == null) {
                        scheduleProbe(service, process);
                    }
                });
    }

    private void answered(ManagedService service, boolean ready) {
        service.missedProbes = 0;
        Instant now = Instant.now();
        if (ready) {
            if (service.state != ServiceState.READY) {
                if (service.state == ServiceState.STARTING) {
                    LOG.info(service.name() + ": ready after " + Duration.between(service.startedAt, now).toMillis() + " ms");
                } else {
                    LOG.info(service.name() + ": ready again");
                }
                service.state = ServiceState.READY;
                service.readySince = now;
                publish();
            } else if (service.failures > 0 && Duration.between(service.readySince, now).compareTo(policy.stableAfter()) >= 0) {
                service.failures = 0;
                publish();
            }
        } else if (service.state == ServiceState.READY) {
            LOG.warning(service.name() + ": answers not ready (see its log and /q/health/ready)");
            service.state = ServiceState.UNHEALTHY;
            publish();
        } else {
            checkStartDeadline(service, now);
        }
    }

    private void unanswered(ManagedService service) {
        if (service.state == ServiceState.STARTING) {
            checkStartDeadline(service, Instant.now());
            return;
        }
        service.missedProbes++;
        if (service.missedProbes >= policy.missedProbesBeforeHung()) {
            kill(service, "stopped answering its health checks (" + service.missedProbes + " in a row)");
        }
    }

    private void checkStartDeadline(ManagedService service, Instant now) {
        if (service.state == ServiceState.STARTING
                && Duration.between(service.startedAt, now).compareTo(policy.readyTimeout()) > 0) {
            kill(service, "not ready after " + policy.readyTimeout().toSeconds() + " s");
        }
    }

    /** Stops a process that is alive but useless; its exit then counts as a failure. */
    private void kill(ManagedService service, String reason) {
        LOG.warning(service.name() + ": " + reason + "; restarting it");
        service.killReason = reason;
        terminate(service);
    }

    // --- exits and restarts ---------------------------------------------------------------------

    private void exited(ManagedService service, Process process) {
        if (service.process != process) {
            return;
        }
        service.process = null;
        cancelProbe(service);
        service.lastExit = service.killReason != null ? service.killReason : describeExit(process.exitValue());
        if (service.stopRequested) {
            LOG.info(service.name() + ": stopped (" + describeExit(process.exitValue()) + ")");
            settleStopped(service);
            return;
        }
        LOG.warning(service.name() + ": exited unexpectedly (" + service.lastExit + ")");
        failed(service);
    }

    private void failed(ManagedService service) {
        service.failures++;
        if (service.failures >= policy.maxFailures()) {
            service.state = ServiceState.FAILED;
            LOG.severe(service.name() + ": failed " + service.failures + " times in a row; not restarting it (a crash loop:"
                    + " see " + runDir.log(service.name()) + ", then ./suite restart " + service.name() + ")");
            publish();
            return;
        }
        Duration delay = policy.backoff(service.failures);
        service.state = ServiceState.BACKOFF;
        LOG.info(service.name() + ": restarting in " + delay.toMillis() + " ms (failure " + service.failures
                + " of at most " + policy.maxFailures() + ")");
        publish();
        service.restartTimer = vertx.setTimer(delay.toMillis(), id -> {
            service.restarts++;
            launch(service);
        });
    }

    private static String describeExit(int code) {
        // A JVM killed by signal N exits with 128 + N.
        return switch (code) {
            case 137 -> "killed (SIGKILL)";
            case 143 -> "terminated (SIGTERM)";
            default -> "exit code " + code;
        };
    }

    // --- stopping -------------------------------------------------------------------------------

    private Future<Void> stop(ManagedService service) {
        service.stopRequested = true;
        if (service.restartTimer != -1) {
            vertx.cancelTimer(service.restartTimer);
            service.restartTimer = -1;
        }
        cancelProbe(service);
        if (service.stopped == null) {
            service.stopped = Promise.promise();
        }
        Future<Void> stopped = service.stopped.future();
        if (service.process == null) {
            if (service.state != ServiceState.STARTING) {
                // STARTING without a process: launch() settles it once the process exists.
                settleStopped(service);
            }
            return stopped;
        }
        if (service.state != ServiceState.STOPPING) {
            service.state = ServiceState.STOPPING;
            LOG.info(service.name() + ": stopping (pid " + service.process.pid() + ")");
            publish();
            terminate(service);
        }
        return stopped;
    }

    private void settleStopped(ManagedService service) {
        service.state = ServiceState.STOPPED;
        publish();
        if (service.stopped != null) {
            Promise<Void> stopped = service.stopped;
            service.stopped = null;
            stopped.complete();
        }
    }

    /** SIGTERM now, SIGKILL (with the process's children) if it is still there after the grace period. */
    private void terminate(ManagedService service) {
        Process process = service.process;
        process.destroy();
        vertx.setTimer(policy.stopGrace().toMillis(), id -> {
            if (process.isAlive()) {
                LOG.warning(service.name() + ": still running " + policy.stopGrace().toSeconds()
                        + " s after SIGTERM; killing it (pid " + process.pid() + ")");
                vertx.executeBlocking(() -> {
                    Termination.kill(process.toHandle());
                    return null;
                });
            }
        });
    }

    private void cancelProbe(ManagedService service) {
        if (service.probeTimer != -1) {
            vertx.cancelTimer(service.probeTimer);
            service.probeTimer = -1;
        }
    }

    // --- plumbing -------------------------------------------------------------------------------

    private void publish() {
        services.values().forEach(service -> directory.put(service.name(), service.port, service.state));
        listener.accept(services.values().stream()
                .map(service -> new ServiceRecord(service.name(), service.port, service.pid())).toList());
    }

    private <T> Future<T> onContext(Supplier<Future<T>> action) {
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> {
            try {
                action.get().onComplete(promise);
            } catch (RuntimeException e) {
                promise.fail(e);
            }
        });
        return promise.future();
    }

    /** Closes the health-check client; the services are stopped with {@link #stopAll()} first. */
    public Future<Void> close() {
        return probes.close();
    }
}
