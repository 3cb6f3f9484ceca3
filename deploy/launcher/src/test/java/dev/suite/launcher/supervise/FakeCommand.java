package dev.suite.launcher.supervise;

import dev.suite.launcher.ServiceSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs {@link FakeService} for each service, its behaviour in {@code <dir>/<service>.mode}. */
final class FakeCommand implements ServiceCommand {

    private final Path dir;

    FakeCommand(Path dir) {
        this.dir = dir;
    }

    void mode(String service, String mode) {
        try {
            Files.writeString(dir.resolve(service + ".mode"), mode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ProcessBuilder processFor(ServiceSpec service, int port) {
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx32m", "-cp", System.getProperty("java.class.path"), FakeService.class.getName(), service.name());
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("FAKE_MODE_FILE", dir.resolve(service.name() + ".mode").toString());
        return builder;
    }

    @Override
    public boolean runs(ServiceSpec service, ProcessHandle process) {
        return PortOwners.commandLine(process.pid()).contains(FakeService.class.getName() + " " + service.name());
    }
}
