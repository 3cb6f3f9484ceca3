package dev.suite.launcher;

import dev.suite.commons.perimeter.PerimeterRules;
import dev.suite.launcher.control.ControlServer;
import dev.suite.launcher.gateway.ApiGateway;
import dev.suite.launcher.gateway.RouteTable;
import dev.suite.launcher.supervise.JarCommand;
import dev.suite.launcher.supervise.ServiceCommand;
import dev.suite.launcher.supervise.ServiceDirectory;
import dev.suite.launcher.supervise.SupervisionPolicy;
import dev.suite.launcher.supervise.Supervisor;
import dev.suite.launcher.supervise.Supervisor.ServiceRecord;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryOptions;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import dev.suite.launcher.tracing.GatewayTracing;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * {@code supervise}: the long-running process behind {@code ./suite up}. It holds the run
 * directory's lock, serves the API gateway and the control port, supervises the services, keeps
 * the run directory's records current, and on SIGTERM (or {@code ./suite down}) stops every
 * service before it exits.
 */
public final class Daemon {

    private static final Logger LOG = Logger.getLogger(Daemon.class.getName());

    private final Settings settings;
    private final RunDir runDir;
    private final Function<SuitePorts, ServiceCommand> commandFor;
    private final CountDownLatch exited = new CountDownLatch(1);
    /** Writes the run directory's records one after another, in the order of the changes, off the event loop. */
    private final ExecutorService records = Executors.newSingleThreadExecutor();

    private Daemon(Settings settings, Function<SuitePorts, ServiceCommand> commandFor) {
        this.settings = settings;
        this.runDir = new RunDir(settings.runDir());
        this.commandFor = commandFor;
    }

    /** Runs the suite from the services' jars until stopped; answers the exit status. */
    public static int run(Settings settings) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new Daemon(settings, ports -> new JarCommand(settings, java, ports)).serve();
    }

    /** As {@link #run}, with the services' processes made by {@code command} (tests run stand-ins). */
    public static int run(Settings settings, Function<SuitePorts, ServiceCommand> command) throws Exception {
        return new Daemon(settings, command).serve();
    }

    private int serve() throws Exception {
        runDir.create();
        try (FileChannel channel = FileChannel.open(runDir.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = acquire(channel)) {
            if (lock == null) {
                System.err.println("suite: another supervisor already runs for " + runDir.dir());
                return 1;
            }
            return serveLocked();
        }
    }

    /** The lock, or null when another supervisor holds it; ./suite's checks hold it only for a moment, so try a few times. */
    private static FileLock acquire(FileChannel channel) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 20; attempt++) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
            Thread.sleep(50);
        }
        return null;
    }

    private int serveLocked() throws Exception {
        List<ServiceRecord> leftovers = leftovers();
        // epoll where Netty's native library is there (Linux x86-64): less CPU per proxied request than NIO.
        Optional<OpenTelemetrySdk> tracing = GatewayTracing.fromEnvironment(System.getenv());
        VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
        tracing.ifPresent(sdk -> options.setTracingOptions(new OpenTelemetryOptions(sdk)));
        Vertx vertx = Vertx.vertx(options);
        ServiceDirectory directory = new ServiceDirectory();

        Map<ServiceSpec, Integer> preferred = new LinkedHashMap<>();
        ServiceSpec.ALL.forEach(spec -> preferred.put(spec, settings.preferredPort(spec.name())));
        SuitePorts ports = SuitePorts.choose(settings);
        int gatewayPort = ports.gateway();
        RouteTable routes = RouteTable.load();
        PerimeterRules perimeter = settings.perimeter();
        vertx.deployVerticle(() -> new ApiGateway(routes, directory, perimeter, gatewayPort),
                        new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors()))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.info("gateway: listening on http://127.0.0.1:" + gatewayPort
                + (vertx.isNativeTransportEnabled() ? " (epoll)" : " (Java NIO)"));

        ports.toolbar().ifPresent(port -> LOG.info("toolbar: mcp-gateway listens for browser toolbars on "
                + "http://127.0.0.1:" + port + "/"));
        Supervisor supervisor = new Supervisor(vertx, SupervisionPolicy.from(settings), commandFor.apply(ports),
                runDir, directory, preferred, ports.taken());
        String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
        Instant startedAt = Instant.now();
        JsonObject info = new JsonObject()
                .put("pid", ProcessHandle.current().pid())
                .put("started_at", startedAt.toString())
                .put("gateway_port", gatewayPort)
                .put("root", settings.root().toString())
                .put("log", runDir.log("supervisor").toString());
        ports.toolbar().ifPresent(port -> info.put("toolbar_port", port));
        ControlServer control = new ControlServer(vertx, supervisor, token,
                () -> info.copy().put("uptime_seconds", Duration.between(startedAt, Instant.now()).toSeconds()),
                () -> new Thread(() -> System.exit(0), "suite-shutdown").start());
        int controlPort = control.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        JsonObject record = info.copy().put("control_port", controlPort).put("token", token);

        supervisor.onChange(services -> records.execute(() -> writeRecords(record, ports, services)));
        writeRecords(record, ports, List.of());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shutdown(vertx, supervisor);
            // Sends the spans still batched before the process ends.
            tracing.ifPresent(OpenTelemetrySdk::close);
        }, "suite-stop"));

        supervisor.startAll(leftovers);
        exited.await();
        return 0;
    }

    /** Pids of services an earlier supervisor started and did not stop (it was killed): stopped before starting anew. */
    private List<ServiceRecord> leftovers() {
        List<ServiceRecord> leftovers = new ArrayList<>();
        runDir.readSupervisor().map(previous -> previous.getJsonObject("services", new JsonObject())).ifPresent(services ->
                services.forEach(entry -> {
                    JsonObject service = (JsonObject) entry.getValue();
                    leftovers.add(new ServiceRecord(entry.getKey(), service.getInteger("port", 0), service.getLong("pid")));
                }));
        return leftovers;
    }

    private void writeRecords(JsonObject record, SuitePorts ports, List<ServiceRecord> services) {
        JsonObject byName = new JsonObject();
        for (ServiceRecord service : services) {
            byName.put(service.name(), new JsonObject().put("pid", service.pid()).put("port", service.port()));
        }
        runDir.writeSupervisor(record.copy().put("services", byName));
        runDir.writePorts(ports.map(services));
    }

    private void shutdown(Vertx vertx, Supervisor supervisor) {
        LOG.info("supervisor: stopping every service");
        try {
            supervisor.stopAll().toCompletionStage().toCompletableFuture()
                    .get(settings.stopGrace().toSeconds() + 15, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warning("supervisor: not every service confirmed its stop: " + e);
        }
        try {
            // Queued behind the last state change's write, so nothing recreates the records afterwards.
            records.submit(runDir::removeRecords).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warning("supervisor: could not remove the run records: " + e);
        }
        records.shutdown();
        vertx.close();
        LOG.info("supervisor: stopped");
        exited.countDown();
    }
}
