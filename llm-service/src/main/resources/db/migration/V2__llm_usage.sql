-- One row per chat call through the gateway, written in batches off the response path.
CREATE TABLE llm_usage (
    usage_id          CHAR(36)     NOT NULL,
    owner_id          VARCHAR(128) NOT NULL,
    config_id         CHAR(36)     NOT NULL,
    provider          VARCHAR(32)  NOT NULL,
    model             VARCHAR(200) NOT NULL,
    prompt_tokens     INT          NOT NULL,
    completion_tokens INT          NOT NULL,
    latency_ms        INT          NOT NULL,
    -- Time to the first chunk of a stream; equal to latency_ms for non-streaming calls.
    ttft_ms           INT          NOT NULL,
    status            SMALLINT     NOT NULL,
    stream            BOOLEAN      NOT NULL,
    created_at        DATETIME(6)  NOT NULL,
    PRIMARY KEY (usage_id),
    KEY ix_llm_usage_owner_time (owner_id, created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
