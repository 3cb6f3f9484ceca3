package dev.suite.mcp.registry;

import java.util.Arrays;
import java.util.Optional;

/** How the gateway reaches a server: the wire names front ends already use. */
public enum ServerType {
    /** Streamable HTTP, either protocol era. */
    HTTP_STREAM("http-stream"),
    /** The 2024-11-05 HTTP+SSE transport: a GET event stream and a POST endpoint it names. */
    HTTP_POST("http-post"),
    /** A local process speaking newline-delimited JSON-RPC on stdin/stdout. */
    STDIO("stdio");

    public static final String PATTERN = "http-stream|http-post|stdio";

    private final String wireName;

    ServerType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<ServerType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
