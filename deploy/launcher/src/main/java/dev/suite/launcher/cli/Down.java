package dev.suite.launcher.cli;

import dev.suite.launcher.RunDir;
import dev.suite.launcher.ServiceSpec;
import dev.suite.launcher.Settings;
import dev.suite.launcher.SuitePorts;
import dev.suite.launcher.control.ControlClient;
import dev.suite.launcher.supervise.JarCommand;
import dev.suite.launcher.supervise.Termination;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ./suite down}: asks the supervisor to stop every service (SIGTERM, SIGKILL after the grace
 * period) and waits for it to exit. A supervisor that does not answer is signalled; services an
 * earlier, killed supervisor left behind are stopped from its record.
 */
public final class Down {

    private static final Duration BEYOND_GRACE = Duration.ofSeconds(20);

    private final Settings settings;
    private final RunDir runDir;

    public Down(Settings settings) {
        this.settings = settings;
        this.runDir = new RunDir(settings.runDir());
    }

    public int run() throws Exception {
        Optional<JsonObject> record = runDir.readSupervisor();
        Optional<ControlClient> client = ControlClient.find(runDir);
        boolean stoppedSomething = false;
        if (client.isPresent()) {
            stopSupervisor(client.get());
            stoppedSomething = true;
        }
        if (record.isPresent()) {
            stoppedSomething |= stopLeftovers(record.get());
            runDir.removeRecords();
        }
        Console.say(stoppedSomething ? "stopped" : "nothing running");
        return 0;
    }

    private void stopSupervisor(ControlClient client) throws Exception {
        ProcessHandle supervisor = ProcessHandle.of(client.pid()).orElse(null);
        if (supervisor == null) {
            return;
        }
        Console.say("stopping the services (supervisor pid " + client.pid() + ")");
        try {
            client.shutdown();
        } catch (IOException e) {
            Console.warn("the supervisor did not answer (" + e.getMessage() + "); sending it SIGTERM");
            supervisor.destroy();
        }
        try {
            supervisor.onExit().get(settings.stopGrace().plus(BEYOND_GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            Console.warn("the supervisor did not exit; killing it and what it started");
            Termination.kill(supervisor);
        }
    }

    /** Services in the record still running (their supervisor was killed): stopped together. */
    private boolean stopLeftovers(JsonObject record) {
        JarCommand command = new JarCommand(settings, "java", SuitePorts.NONE);
        JsonObject services = record.getJsonObject("services", new JsonObject());
        List<ProcessHandle> running = new ArrayList<>();
        for (ServiceSpec spec : ServiceSpec.ALL) {
            JsonObject service = services.getJsonObject(spec.name());
            if (service == null || service.getLong("pid") == null) {
                continue;
            }
            ProcessHandle.of(service.getLong("pid"))
                    .filter(handle -> handle.isAlive() && command.runs(spec, handle))
                    .ifPresent(handle -> {
                        Console.say(spec.name() + ": stopping a leftover process (pid " + handle.pid() + ")");
                        running.add(handle);
                    });
        }
        Termination.terminateAll(running, settings.stopGrace());
        return !running.isEmpty();
    }
}
