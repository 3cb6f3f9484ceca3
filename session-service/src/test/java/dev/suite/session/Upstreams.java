package dev.suite.session;

import dev.suite.commons.testing.FakeLlm;
import dev.suite.commons.testing.FakeMcpGateway;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;

import java.util.Map;

/**
 * Starts the fakes of llm-service and mcp-gateway once for the test run and points the service at
 * them. Tests reach them through the static fields.
 */
public class Upstreams implements QuarkusTestResourceLifecycleManager {

    public static FakeLlm llm;
    public static FakeMcpGateway mcp;
    private static Vertx vertx;

    @Override
    public synchronized Map<String, String> start() {
        try {
            if (vertx == null) {
                vertx = Vertx.vertx();
                llm = new FakeLlm(vertx);
                mcp = new FakeMcpGateway(vertx);
                llmPort = llm.start();
                mcpPort = mcp.start();
            }
            return Map.of("suite.llm.url", "http://127.0.0.1:" + llmPort, "suite.mcp.url", "http://127.0.0.1:" + mcpPort);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int llmPort;
    private static int mcpPort;

    @Override
    public void stop() {
        // Kept for the whole run: several test classes share one Quarkus application.
    }
}
