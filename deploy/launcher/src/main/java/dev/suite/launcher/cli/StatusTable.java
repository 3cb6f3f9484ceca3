package dev.suite.launcher.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;

/** The status table: the gateway's line, then one per service (state, port, pid, uptime, restarts, ready). */
final class StatusTable {

    private static final String ROW = "%-18s %-10s %-6s %-8s %-9s %-9s %s%n";

    private StatusTable() {
    }

    static void print(PrintStream out, JsonObject status) {
        JsonObject supervisor = status.getJsonObject("supervisor");
        JsonArray services = status.getJsonArray("services");
        boolean allReady = services.stream().map(JsonObject.class::cast).allMatch(s -> s.getBoolean("ready"));
        out.printf(ROW, "SERVICE", "STATE", "PORT", "PID", "UPTIME", "RESTARTS", "READY");
        out.printf(ROW, "gateway", "running", supervisor.getInteger("gateway_port"), supervisor.getLong("pid"),
                uptime(supervisor.getLong("uptime_seconds")), "-", allReady ? "yes" : "no");
        for (Object item : services) {
            JsonObject service = (JsonObject) item;
            out.printf(ROW, service.getString("name"), service.getString("state"), service.getInteger("port"),
                    service.getValue("pid") == null ? "-" : service.getLong("pid"),
                    uptime(service.getLong("uptime_seconds")), service.getInteger("restarts"),
                    service.getBoolean("ready") ? "yes" : "no");
        }
    }

    /** Services that exited or failed say why, under the table. */
    static void printLastExits(PrintStream out, JsonObject status) {
        for (Object item : status.getJsonArray("services")) {
            JsonObject service = (JsonObject) item;
            String state = service.getString("state");
            if (service.getString("last_exit") != null && !state.equals("ready") && !state.equals("stopped")) {
                out.println(service.getString("name") + ": " + state + ", last exit: " + service.getString("last_exit"));
            }
        }
    }

    static String uptime(Long seconds) {
        if (seconds == null) {
            return "-";
        }
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + seconds % 60 + "s";
        }
        return seconds / 3600 + "h" + seconds / 60 % 60 + "m";
    }
}
