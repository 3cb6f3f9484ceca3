package dev.suite.mcp.registry.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.suite.mcp.registry.ServerType;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The body of create and full update. The fields a server's GET adds (its id, the names of its
 * headers and env variables, times) are the server's: accepted and ignored, so a client can send
 * back what it read. {@code env} and {@code headers} hold secrets and have three states, like an
 * LLM config's api key: absent keeps the stored values on update, {@code null} clears them, an
 * object replaces them.
 */
@Schema(name = "McpServerRequest")
@JsonIgnoreProperties({"server_id", "env_names", "header_names", "created_at", "updated_at"})
@RegisterForReflection
public class McpServerRequest {

    @NotBlank
    @Size(max = 100)
    @Schema(example = "GitHub", required = true)
    public String name;

    @NotBlank
    @Pattern(regexp = ServerType.PATTERN, message = "must be one of http-stream, http-post, stdio")
    @Schema(example = "http-stream", required = true, enumeration = {"http-stream", "http-post", "stdio"})
    public String type;

    @Size(max = 2048)
    @Schema(example = "https://mcp.example.com/mcp", description = "Required for http-stream and http-post.")
    public String url;

    @Schema(defaultValue = "true")
    public Boolean enabled;

    @Schema(defaultValue = "true", description = "Whether browsers should reach this server through the gateway.")
    public Boolean useProxy;

    @Size(max = 1024)
    @Schema(example = "npx", description = "stdio only: the program to run (subject to the operator's allowlist).")
    public String command;

    @Size(max = 100)
    @Schema(example = "[\"-y\", \"@modelcontextprotocol/server-memory\"]")
    public List<@Size(max = 4096) String> args;

    @Size(max = 1024)
    public String cwd;

    @Schema(implementation = Object.class, nullable = true, writeOnly = true, example = "{\"API_TOKEN\": \"…\"}",
            description = "stdio only. Write-only. Absent on update keeps the stored values; null clears them.")
    public Optional<@Size(max = 100) Map<String, @Size(max = 8192) String>> env;

    @Schema(implementation = Object.class, nullable = true, writeOnly = true,
            example = "{\"Authorization\": \"Bearer …\"}",
            description = "Extra request headers to HTTP servers. Write-only. Absent on update keeps them; null clears them.")
    public Optional<@Size(max = 50) Map<String, @Size(max = 8192) String>> headers;

    @Min(1)
    @Max(3600)
    @Schema(example = "60", description = "One upstream exchange without progress; the gateway default when absent.")
    public Integer requestTimeoutSeconds;

    @Min(1)
    @Max(86400)
    @Schema(example = "600", description = "Absolute cap of a tool call, progress or not.")
    public Integer toolCallMaxSeconds;

    @Size(max = 500)
    @Schema(example = "[\"search_*\", \"get_issue\"]", description = "Only these tools (names or * patterns).")
    public List<@Size(max = 200) String> toolsAllow;

    @Size(max = 500)
    @Schema(example = "[\"delete_*\"]", description = "Never these tools; wins over tools_allow.")
    public List<@Size(max = 200) String> toolsDeny;

    @Pattern(regexp = "[A-Za-z0-9_-]{1,32}", message = "must be 1–32 letters, digits, _ or -")
    @Schema(example = "gh", description = "Always prefix this server's names in the aggregated /mcp endpoint.")
    public String namePrefix;

    @Valid
    @Schema(description = "Present when the server is protected by OAuth; see /mcp/oauth/start.")
    public OAuthSettings oauth;

    @Schema(description = "Free-form JSON object.")
    public Map<String, Object> metadata;

    @Schema(description = "Free-form JSON object for front-end extensions.")
    public Map<String, Object> ext;
}
