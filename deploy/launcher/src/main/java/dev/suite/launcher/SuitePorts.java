package dev.suite.launcher;

import dev.suite.launcher.supervise.Ports;
import dev.suite.launcher.supervise.Supervisor.ServiceRecord;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The ports chosen once for a run, besides the services' own: the API gateway's, and the toolbar
 * listener's that mcp-gateway opens (browser toolbars look for 5748 and scan 5746–5756; empty
 * when the listener is off). Each is the preferred one when free, else the next free one above it
 * — for the toolbar, still in the toolbars' range when it can — never a service's preferred port.
 * {@code ports.json} lists them with the services, for desktop shells.
 */
public record SuitePorts(int gateway, OptionalInt toolbar) {

    private static final Logger LOG = Logger.getLogger(SuitePorts.class.getName());

    /** For commands that start no process (they only recognise the services). */
    public static final SuitePorts NONE = new SuitePorts(0, OptionalInt.empty());

    public static SuitePorts choose(Settings settings) {
        Set<Integer> reserved = new HashSet<>(settings.preferredPorts().values());
        int gateway = free("gateway", settings.gatewayPort(), reserved);
        reserved.add(gateway);
        OptionalInt toolbar = settings.toolbarPort().isPresent()
                ? OptionalInt.of(free("toolbar", settings.toolbarPort().getAsInt(), reserved)) : OptionalInt.empty();
        return new SuitePorts(gateway, toolbar);
    }

    private static int free(String what, int preferred, Set<Integer> reserved) {
        if (Ports.isFree(preferred)) {
            return preferred;
        }
        int port = Ports.fallback(preferred, reserved);
        LOG.warning(what + ": port " + preferred + " is taken by another program; using " + port);
        return port;
    }

    /** Ports no service may fall back to. */
    public Set<Integer> taken() {
        Set<Integer> taken = new HashSet<>(Set.of(gateway));
        toolbar.ifPresent(taken::add);
        return taken;
    }

    /** {@code ports.json}: {"gateway": 8080, "toolbar": 5748, "llm-service": 8081, …}. */
    public JsonObject map(List<ServiceRecord> services) {
        JsonObject ports = new JsonObject().put("gateway", gateway);
        toolbar.ifPresent(port -> ports.put("toolbar", port));
        services.forEach(service -> ports.put(service.name(), service.port()));
        return ports;
    }
}
