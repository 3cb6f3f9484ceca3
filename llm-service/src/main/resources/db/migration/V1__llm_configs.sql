-- LLM provider configs, one row per config, owned by a user.
CREATE TABLE llm_config (
    config_id      CHAR(36)      NOT NULL,
    owner_id       VARCHAR(128)  NOT NULL,
    name           VARCHAR(100)  NOT NULL,
    provider       VARCHAR(32)   NOT NULL,
    -- AES-256-GCM sealed key (v1:<key id>:<data>); the key id is repeated for rotation reports.
    api_key_sealed TEXT          NULL,
    api_key_key_id CHAR(8)       NULL,
    api_key_hint   VARCHAR(8)    NULL,
    api_url        VARCHAR(2048) NULL,
    model          VARCHAR(200)  NULL,
    enabled        BOOLEAN       NOT NULL,
    metadata       TEXT          NULL,
    created_at     DATETIME(6)   NOT NULL,
    updated_at     DATETIME(6)   NOT NULL,
    PRIMARY KEY (config_id),
    UNIQUE KEY uk_llm_config_owner_name (owner_id, name),
    KEY ix_llm_config_owner_id (owner_id, config_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Every reveal of a stored api key. Kept when the config is deleted: it is an audit trail.
CREATE TABLE llm_key_reveal (
    reveal_id   CHAR(36)     NOT NULL,
    config_id   CHAR(36)     NOT NULL,
    owner_id    VARCHAR(128) NOT NULL,
    request_id  VARCHAR(128) NULL,
    revealed_at DATETIME(6)  NOT NULL,
    PRIMARY KEY (reveal_id),
    KEY ix_llm_key_reveal_config (config_id, revealed_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
