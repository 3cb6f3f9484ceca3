package dev.suite.launcher.supervise;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;

/** Probing local ports: the preferred one when it is free, else the next free one above it. */
public final class Ports {

    /** How far above the preferred port to look before taking any free port. */
    private static final int SEARCH = 100;

    private Ports() {
    }

    /** Whether a server could bind 127.0.0.1:{@code port} now (as the services do, with SO_REUSEADDR). */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A free port above {@code preferred} that is not {@code reserved} for another process of the suite. */
    public static int fallback(int preferred, Set<Integer> reserved) {
        for (int port = preferred + 1; port <= Math.min(65535, preferred + SEARCH); port++) {
            if (!reserved.contains(port) && isFree(port)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free local port", e);
        }
    }
}
