package dev.suite.launcher.supervise;

import dev.suite.launcher.ServiceSpec;
import dev.suite.launcher.Settings;
import dev.suite.launcher.SuitePorts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a service from its packaged jar ({@code <module>/target/quarkus-app/quarkus-run.jar}) in the
 * module directory, bound to 127.0.0.1 on the port chosen for it, with its database and Redis
 * taken from the launcher's settings. Calls between services go through the API gateway, so a
 * service that moves to another port stays reachable under the same URL.
 */
public final class JarCommand implements ServiceCommand {

    private static final String JAR = "quarkus-run.jar";

    /**
     * JVM settings for a desktop running five services (bench/memory measures them): the serial
     * collector and a heap that starts small (the JVM would otherwise take a quarter of the RAM
     * per service and commit 1/64 of it up front) and shrinks after a collection to keep 10–20 %
     * free (what a burst took is given back), a smaller code cache and thread stacks, and
     * freed native memory given back every 15 s (JDK 17.0.9+; ignored where unknown). The heap
     * cap is per service: task-service decodes images of up to 50 MP.
     */
    static final List<String> LEAN_JVM = List.of("-XX:+UseSerialGC", "-Xms24m", "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=20", "-XX:ReservedCodeCacheSize=64m",
            "-Xss512k", "-XX:+ExitOnOutOfMemoryError", "-XX:+IgnoreUnrecognizedVMOptions",
            "-XX:+UnlockExperimentalVMOptions", "-XX:TrimNativeHeapInterval=15000");

    private final Settings settings;
    private final String java;
    private final SuitePorts ports;

    public JarCommand(Settings settings, String java, SuitePorts ports) {
        this.settings = settings;
        this.java = java;
        this.ports = ports;
    }

    @Override
    public ProcessBuilder processFor(ServiceSpec service, int port) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(LEAN_JVM);
        command.add("-Xmx" + (service.name().equals("task-service") ? "1g" : "512m"));
        // Later options win: SUITE_JAVA_OPTS can change any of the above.
        command.addAll(settings.javaOptions());
        command.add("-jar");
        command.add(settings.serviceJar(service.name()).toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(settings.moduleDir(service.name()).toFile());
        Map<String, String> env = builder.environment();
        // glibc's default of 8 malloc arenas per core keeps freed native memory resident.
        env.putIfAbsent("MALLOC_ARENA_MAX", "2");
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        String database = settings.dbHost() + ":" + settings.dbPort() + "/" + service.database() + settings.dbNameSuffix();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "mysql://" + database);
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:mariadb://" + database);
        env.put("QUARKUS_REDIS_HOSTS", "redis://" + settings.redisHost() + ":" + settings.redisPort());
        String gateway = "http://127.0.0.1:" + ports.gateway();
        env.put("SUITE_LLM_URL", gateway);
        env.put("SUITE_MCP_URL", gateway);
        env.put("SUITE_TASK_URL", gateway);
        if (service.name().equals("mcp-gateway")) {
            // The toolbar listener where ports.json says it is, or none: the supervisor decided.
            env.put("SUITE_TOOLBAR_ENABLED", Boolean.toString(ports.toolbar().isPresent()));
            ports.toolbar().ifPresent(toolbar -> env.put("SUITE_TOOLBAR_PORT", Integer.toString(toolbar)));
        }
        return builder;
    }

    @Override
    public boolean runs(ServiceSpec service, ProcessHandle process) {
        String commandLine = PortOwners.commandLine(process.pid());
        if (!commandLine.contains(JAR)) {
            return false;
        }
        Path moduleDir = settings.moduleDir(service.name());
        // Started by this launcher (absolute jar path), or by hand from the module directory.
        return commandLine.contains(settings.serviceJar(service.name()).toString())
                || PortOwners.workingDirectory(process.pid()).map(moduleDir::equals).orElse(false);
    }
}
