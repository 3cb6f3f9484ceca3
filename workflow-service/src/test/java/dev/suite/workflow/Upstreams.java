package dev.suite.workflow;

import dev.suite.commons.testing.FakeLlm;
import dev.suite.commons.testing.FakeMcpGateway;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;

import java.util.Map;

/**
 * Starts the fakes of llm-service, mcp-gateway and task-service once for the test run and points
 * the service at them. Tests reach them through the static fields.
 */
public class Upstreams implements QuarkusTestResourceLifecycleManager {

    public static FakeLlm llm;
    public static FakeMcpGateway mcp;
    public static FakeTaskService tasks;
    private static Vertx vertx;
    private static Map<String, String> urls;

    @Override
    public synchronized Map<String, String> start() {
        try {
            if (vertx == null) {
                vertx = Vertx.vertx();
                llm = new FakeLlm(vertx);
                mcp = new FakeMcpGateway(vertx);
                tasks = new FakeTaskService(vertx);
                urls = Map.of("suite.llm.url", "http://127.0.0.1:" + llm.start(),
                        "suite.mcp.url", "http://127.0.0.1:" + mcp.start(),
                        "suite.task.url", "http://127.0.0.1:" + tasks.start());
            }
            return urls;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        // Kept for the whole run: several test classes share one Quarkus application.
    }
}
