package dev.suite.launcher.cli;

import dev.suite.launcher.RunDir;
import dev.suite.launcher.ServiceSpec;
import dev.suite.launcher.Settings;
import dev.suite.launcher.control.ControlClient;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@code ./suite restart <service>}: a graceful stop and a fresh start, waiting until it is ready again. */
public final class Restart {

    private final Settings settings;
    private final RunDir runDir;

    public Restart(Settings settings) {
        this.settings = settings;
        this.runDir = new RunDir(settings.runDir());
    }

    public int run(String name) throws Exception {
        if (ServiceSpec.ALL.stream().noneMatch(spec -> spec.name().equals(name))) {
            Console.warn("no service named '" + name + "'; the services are "
                    + ServiceSpec.ALL.stream().map(ServiceSpec::name).collect(Collectors.joining(", ")));
            return 2;
        }
        Optional<ControlClient> client = ControlClient.find(runDir);
        if (client.isEmpty()) {
            Console.warn("not running (./suite up starts everything)");
            return 1;
        }
        Long before = service(client.get().status(), name).getLong("pid");
        client.get().restart(name);
        Console.say(name + ": restarting");
        Instant deadline = Instant.now().plus(settings.stopGrace()).plus(settings.readyTimeout());
        while (Instant.now().isBefore(deadline)) {
            JsonObject status = client.get().status();
            JsonObject service = service(status, name);
            if (service.getBoolean("ready") && !Objects.equals(before, service.getLong("pid"))) {
                Console.say(name + ": ready on port " + service.getInteger("port") + " (pid " + service.getLong("pid") + ")");
                return 0;
            }
            if (service.getString("state").equals("failed")) {
                Console.showTail(runDir.log(name));
                Console.warn(name + ": failed: " + service.getString("last_exit"));
                return 1;
            }
            Console.pause(300);
        }
        Console.showTail(runDir.log(name));
        Console.warn(name + ": not ready again in time");
        return 1;
    }

    private static JsonObject service(JsonObject status, String name) {
        return status.getJsonArray("services").stream().map(JsonObject.class::cast)
                .filter(service -> service.getString("name").equals(name)).findFirst().orElseThrow();
    }
}
