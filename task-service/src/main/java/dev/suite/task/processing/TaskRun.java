package dev.suite.task.processing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.commons.db.Times;
import dev.suite.commons.ids.Ids;
import dev.suite.task.files.BlobStorage;
import dev.suite.task.files.FileStore;
import dev.suite.task.files.StoredFile;
import dev.suite.task.tasks.Task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * What a processor gets for one attempt of a task: its parameters and input files, a way to
 * report progress, save a checkpoint and keep output files, and whether it was asked to stop
 * (cancel, pause or timeout). Processes it starts are killed when it is.
 */
public final class TaskRun {

    /** Why a run was asked to stop. */
    public enum Stop { CANCEL, PAUSE, TIMEOUT, SHUTDOWN }

    private static final long PROGRESS_EVERY_MILLIS = 250;
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);

    private final Task task;
    private final List<StoredFile> inputs;
    private final BlobStorage storage;
    private final FileStore files;
    private final long storageQuota;
    private final IntConsumer progressSink;
    private final java.util.function.Consumer<JsonNode> checkpointSink;
    private final Children children;
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private volatile Stop stop;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Released when the run is asked to stop: wakes a processor waiting on something else. */
    private final Semaphore wakeups = new Semaphore(0);
    private volatile JsonNode checkpoint;
    private long lastProgressAt;
    private int lastProgress = -1;
    private Path workDir;

    /** Child tasks, for processors that fan out (batches). */
    public interface Children {
        /** Creates and queues a child task; answers its id. */
        String create(String type, JsonNode params, List<String> inputFileIds, int priority);

        /** The child's state name, progress and error. */
        ChildState state(String taskId);

        /**
         * Waits until the child's state or progress changes (on any replica), {@code wake} is
         * released, or {@code max} passes.
         */
        void awaitChange(String taskId, Semaphore wake, Duration max) throws InterruptedException;

        void cancel(String taskId);
    }

    public record ChildState(String state, int progress, String error, JsonNode result) {
    }

    /** @param storageQuota bytes the owner's files may take: an output past it fails the task */
    public TaskRun(Task task, List<StoredFile> inputs, BlobStorage storage, FileStore files, long storageQuota,
            IntConsumer progressSink, java.util.function.Consumer<JsonNode> checkpointSink, Children children) {
        this.task = task;
        this.inputs = inputs;
        this.storage = storage;
        this.files = files;
        this.storageQuota = storageQuota;
        this.progressSink = progressSink;
        this.checkpointSink = checkpointSink;
        this.children = children;
        this.checkpoint = task.checkpoint();
    }

    public Task task() {
        return task;
    }

    public JsonNode params() {
        return task.params();
    }

    public List<StoredFile> inputs() {
        return inputs;
    }

    public Path inputPath(StoredFile file) {
        return storage.localPath(file.storageKey());
    }

    public Children children() {
        return children;
    }

    /** Reports progress (0–100); written and published at most every 250 ms, and always at 100. */
    public void progress(int percent) {
        int p = Math.max(0, Math.min(100, percent));
        long now = System.currentTimeMillis();
        if (p == lastProgress || (p < 100 && now - lastProgressAt < PROGRESS_EVERY_MILLIS)) {
            return;
        }
        lastProgress = p;
        lastProgressAt = now;
        progressSink.accept(p);
    }

    public JsonNode checkpoint() {
        return checkpoint;
    }

    /** Saves where the work is, so that a pause (or a crash) resumes from here. */
    public void saveCheckpoint(JsonNode state) {
        checkpoint = state;
        checkpointSink.accept(state);
    }

    public Semaphore wakeups() {
        return wakeups;
    }

    public boolean stopRequested() {
        return stop != null;
    }

    public Stop stopReason() {
        return stop;
    }

    public void checkStop() throws Stopped {
        if (stop != null) {
            throw new Stopped();
        }
    }

    /** Asks the run to stop, and kills the processes it started. */
    public void requestStop(Stop why) {
        if (stop == null) {
            stop = why;
        }
        stopped.countDown();
        wakeups.release();
        processes.forEach(TaskRun::kill);
    }

    /** Keeps a process to be killed if the run is stopped; answers it. */
    public Process supervise(Process process) {
        processes.add(process);
        if (stop != null) {
            kill(process);
        }
        return process;
    }

    /**
     * Ends a process without waiting for it (stops are asked from event-loop threads): SIGTERM to
     * it and its children now, SIGKILL if it is still alive two seconds later.
     */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroy();
        process.onExit().completeOnTimeout(process, KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                .thenAccept(p -> {
                    if (p.isAlive()) {
                        p.destroyForcibly();
                    }
                });
    }

    /**
     * Waits up to {@code time}, ending early when the run is asked to stop; answers whether it was.
     * For processors whose work is waiting.
     */
    public boolean waitForStop(Duration time) throws InterruptedException {
        return stopped.await(time.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A private scratch directory of this run, removed when it ends. */
    public Path workDir() throws IOException {
        if (workDir == null) {
            workDir = Files.createTempDirectory("task-" + task.taskId());
        }
        return workDir;
    }

    /** Keeps a file the processor made as a stored file of the task's owner; answers it. */
    public StoredFile output(Path made, String name, String contentType) throws TaskFailure {
        String key = Ids.newId();
        try {
            long size = Files.size(made);
            long used = files.storedBytes(task.ownerId()).await().atMost(Duration.ofSeconds(30));
            if (used + size > storageQuota) {
                throw TaskFailure.permanent("Storage quota reached: the output (" + size + " bytes) does not fit in "
                        + "the owner's " + storageQuota + " bytes (suite.task.files.max-stored-bytes-per-user), of which "
                        + used + " are taken.");
            }
            String sha = sha256(made);
            storage.put(made, key);
            StoredFile file = new StoredFile(key, name, contentType, size, sha, task.taskId(),
                    Times.now(), key);
            files.insert(task.ownerId(), file).await().atMost(Duration.ofSeconds(30));
            return file;
        } catch (IOException | RuntimeException e) {
            throw TaskFailure.transientFailure("Could not keep the output: " + e.getMessage());
        }
    }

    public void cleanUpQuietly() {
        if (workDir == null) {
            return;
        }
        try (var walk = Files.walk(workDir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    private static String sha256(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            var digest = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
