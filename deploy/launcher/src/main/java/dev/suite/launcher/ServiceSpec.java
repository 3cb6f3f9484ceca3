package dev.suite.launcher;

import java.util.List;

/**
 * One service of the suite as the launcher runs it: its name (also its Maven module directory),
 * the port it prefers and its database.
 */
public record ServiceSpec(String name, int defaultPort, String database) {

    /** The five services, in the order status lists them. */
    public static final List<ServiceSpec> ALL = List.of(
            new ServiceSpec("llm-service", 8081, "suite_llm"),
            new ServiceSpec("mcp-gateway", 8082, "suite_mcp"),
            new ServiceSpec("session-service", 8083, "suite_session"),
            new ServiceSpec("workflow-service", 8084, "suite_workflow"),
            new ServiceSpec("task-service", 8085, "suite_task"));

    /** The environment variable that overrides the preferred port: llm-service → SUITE_LLM_SERVICE_PORT. */
    public String portVariable() {
        return "SUITE_" + name.toUpperCase().replace('-', '_') + "_PORT";
    }
}
