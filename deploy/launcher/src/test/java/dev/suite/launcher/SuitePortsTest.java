package dev.suite.launcher;

import dev.suite.launcher.supervise.JarCommand;
import dev.suite.launcher.supervise.Supervisor.ServiceRecord;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where mcp-gateway's toolbar listener goes: chosen by the supervisor, passed to mcp-gateway, listed in ports.json. */
class SuitePortsTest {

    private static ServiceSpec spec(String name) {
        return ServiceSpec.ALL.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theToolbarListenerIsOnInLocalModeOnPort5748() {
        assertEquals(OptionalInt.of(5748), Settings.fromEnvironment(Map.of()).toolbarPort());
        assertEquals(OptionalInt.of(5750), Settings.fromEnvironment(Map.of("SUITE_AUTH_MODE", "local",
                "SUITE_TOOLBAR_PORT", "5750")).toolbarPort());
    }

    @Test
    void itIsOffInOtherModesOrWhenTurnedOff() {
        assertTrue(Settings.fromEnvironment(Map.of("SUITE_AUTH_MODE", "api-key")).toolbarPort().isEmpty());
        assertTrue(Settings.fromEnvironment(Map.of("SUITE_TOOLBAR_ENABLED", "false")).toolbarPort().isEmpty());
        assertEquals(OptionalInt.of(5748), Settings.fromEnvironment(Map.of("SUITE_AUTH_MODE", "api-key",
                "SUITE_TOOLBAR_ENABLED", "true")).toolbarPort());
        assertThrows(Settings.InvalidSetting.class,
                () -> Settings.fromEnvironment(Map.of("SUITE_TOOLBAR_ENABLED", "yes")));
    }

    @Test
    void aTakenToolbarPortFallsBackAndThePortMapSaysWhere() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Settings settings = Settings.fromEnvironment(Map.of("SUITE_TOOLBAR_PORT",
                    Integer.toString(taken.getLocalPort())));
            SuitePorts ports = SuitePorts.choose(settings);
            int toolbar = ports.toolbar().orElseThrow();
            assertNotEquals(taken.getLocalPort(), toolbar);
            assertTrue(toolbar > taken.getLocalPort(), "the next free port above it: " + toolbar);
            assertTrue(ports.taken().contains(toolbar), "no service falls back onto it");

            JsonObject map = ports.map(List.of(new ServiceRecord("mcp-gateway", 8082, 1L)));
            assertEquals(toolbar, map.getInteger("toolbar"));
            assertEquals(ports.gateway(), map.getInteger("gateway"));
            assertEquals(8082, map.getInteger("mcp-gateway"));
        }
        assertFalse(new SuitePorts(8080, OptionalInt.empty()).map(List.of()).containsKey("toolbar"));
    }

    @Test
    void mcpGatewayIsToldWhereToListen() {
        Settings settings = Settings.fromEnvironment(Map.of());
        Map<String, String> on = new JarCommand(settings, "java", new SuitePorts(8080, OptionalInt.of(5750)))
                .processFor(spec("mcp-gateway"), 8082).environment();
        assertEquals("true", on.get("SUITE_TOOLBAR_ENABLED"));
        assertEquals("5750", on.get("SUITE_TOOLBAR_PORT"));
        Map<String, String> off = new JarCommand(settings, "java", new SuitePorts(8080, OptionalInt.empty()))
                .processFor(spec("mcp-gateway"), 8082).environment();
        assertEquals("false", off.get("SUITE_TOOLBAR_ENABLED"));
        Map<String, String> other = new JarCommand(settings, "java", new SuitePorts(8080, OptionalInt.of(5750)))
                .processFor(spec("llm-service"), 8081).environment();
        assertNotEquals("5750", other.get("SUITE_TOOLBAR_PORT"));
    }
}
