package dev.suite.launcher.cli;

import dev.suite.launcher.Main;
import dev.suite.launcher.RunDir;
import dev.suite.launcher.Settings;
import dev.suite.launcher.control.ControlClient;
import io.vertx.core.json.JsonObject;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./suite up}: starts the supervisor in the background (its own session, so closing the
 * terminal does not stop it) and returns once every service is ready, printing the table and the
 * URLs. When the suite already runs, restarts the services whose jar was rebuilt since they
 * started. When a service does not get ready in time, shows its log and stops what it started.
 */
public final class Up {

    private static final Duration SUPERVISOR_START = Duration.ofSeconds(30);
    private static final List<String> SETSID = List.of("/usr/bin/setsid", "/bin/setsid");

    private final Settings settings;
    private final RunDir runDir;

    public Up(Settings settings) {
        this.settings = settings;
        this.runDir = new RunDir(settings.runDir());
    }

    public int run() throws Exception {
        Instant began = Instant.now();
        Optional<ControlClient> running = ControlClient.find(runDir);
        ControlClient client;
        if (running.isPresent()) {
            client = running.get();
            Console.say("already running (supervisor pid " + client.pid() + ")");
            restartRebuilt(client);
        } else {
            client = startSupervisor();
        }
        Optional<JsonObject> ready = awaitReady(client);
        if (ready.isEmpty()) {
            if (running.isEmpty()) {
                Console.warn("stopping what this start began");
                new Down(settings).run();
            }
            return 1;
        }
        Console.say("ready in " + Duration.between(began, Instant.now()).toMillis() / 100 / 10.0 + " s");
        StatusTable.print(System.out, ready.get());
        printUrls(ready.get());
        return 0;
    }

    private ControlClient startSupervisor() throws IOException {
        runDir.create();
        runDir.rotateLog("supervisor");
        List<String> command = new ArrayList<>();
        SETSID.stream().filter(path -> Files.isExecutable(Path.of(path))).findFirst().ifPresent(command::add);
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // The gateway's buffers live off-heap; a small heap and the serial collector keep the supervisor light.
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "supervise"));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(runDir.log("supervisor").toFile()))
                .start();
        Instant deadline = Instant.now().plus(SUPERVISOR_START);
        while (Instant.now().isBefore(deadline)) {
            // The new process's record, not one a killed supervisor left (unless setsid forked it off).
            Optional<ControlClient> client = ControlClient.find(runDir)
                    .filter(found -> found.pid() == process.pid() || !process.isAlive());
            if (client.isPresent()) {
                Console.say("supervisor started (pid " + client.get().pid() + ", log " + runDir.log("supervisor") + ")");
                return client.get();
            }
            // setsid forks (and exits 0) only when it must; any other exit is the supervisor failing.
            if (!process.isAlive() && process.exitValue() != 0) {
                break;
            }
            Console.pause(100);
        }
        Console.showTail(runDir.log("supervisor"));
        throw new IOException("the supervisor did not start");
    }

    /** Services whose jar is newer than their process: ./suite up after a rebuild brings them up to date. */
    private void restartRebuilt(ControlClient client) throws IOException {
        for (Object item : client.status().getJsonArray("services")) {
            JsonObject service = (JsonObject) item;
            String startedAt = service.getString("started_at");
            Path jar = settings.serviceJar(service.getString("name"));
            if (startedAt != null && Files.exists(jar)
                    && Files.getLastModifiedTime(jar).toInstant().isAfter(Instant.parse(startedAt))) {
                Console.say(service.getString("name") + ": rebuilt since it started; restarting it");
                client.restart(service.getString("name"));
            }
        }
    }

    /** Polls until every service is ready (the status), or one failed or the time ran out (empty). */
    private Optional<JsonObject> awaitReady(ControlClient client) {
        Instant deadline = Instant.now().plus(settings.readyTimeout());
        Map<String, String> reported = new HashMap<>();
        while (true) {
            JsonObject status;
            try {
                status = client.status();
            } catch (IOException e) {
                Console.warn("the supervisor stopped answering: " + e.getMessage());
                Console.showTail(runDir.log("supervisor"));
                return Optional.empty();
            }
            List<JsonObject> services = status.getJsonArray("services").stream().map(JsonObject.class::cast).toList();
            for (JsonObject service : services) {
                String name = service.getString("name");
                String state = service.getString("state");
                String before = reported.put(name, state);
                // Each change once; not the "stopped" every service shows before its first start.
                if (!state.equals(before) && !(before == null && state.equals("stopped"))) {
                    Console.say(name + ": " + state + " (port " + service.getInteger("port") + ")"
                            + (state.equals("backoff") ? " after " + service.getString("last_exit") : ""));
                }
            }
            if (services.stream().allMatch(service -> service.getBoolean("ready"))) {
                return Optional.of(status);
            }
            List<JsonObject> failed = services.stream().filter(service -> service.getString("state").equals("failed")).toList();
            if (!failed.isEmpty() || Instant.now().isAfter(deadline)) {
                List<JsonObject> culprits = failed.isEmpty()
                        ? services.stream().filter(service -> !service.getBoolean("ready")).toList()
                        : failed;
                for (JsonObject service : culprits) {
                    Console.showTail(runDir.log(service.getString("name")));
                    Console.warn(service.getString("name") + ": " + (failed.isEmpty()
                            ? "not ready after " + settings.readyTimeout().toSeconds() + " s (SUITE_READY_TIMEOUT)"
                            : "failed: " + service.getString("last_exit")));
                }
                return Optional.empty();
            }
            Console.pause(300);
        }
    }

    private void printUrls(JsonObject status) {
        int gateway = status.getJsonObject("supervisor").getInteger("gateway_port");
        System.out.println();
        System.out.printf("%-18s http://127.0.0.1:%d  (every route; port map: %s)%n", "API gateway", gateway, runDir.portsFile());
        Integer toolbar = status.getJsonObject("supervisor").getInteger("toolbar_port");
        if (toolbar != null) {
            System.out.printf("%-18s http://127.0.0.1:%d  (mcp-gateway, for browser toolbars)%n", "toolbar", toolbar);
        }
        for (Object item : status.getJsonArray("services")) {
            JsonObject service = (JsonObject) item;
            System.out.printf("%-18s http://127.0.0.1:%d/q/swagger-ui%n", service.getString("name"), service.getInteger("port"));
        }
        System.out.println();
        System.out.println("Logs: ./suite logs [service]   Stop: ./suite down");
    }
}
