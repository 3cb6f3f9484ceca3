-- MCP servers registered by users. Header and environment values may hold credentials: they are
-- stored sealed (AES-256-GCM, v1:<key id>:<data>); only their names are kept in clear.
CREATE TABLE mcp_server (
    server_id           CHAR(36)      NOT NULL,
    owner_id            VARCHAR(128)  NOT NULL,
    name                VARCHAR(100)  NOT NULL,
    type                VARCHAR(16)   NOT NULL,
    url                 VARCHAR(2048) NULL,
    enabled             BOOLEAN       NOT NULL,
    use_proxy           BOOLEAN       NOT NULL,
    command             VARCHAR(1024) NULL,
    args                TEXT          NULL,
    cwd                 VARCHAR(1024) NULL,
    env_sealed          TEXT          NULL,
    env_names           TEXT          NULL,
    headers_sealed      TEXT          NULL,
    header_names        TEXT          NULL,
    secrets_key_id      CHAR(8)       NULL,
    request_timeout_ms  INT           NOT NULL,
    tool_call_max_ms    INT           NOT NULL,
    tools_allow         TEXT          NULL,
    tools_deny          TEXT          NULL,
    name_prefix         VARCHAR(32)   NULL,
    metadata            TEXT          NULL,
    ext                 TEXT          NULL,
    created_at          DATETIME(6)   NOT NULL,
    updated_at          DATETIME(6)   NOT NULL,
    PRIMARY KEY (server_id),
    UNIQUE KEY uk_mcp_server_owner_name (owner_id, name),
    KEY ix_mcp_server_owner_id (owner_id, server_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The latest health of each server, as the scheduled checks saw it. One row per server.
CREATE TABLE mcp_server_health (
    server_id            CHAR(36)      NOT NULL,
    owner_id             VARCHAR(128)  NOT NULL,
    status               VARCHAR(16)   NOT NULL,
    era                  VARCHAR(32)   NULL,
    protocol_version     VARCHAR(32)   NULL,
    latency_ms           INT           NULL,
    last_error           VARCHAR(1024) NULL,
    consecutive_failures INT           NOT NULL,
    checked_at           DATETIME(6)   NOT NULL,
    changed_at           DATETIME(6)   NOT NULL,
    PRIMARY KEY (server_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
