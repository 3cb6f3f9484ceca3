package dev.suite.mcp.registry.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * How the gateway authorises to a protected server, and the switches for identity providers'
 * quirks. Present (even empty) means the server is protected: the caller's token is attached.
 */
@Schema(name = "McpServerOAuth")
@RegisterForReflection
public class OAuthSettings {

    @Pattern(regexp = "authorization_code|client_credentials", message = "must be authorization_code or client_credentials")
    @Schema(defaultValue = "authorization_code", enumeration = {"authorization_code", "client_credentials"})
    public String grantType;

    @Size(max = 1024)
    @Schema(description = "A client registered beforehand with the authorization server; otherwise the gateway "
            + "registers one (Client ID Metadata Document or dynamic registration).")
    public String clientId;

    @Size(max = 4096)
    @JsonProperty(access = JsonProperty.Access.WRITE_ONLY)
    @Schema(writeOnly = true, description = "Write-only; kept while client_id stays the same and this is absent.")
    public String clientSecret;

    @Pattern(regexp = "client_secret_basic|client_secret_post|none",
            message = "must be client_secret_basic, client_secret_post or none")
    @Schema(enumeration = {"client_secret_basic", "client_secret_post", "none"})
    public String tokenEndpointAuthMethod;

    @Schema(defaultValue = "false", description = "Leave out RFC 8707 resource (for providers that reject it).")
    public Boolean omitResource;

    @Size(max = 50)
    @Schema(description = "Scopes to ask for besides those the server names.")
    public List<@Size(max = 200) String> scopes;

    @Schema(readOnly = true)
    public Boolean hasClientSecret;
}
