package dev.suite.launcher.supervise;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which local process listens on a TCP port, read from Linux's /proc (the kernel's socket tables
 * and each process's open files). Elsewhere, or for another user's process, the owner is unknown.
 */
public final class PortOwners {

    private static final Path PROC = Path.of("/proc");
    private static final String LISTEN = "0A";

    private PortOwners() {
    }

    public static Optional<ProcessHandle> listener(int port) {
        Set<String> sockets = listeningSockets(port);
        if (sockets.isEmpty()) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path process : processes) {
                if (holdsAny(process, sockets)) {
                    return ProcessHandle.of(Long.parseLong(process.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The command line of a process, its arguments separated by spaces; empty when unreadable. */
    public static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(PROC.resolve(pid + "/cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** The working directory of a process; empty when unreadable. */
    public static Optional<Path> workingDirectory(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(PROC.resolve(pid + "/cwd")));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** Inode numbers of the sockets listening on the port, IPv4 and IPv6. */
    private static Set<String> listeningSockets(int port) {
        Set<String> inodes = new HashSet<>();
        String hexPort = String.format(":%04X", port);
        for (String table : List.of("net/tcp", "net/tcp6")) {
            try {
                for (String line : Files.readAllLines(PROC.resolve(table))) {
                    String[] fields = line.trim().split("\\s+");
                    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …
                    if (fields.length > 9 && fields[1].endsWith(hexPort) && fields[3].equals(LISTEN)) {
                        inodes.add(fields[9]);
                    }
                }
            } catch (IOException e) {
                // No such table (no IPv6, or not Linux).
            }
        }
        return inodes;
    }

    private static boolean holdsAny(Path process, Set<String> sockets) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                String target = readLink(fd);
                if (target.startsWith("socket:[") && sockets.contains(target.substring(8, target.length() - 1))) {
                    return true;
                }
            }
        } catch (IOException | SecurityException e) {
            // Gone meanwhile, or another user's: not ours to manage either way.
        }
        return false;
    }

    private static String readLink(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return "";
        }
    }
}
