-- A user's own prices (USD per million tokens), over the defaults the service ships; model names
-- are kept in lower case.
CREATE TABLE llm_price (
    owner_id                 VARCHAR(128)   NOT NULL,
    model                    VARCHAR(200)   NOT NULL,
    input_per_million        DECIMAL(14, 6) NOT NULL,
    cached_input_per_million DECIMAL(14, 6) NOT NULL,
    output_per_million       DECIMAL(14, 6) NOT NULL,
    updated_at               DATETIME(6)    NOT NULL,
    PRIMARY KEY (owner_id, model)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- What each call cost: cost_nanos is in billionths of a US dollar, NULL when no price was known for
-- the model; group_id is the model group the client named, if any.
ALTER TABLE llm_usage
    ADD COLUMN group_id         CHAR(36) NULL AFTER config_id,
    ADD COLUMN cached_tokens    INT      NOT NULL DEFAULT 0 AFTER completion_tokens,
    ADD COLUMN reasoning_tokens INT      NOT NULL DEFAULT 0 AFTER cached_tokens,
    ADD COLUMN cost_nanos       BIGINT   NULL AFTER reasoning_tokens;

-- Limits and budgets of a config or group, as JSON ({"requests_per_minute", "tokens_per_minute",
-- "max_concurrent", "daily_budget_usd", "monthly_budget_usd"}); NULL when it has none.
ALTER TABLE llm_config ADD COLUMN limits TEXT NULL;
ALTER TABLE llm_model_group ADD COLUMN limits TEXT NULL;
