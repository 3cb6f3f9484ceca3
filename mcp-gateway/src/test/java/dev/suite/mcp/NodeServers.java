package dev.suite.mcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real MCP servers from npm (pinned in src/test/node/package.json) and the official
 * TypeScript SDK client, run as processes the tests own. Installs the packages on first use, so
 * {@code ./mvnw verify} works on a fresh clone with Node.js and npm present.
 */
public final class NodeServers {

    public static final Path DIR = Path.of("src/test/node").toAbsolutePath();

    private NodeServers() {
    }

    public static synchronized void ensureInstalled() {
        if (Files.exists(DIR.resolve("node_modules/.package-lock.json"))) {
            return;
        }
        run(List.of("npm", "ci", "--no-audit", "--no-fund"), Duration.ofMinutes(5));
    }

    /** server-everything over Streamable HTTP ({@code streamableHttp}) or HTTP+SSE ({@code sse}), on a free port. */
    public static Running everything(String transport) {
        return everything(transport, freePort());
    }

    /** The same on a given port, to bring a stopped server back where the gateway expects it. */
    public static Running everything(String transport, int port) {
        ensureInstalled();
        ProcessBuilder builder = new ProcessBuilder("node",
                DIR.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js").toString(), transport)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PORT", Integer.toString(port));
        Process process = start(builder, port);
        String path = transport.equals("sse") ? "/sse" : "/mcp";
        return new Running(process, port, "http://127.0.0.1:" + port + path);
    }

    /** A long-running script under src/test/node that prints one JSON line once it listens: that line, and the process. */
    public record Script(Process process, io.vertx.core.json.JsonObject ready) implements AutoCloseable {
        @Override
        public void close() {
            stop(process);
        }
    }

    public static Script start(String script, Map<String, String> env) {
        ensureInstalled();
        ProcessBuilder builder = new ProcessBuilder("node", DIR.resolve(script).toString()).directory(DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(
                    process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null) {
                throw new IllegalStateException(script + " exited before it was ready");
            }
            return new Script(process, new io.vertx.core.json.JsonObject(line));
        } catch (IOException e) {
            throw new IllegalStateException("node must be installed", e);
        }
    }

    /** The absolute path of an npm package's entry point, for registering a stdio server. */
    public static String script(String packageName, String file) {
        ensureInstalled();
        return DIR.resolve("node_modules/" + packageName + "/" + file).toString();
    }

    /** Runs a Node.js script under src/test/node with arguments and env, and answers its stdout. */
    public static String runScript(String script, Map<String, String> env, Duration limit, String... args) {
        ensureInstalled();
        List<String> command = new ArrayList<>(List.of("node", DIR.resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(DIR.toFile());
        builder.environment().putAll(env);
        return run(builder, limit);
    }

    public record Running(Process process, int port, String url) implements AutoCloseable {
        @Override
        public void close() {
            stop(process);
        }
    }

    static void stop(Process process) {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Process start(ProcessBuilder builder, int port) {
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("node must be installed", e);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!listening(port)) {
            if (Instant.now().isAfter(deadline) || !process.isAlive()) {
                process.destroyForcibly();
                throw new IllegalStateException("the MCP server on port " + port + " did not start");
            }
            Thread.onSpinWait();
        }
        return process;
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(List<String> command, Duration limit) {
        run(new ProcessBuilder(command).directory(DIR.toFile()), limit);
    }

    private static String run(ProcessBuilder builder, Duration limit) {
        try {
            builder.redirectErrorStream(true);
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(builder.command() + " ran past " + limit);
            }
            String text = new String(out, java.nio.charset.StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(builder.command() + " failed:\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException(builder.command() + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
