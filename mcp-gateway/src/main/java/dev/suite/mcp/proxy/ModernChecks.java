package dev.suite.mcp.proxy;

import dev.suite.mcp.protocol.JsonRpc;
import dev.suite.mcp.protocol.McpVersions;
import dev.suite.mcp.upstream.ModernHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * The 2026-07-28 request rules: the protocol version in {@code _meta} and in
 * {@code MCP-Protocol-Version} agree and are spoken here, and {@code Mcp-Method} / {@code Mcp-Name}
 * mirror the body — so intermediaries that route on headers cannot be fooled.
 */
public final class ModernChecks {

    private ModernChecks() {
    }

    /** Whether a client speaks the stateless era: by its header, or by the {@code _meta} of its request. */
    public static boolean isModern(MultiMap headers, JsonObject message) {
        return McpVersions.isModern(headers.get("MCP-Protocol-Version")) || metaVersion(message) != null;
    }

    /** The JSON-RPC error to answer (with HTTP 400), or null when the request is well-formed. */
    public static JsonObject problem(MultiMap headers, JsonObject message) {
        Object id = message.getValue("id");
        String header = headers.get("MCP-Protocol-Version");
        String meta = metaVersion(message);
        if (header == null) {
            return JsonRpc.error(id, JsonRpc.HEADER_MISMATCH, "Header mismatch: MCP-Protocol-Version is required", null);
        }
        if (meta != null && !meta.equals(header)) {
            return JsonRpc.error(id, JsonRpc.HEADER_MISMATCH, "Header mismatch: MCP-Protocol-Version header value '"
                    + header + "' does not match body value '" + meta + "'", null);
        }
        if (!McpVersions.isModern(header)) {
            return JsonRpc.unsupportedVersion(id, header);
        }
        String method = message.getString("method");
        if (method == null) {
            return null;
        }
        if (!Objects.equals(headers.get("Mcp-Method"), method)) {
            return JsonRpc.error(id, JsonRpc.HEADER_MISMATCH, "Header mismatch: Mcp-Method header value '"
                    + headers.get("Mcp-Method") + "' does not match body value '" + method + "'", null);
        }
        JsonObject params = message.getJsonObject("params", new JsonObject());
        String name = switch (method) {
            case "tools/call", "prompts/get" -> params.getString("name");
            case "resources/read" -> params.getString("uri");
            default -> null;
        };
        if (name != null && !name.equals(ModernHeaders.decode(headers.get("Mcp-Name")))) {
            return JsonRpc.error(id, JsonRpc.HEADER_MISMATCH, "Header mismatch: Mcp-Name header value '"
                    + headers.get("Mcp-Name") + "' does not match body value '" + name + "'", null);
        }
        return null;
    }

    private static String metaVersion(JsonObject message) {
        JsonObject params = message.getJsonObject("params");
        JsonObject meta = params == null ? null : params.getJsonObject("_meta");
        return meta == null ? null : meta.getString(JsonRpc.META_PROTOCOL_VERSION);
    }
}
