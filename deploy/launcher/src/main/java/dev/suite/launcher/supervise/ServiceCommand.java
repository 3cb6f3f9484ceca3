package dev.suite.launcher.supervise;

import dev.suite.launcher.ServiceSpec;

/** How a service's process is made, and how to recognise one left behind by an earlier run. */
public interface ServiceCommand {

    /** The process of the service, listening on 127.0.0.1:{@code port} once started. */
    ProcessBuilder processFor(ServiceSpec service, int port);

    /** Whether a running process is this service as this command starts it (a leftover to clean up). */
    boolean runs(ServiceSpec service, ProcessHandle process);
}
