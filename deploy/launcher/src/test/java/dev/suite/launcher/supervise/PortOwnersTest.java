package dev.suite.launcher.supervise;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PortOwnersTest {

    @Test
    void findsTheProcessListeningOnAPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(ProcessHandle.current().pid(), PortOwners.listener(socket.getLocalPort()).orElseThrow().pid());
            assertFalse(Ports.isFree(socket.getLocalPort()));
            assertTrue(PortOwners.commandLine(ProcessHandle.current().pid()).contains("java"));
        }
    }

    @Test
    void aPortNobodyListensOnHasNoOwner() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        assertTrue(PortOwners.listener(port).isEmpty());
        assertTrue(Ports.isFree(port));
    }
}
