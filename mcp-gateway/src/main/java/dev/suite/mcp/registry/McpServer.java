package dev.suite.mcp.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One MCP server registered by one user. Header and env values are stored sealed, never in clear. */
@Entity
@Table(name = "mcp_server")
public class McpServer {

    @Id
    @Column(name = "server_id", length = 36)
    public String id;

    @Column(name = "owner_id", nullable = false, length = 128)
    public String ownerId;

    @Column(nullable = false, length = 100)
    public String name;

    @Column(nullable = false, length = 16)
    public String type;

    @Column(length = 2048)
    public String url;

    @Column(nullable = false)
    public boolean enabled;

    @Column(name = "use_proxy", nullable = false)
    public boolean useProxy;

    @Column(length = 1024)
    public String command;

    /** JSON array of strings. */
    @Column(columnDefinition = "text")
    public String args;

    @Column(length = 1024)
    public String cwd;

    @Column(name = "env_sealed", columnDefinition = "text")
    public String envSealed;

    /** JSON array of the env variable names, in clear: names are not secret and the API shows them. */
    @Column(name = "env_names", columnDefinition = "text")
    public String envNames;

    @Column(name = "headers_sealed", columnDefinition = "text")
    public String headersSealed;

    @Column(name = "header_names", columnDefinition = "text")
    public String headerNames;

    @Column(name = "secrets_key_id", columnDefinition = "char(8)")
    public String secretsKeyId;

    @Column(name = "request_timeout_ms", nullable = false)
    public int requestTimeoutMs;

    @Column(name = "tool_call_max_ms", nullable = false)
    public int toolCallMaxMs;

    @Column(name = "tools_allow", columnDefinition = "text")
    public String toolsAllow;

    @Column(name = "tools_deny", columnDefinition = "text")
    public String toolsDeny;

    @Column(name = "name_prefix", length = 32)
    public String namePrefix;

    /** The OAuth settings as JSON (never the secret); null when the server is not protected. */
    @Column(columnDefinition = "text")
    public String oauth;

    @Column(name = "oauth_client_secret_sealed", columnDefinition = "text")
    public String oauthClientSecretSealed;

    /**
     * Where the upstream's protected resource metadata was found when it answered 401 naming an
     * authorization server: such a server is protected without oauth settings. Kept while its URL stays.
     */
    @Column(name = "oauth_resource_metadata", columnDefinition = "text")
    public String oauthResourceMetadata;

    @Column(columnDefinition = "text")
    public String metadata;

    @Column(columnDefinition = "text")
    public String ext;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Whether requests to it carry the owner's OAuth token: it has oauth settings, or asked for authorization itself. */
    public boolean requiresOAuth() {
        return oauth != null || oauthResourceMetadata != null;
    }
}
