package dev.suite.mcp.upstream;

import dev.suite.commons.crypto.MasterKeyConfig;
import dev.suite.commons.net.OutboundConfig;
import dev.suite.mcp.McpPolicy;
import dev.suite.mcp.McpSettings;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * How a stdio server's process is made: the command (a catalogue entry's, with its fixed
 * arguments first, or the registered free-form one), a clean environment (the registered variables
 * a user may set, plus PATH and the locale — never the gateway's own, which holds its keys), and,
 * where bubblewrap works, a confinement:
 * <ul>
 * <li>its own user, PID, IPC, UTS and cgroup namespaces (the network is shared: servers call APIs),
 * so the gateway's processes — and their {@code /proc/<pid>/environ} — are not visible;</li>
 * <li>the host's files read-only, except what is masked: {@code ~/.suite} (the local master key,
 * task files), the master key file, mounted Kubernetes and Docker secrets, the {@code .env} and
 * {@code config/} a Quarkus service reads beside it, the JVM's performance data, and the other
 * servers' homes;</li>
 * <li>its own empty, writable {@code /tmp}, in which only the trees its command, arguments or
 * directory name (a server installed under {@code /tmp}) appear, read-only;</li>
 * <li>a private writable home that survives restarts (npx caches).</li>
 * </ul>
 * Without bubblewrap (macOS, most containers) a server runs as the gateway's user, with the clean
 * environment only; {@code suite.mcp.stdio.confinement=bubblewrap} makes the confinement required.
 */
@Startup
@ApplicationScoped
public class StdioLaunch {

    private static final Logger LOG = Logger.getLogger(StdioLaunch.class);
    private static final List<String> INHERITED_ENV = List.of("PATH", "LANG", "LC_ALL", "SYSTEMROOT");

    private final McpPolicy policy;
    private final boolean confined;
    private final Path homes;
    private final Optional<String> masterKeyFile;
    private final int maxLine;

    public StdioLaunch(McpSettings settings, McpPolicy policy, OutboundConfig outbound, MasterKeyConfig keys) {
        this.policy = policy;
        this.maxLine = (int) Math.min(Integer.MAX_VALUE, outbound.maxLine().asLongValue());
        this.masterKeyFile = keys.masterKeyFile().filter(f -> !f.isBlank());
        this.homes = Path.of(System.getProperty("java.io.tmpdir"), "suite-mcp-stdio");
        this.confined = switch (settings.stdio().confinement()) {
            case "none" -> false;
            case "bubblewrap" -> {
                if (!bubblewrapWorks()) {
                    throw new IllegalStateException("suite.mcp.stdio.confinement=bubblewrap, but bwrap is missing or "
                            + "cannot create namespaces on this host (install bubblewrap, allow user namespaces)");
                }
                yield true;
            }
            default -> {
                boolean works = bubblewrapWorks();
                if (!works) {
                    LOG.warn("stdio MCP servers run unconfined, as the gateway's user with a clean environment: "
                            + "bubblewrap (bwrap) is missing or cannot create namespaces here");
                }
                yield works;
            }
        };
        if (confined) {
            LOG.info("stdio MCP servers run confined by bubblewrap");
        }
    }

    public boolean confined() {
        return confined;
    }

    /** The longest line a server may write on stdout or stderr ({@code SUITE_UPSTREAM_MAX_LINE}). */
    public int maxLine() {
        return maxLine;
    }

    /** The process for a registered stdio server; fails when its catalogue entry is gone. */
    public ProcessBuilder builder(StdioUpstream.Command command) throws IOException {
        McpPolicy.CatalogEntry entry = policy.catalogEntry(command.command()).orElse(null);
        List<String> argv = new ArrayList<>();
        if (entry != null) {
            argv.add(entry.settings().command());
            argv.addAll(entry.settings().args().orElse(List.of()));
        } else {
            argv.add(command.command());
        }
        argv.addAll(command.args());
        Map<String, String> env = new HashMap<>();
        INHERITED_ENV.forEach(name -> {
            String value = System.getenv(name);
            if (value != null) {
                env.put(name, value);
            }
        });
        // Checked when registered; checked again, in case the rules or the catalogue changed since.
        command.env().forEach((name, value) -> {
            if (StdioEnvironment.refusal(name).isEmpty() && (entry == null || entry.envAllowed(name))) {
                env.put(name, value);
            }
        });
        Path home = home(command.serverId());
        ProcessBuilder builder;
        if (confined) {
            env.put("HOME", home.toString());
            env.put("TMPDIR", "/tmp");
            builder = new ProcessBuilder(sandboxed(argv, home, command.cwd()));
        } else {
            env.put("HOME", System.getProperty("user.home"));
            env.put("TMPDIR", System.getProperty("java.io.tmpdir"));
            builder = new ProcessBuilder(argv);
            if (command.cwd() != null) {
                builder.directory(Path.of(command.cwd()).toFile());
            }
        }
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder;
    }

    private List<String> sandboxed(List<String> argv, Path home, String cwd) {
        List<String> bwrap = new ArrayList<>(List.of("bwrap", "--die-with-parent", "--new-session",
                "--unshare-all", "--share-net", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                "--tmpfs", "/tmp"));
        for (Path tree : namedTmpTrees(argv, cwd)) {
            bwrap.addAll(List.of("--ro-bind", tree.toString(), tree.toString()));
        }
        if (cwd != null) {
            bwrap.addAll(List.of("--bind", cwd, cwd));
        }
        // Masks come after the binds above, so they hide what those trees hold too.
        List<Path> hiddenDirectories = List.of(Path.of(System.getProperty("user.home"), ".suite"),
                Path.of("/var/run/secrets"), Path.of("/run/secrets"), Path.of("config").toAbsolutePath(),
                Path.of(System.getProperty("java.io.tmpdir"), "hsperfdata_" + System.getProperty("user.name")), homes);
        for (Path directory : hiddenDirectories) {
            if (Files.isDirectory(directory)) {
                bwrap.addAll(List.of("--tmpfs", directory.toString()));
            }
        }
        List<Path> hiddenFiles = new ArrayList<>(List.of(Path.of(".env").toAbsolutePath()));
        masterKeyFile.map(key -> Path.of(key).toAbsolutePath()).ifPresent(hiddenFiles::add);
        for (Path file : hiddenFiles) {
            if (Files.isRegularFile(file)) {
                bwrap.addAll(List.of("--ro-bind", "/dev/null", file.toString()));
            }
        }
        // Mounted over the masked homes, so bubblewrap makes its mount point on that tmpfs.
        bwrap.addAll(List.of("--bind", home.toString(), home.toString(), "--chdir", cwd != null ? cwd : home.toString()));
        bwrap.add("--");
        bwrap.addAll(argv);
        return bwrap;
    }

    /** The top-level directories under /tmp that the command line or working directory names. */
    private static Set<Path> namedTmpTrees(List<String> argv, String cwd) {
        Path tmp = Path.of("/tmp");
        Set<Path> trees = new LinkedHashSet<>();
        List<String> named = new ArrayList<>(argv);
        if (cwd != null) {
            named.add(cwd);
        }
        for (String word : named) {
            if (word.startsWith("/")) {
                Path path = Path.of(word).normalize();
                if (path.startsWith(tmp) && path.getNameCount() > 1 && Files.isDirectory(tmp.resolve(path.getName(1)))) {
                    trees.add(tmp.resolve(path.getName(1)));
                }
            }
        }
        return trees;
    }

    /** The server's own home on the host, kept across restarts, for the server only (0700). */
    private Path home(String serverId) throws IOException {
        Files.createDirectories(homes, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path home = homes.resolve(serverId);
        Files.createDirectories(home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return home;
    }

    /** Whether bwrap runs here with the namespaces a server gets (containers often forbid them). */
    private static boolean bubblewrapWorks() {
        try {
            Process probe = new ProcessBuilder("bwrap", "--unshare-all", "--share-net", "--ro-bind", "/", "/",
                    "--dev", "/dev", "--proc", "/proc", "--", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!probe.waitFor(10, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return false;
            }
            return probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
