package dev.suite.launcher;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunDirTest {

    @TempDir
    Path dir;

    @Test
    void aSupervisorRunsExactlyWhileItHoldsTheLock() throws Exception {
        RunDir runDir = new RunDir(dir);
        runDir.create();
        assertFalse(runDir.supervisorRunning(), "no lock file yet");
        try (FileChannel channel = FileChannel.open(runDir.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            assertTrue(runDir.supervisorRunning());
        }
        assertTrue(Files.exists(runDir.lockFile()));
        assertFalse(runDir.supervisorRunning(), "a lock file nobody holds (its supervisor was killed)");
    }

    @Test
    void theSupervisorRecordIsPrivateAndThePortMapIsNot() throws Exception {
        RunDir runDir = new RunDir(dir);
        runDir.create();
        runDir.writeSupervisor(new JsonObject().put("token", "secret"));
        runDir.writePorts(new JsonObject().put("gateway", 8080));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(runDir.supervisorFile())));
        assertEquals("secret", runDir.readSupervisor().orElseThrow().getString("token"));
        assertEquals(8080, new JsonObject(Files.readString(runDir.portsFile())).getInteger("gateway"));

        runDir.removeRecords();
        assertFalse(Files.exists(runDir.supervisorFile()));
        assertFalse(Files.exists(runDir.portsFile()));
    }
}
