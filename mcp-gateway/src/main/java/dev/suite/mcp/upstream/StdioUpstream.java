package dev.suite.mcp.upstream;

import dev.suite.commons.problem.ProblemException;
import dev.suite.commons.retry.Backoff;
import dev.suite.commons.stream.LineDecoder;
import dev.suite.commons.stream.LineTooLongException;
import dev.suite.mcp.McpSettings;
import dev.suite.mcp.protocol.Era;
import dev.suite.mcp.protocol.McpVersions;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A stdio MCP server run as a supervised process of this replica: started on first use, stdout
 * read as newline-delimited JSON-RPC, stderr copied to the log, restarted with backoff when it
 * exits, and stopped with its whole process tree (SIGTERM, then SIGKILL) when the server is
 * disabled, changed or deleted. {@link StdioLaunch} makes the process: a clean environment, never
 * the gateway's own (which holds its keys and passwords), and confined where bubblewrap works.
 */
public final class StdioUpstream implements Upstream {

    private static final Logger LOG = Logger.getLogger(StdioUpstream.class);
    /** A process that ran this long before exiting was not crash-looping: its backoff starts over. */
    private static final Duration STABLE_RUN = Duration.ofMinutes(1);

    /** What to run: the registered command, its arguments, env (opened) and working directory. */
    public record Command(String serverId, String name, String command, List<String> args, Map<String, String> env,
            String cwd) {

        @Override
        public String toString() {
            return "stdio MCP server '" + name + "'";
        }
    }

    private final Command command;
    private final McpSettings.Stdio settings;
    private final StdioLaunch launch;
    private final Vertx vertx;
    private final Context context;
    private final RpcChannel channel;
    private volatile Process process;
    private volatile ExecutorService writer;
    private volatile Uni<Handshake> handshake;
    private volatile boolean closed;
    private volatile long startedAt;
    private int failures;
    private volatile int restarts;

    public StdioUpstream(Command command, McpSettings.Stdio settings, StdioLaunch launch, Vertx vertx,
            Consumer<JsonObject> notices) {
        this.command = command;
        this.settings = settings;
        this.launch = launch;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.channel = new RpcChannel(vertx, command.toString(), notices);
    }

    /** How often the process was restarted after it exited on its own. */
    public int restarts() {
        return restarts;
    }

    /** The running process's pid, for tests and status; -1 when none runs. */
    public long pid() {
        Process current = process;
        return current != null && current.isAlive() ? current.pid() : -1;
    }

    @Override
    public synchronized Uni<Handshake> connect() {
        if (closed) {
            return Uni.createFrom().failure(ProblemException.unavailable(command + " was just stopped; retry.",
                    Duration.ofSeconds(1)));
        }
        Uni<Handshake> current = handshake;
        if (current == null) {
            current = start().onFailure().invoke(e -> {
                synchronized (this) {
                    handshake = null;
                }
            }).memoize().indefinitely();
            handshake = current;
        }
        return current;
    }

    @Override
    public Uni<JsonObject> call(String method, JsonObject params, Consumer<JsonObject> onNotification,
            CallLimits limits) {
        return connect().chain(h -> channel.call(method, params, onNotification, limits, this::write));
    }

    @Override
    public void close() {
        Process current;
        synchronized (this) {
            closed = true;
            current = process;
            process = null;
            handshake = null;
        }
        channel.failAll(ProblemException.unavailable(command + " was stopped.", Duration.ofSeconds(1)));
        if (current != null) {
            stop(current);
        }
    }

    private Uni<Handshake> start() {
        return Uni.createFrom().completionStage(() -> vertx.executeBlocking(this::spawn, false).toCompletionStage())
                .onFailure(e -> !(e instanceof ProblemException)).transform(e -> ProblemException.upstream(
                        command + " could not be started: " + e.getMessage(), null))
                .chain(started -> channel.initialize(McpVersions.LATEST_LEGACY, Era.STDIO,
                        CallLimits.quick(settings.startTimeout()), this::write));
    }

    private Process spawn() throws IOException {
        Process started = launch.builder(command).start();
        synchronized (this) {
            if (closed) {
                stop(started);
                throw new IOException("the server was stopped while starting");
            }
            process = started;
            startedAt = System.currentTimeMillis();
            writer = Executors.newSingleThreadExecutor(daemon("mcp-stdio-in-" + started.pid()));
        }
        LOG.infof("Started %s (pid %d)", command, started.pid());
        daemon("mcp-stdio-out-" + started.pid()).newThread(() -> readStdout(started)).start();
        daemon("mcp-stdio-err-" + started.pid()).newThread(() -> readStderr(started)).start();
        started.onExit().thenAccept(this::exited);
        return started;
    }

    private void readStdout(Process owner) {
        readLines(owner, owner.getInputStream(), "stdout", line -> {
            if (line.isBlank()) {
                return;
            }
            JsonObject message;
            try {
                message = new JsonObject(line);
            } catch (DecodeException e) {
                LOG.debugf("%s wrote a line that is not JSON-RPC; ignored", command);
                return;
            }
            context.runOnContext(v -> channel.receive(message, this::write));
        });
    }

    private void readStderr(Process owner) {
        readLines(owner, owner.getErrorStream(), "stderr", line -> LOG.infof("[%s stderr] %s", command.name(), line));
    }

    /**
     * Reads a stream of the process line by line, each line at most {@code SUITE_UPSTREAM_MAX_LINE}:
     * a server that writes a line without end is stopped (and restarted with backoff), not let fill
     * the gateway's memory.
     */
    private void readLines(Process owner, InputStream stream, String name, Consumer<String> onLine) {
        LineDecoder lines = new LineDecoder(launch.maxLine());
        byte[] buffer = new byte[8192];
        try (InputStream in = stream) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                lines.feed(Buffer.buffer().appendBytes(buffer, 0, n), onLine);
            }
            lines.end(onLine);
        } catch (LineTooLongException e) {
            LOG.warnf("%s: %s on %s; stopping it", command, e.getMessage(), name);
            owner.destroyForcibly();
        } catch (IOException e) {
            LOG.debugf("%s: %s closed: %s", command, name, e.getMessage());
        }
    }

    private void write(JsonObject message) {
        Process current = process;
        ExecutorService out = writer;
        if (current == null || out == null || !current.isAlive()) {
            throw ProblemException.upstream(command + " is not running", null);
        }
        byte[] line = (message.encode() + "\n").getBytes(StandardCharsets.UTF_8);
        out.execute(() -> {
            try {
                OutputStream stdin = current.getOutputStream();
                stdin.write(line);
                stdin.flush();
            } catch (IOException e) {
                LOG.debugf("%s: stdin closed: %s", command, e.getMessage());
            }
        });
    }

    /** The process ended: calls in flight fail, and unless it was stopped on purpose it is restarted with backoff. */
    private void exited(Process ended) {
        ExecutorService out;
        synchronized (this) {
            if (process != ended) {
                return;
            }
            process = null;
            handshake = null;
            out = writer;
            writer = null;
        }
        if (out != null) {
            // Closing stdin also ends children the process left behind: MCP servers exit at end of input.
            out.shutdownNow();
            try {
                ended.getOutputStream().close();
            } catch (IOException e) {
                LOG.debugf("%s: stdin already closed", command);
            }
        }
        channel.failAll(ProblemException.upstream(command + " exited with code " + ended.exitValue(), null));
        if (closed) {
            return;
        }
        boolean stable = System.currentTimeMillis() - startedAt > STABLE_RUN.toMillis();
        failures = stable ? 1 : failures + 1;
        long delay = new Backoff(settings.restartBaseDelay(), settings.restartMaxDelay()).delay(failures).toMillis();
        LOG.warnf("%s exited with code %d; restarting in %d ms", command, ended.exitValue(), delay);
        vertx.setTimer(delay, id -> {
            if (!closed) {
                restarts++;
                connect().subscribe().with(h -> LOG.infof("%s restarted", command),
                        e -> LOG.warnf("%s failed to restart: %s", command, e.getMessage()));
            }
        });
    }

    /** SIGTERM to the process and its descendants (npx starts node, which starts the server), SIGKILL after the grace. */
    private void stop(Process target) {
        List<ProcessHandle> tree = new ArrayList<>(target.descendants().toList());
        tree.add(target.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long graceMillis = settings.stopGrace().toMillis();
        Thread killer = daemon("mcp-stdio-stop-" + target.pid()).newThread(() -> {
            try {
                target.waitFor(graceMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        });
        killer.start();
        LOG.infof("Stopped %s (pid %d)", command, target.pid());
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
