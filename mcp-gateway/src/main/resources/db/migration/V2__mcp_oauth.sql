-- OAuth for protected MCP servers. A server's OAuth settings (grant, pre-registered client,
-- quirks) live on its row; the client secret sealed beside them.
ALTER TABLE mcp_server
    ADD COLUMN oauth                     TEXT NULL,
    ADD COLUMN oauth_client_secret_sealed TEXT NULL;

-- Clients the gateway registered with an authorization server (dynamic registration), one per
-- issuer and redirect URI, shared by all users. The secret is sealed.
CREATE TABLE mcp_oauth_client (
    client_key           CHAR(64)      NOT NULL,
    issuer               VARCHAR(2048) NOT NULL,
    redirect_uri         VARCHAR(2048) NOT NULL,
    client_id            VARCHAR(1024) NOT NULL,
    client_secret_sealed TEXT          NULL,
    auth_method          VARCHAR(32)   NOT NULL,
    created_at           DATETIME(6)   NOT NULL,
    PRIMARY KEY (client_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Each user's tokens for each of their servers, sealed and bound to the row.
CREATE TABLE mcp_oauth_token (
    server_id              CHAR(36)      NOT NULL,
    owner_id               VARCHAR(128)  NOT NULL,
    issuer                 VARCHAR(2048) NOT NULL,
    token_endpoint         VARCHAR(2048) NOT NULL,
    revocation_endpoint    VARCHAR(2048) NULL,
    client_key             VARCHAR(64)   NULL,
    resource               VARCHAR(2048) NULL,
    access_token_sealed    TEXT          NULL,
    refresh_token_sealed   TEXT          NULL,
    scopes                 VARCHAR(2048) NULL,
    expires_at             DATETIME(6)   NULL,
    needs_reauth           BOOLEAN       NOT NULL,
    updated_at             DATETIME(6)   NOT NULL,
    PRIMARY KEY (server_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
