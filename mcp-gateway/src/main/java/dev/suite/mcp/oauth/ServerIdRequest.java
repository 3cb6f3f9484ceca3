package dev.suite.mcp.oauth;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of the start and refresh routes. */
@Schema(name = "OAuthServerRequest")
@RegisterForReflection
public class ServerIdRequest {

    @NotBlank
    @Schema(required = true, example = "0190f5f4-6a2b-7c3d-9e4f-a1b2c3d4e5f6")
    public String serverId;
}
