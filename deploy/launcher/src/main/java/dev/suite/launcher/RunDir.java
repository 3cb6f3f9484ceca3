package dev.suite.launcher;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The run directory of one local suite: the supervisor's record (pid, control port and token,
 * the services' pids), the port map desktop shells read, and a log per process.
 */
public final class RunDir {

    private final Path dir;

    public RunDir(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** {pid, control_port, token, gateway_port, services: {name: {pid, port}}}; private to the user (0600). */
    public Path supervisorFile() {
        return dir.resolve("supervisor.json");
    }

    /** {"gateway": 8080, "llm-service": 8081, …}: where a desktop shell finds the suite. */
    public Path portsFile() {
        return dir.resolve("ports.json");
    }

    /** Held (an OS file lock) by the running supervisor: a second one for the same directory refuses to start. */
    public Path lockFile() {
        return dir.resolve("supervisor.lock");
    }

    public Path logDir() {
        return dir.resolve("logs");
    }

    public Path log(String process) {
        return logDir().resolve(process + ".log");
    }

    /**
     * Whether a supervisor runs for this directory: it holds the lock file. Unlike its pid, the lock
     * cannot outlive the process, nor be mistaken for another process that got the same pid.
     */
    public boolean supervisorRunning() {
        if (!Files.exists(lockFile())) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile(), StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            return lock == null;
        } catch (OverlappingFileLockException e) {
            return true; // held by this very process
        } catch (IOException e) {
            return false;
        }
    }

    public void create() {
        try {
            Files.createDirectories(logDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run directory " + dir, e);
        }
    }

    public Optional<JsonObject> readSupervisor() {
        return read(supervisorFile());
    }

    public void writeSupervisor(JsonObject record) {
        write(supervisorFile(), record, true);
    }

    public void writePorts(JsonObject ports) {
        write(portsFile(), ports, false);
    }

    public void removeRecords() {
        try {
            Files.deleteIfExists(portsFile());
            Files.deleteIfExists(supervisorFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps the previous run's log as {@code <name>.log.1}, so a fresh start begins a fresh log. */
    public void rotateLog(String process) {
        Path log = log(process);
        try {
            if (Files.exists(log)) {
                Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<JsonObject> read(Path file) {
        try {
            return Optional.of(new JsonObject(Files.readString(file)));
        } catch (IOException | RuntimeException e) {
            // Absent, or cut short by a crash while written: either way there is no usable record.
            return Optional.empty();
        }
    }

    /** Written to a temporary file and moved into place, so a reader never sees half a file. */
    private void write(Path file, JsonObject content, boolean secret) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (secret) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(tmp, content.encodePrettily() + "\n");
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
