-- Responses of POST /v1/responses with store (the default), kept for suite.llm.responses.ttl so that
-- a later call may continue from one (previous_response_id) or read it back. Owner-scoped.
CREATE TABLE llm_response (
    response_id  VARCHAR(64)  NOT NULL,
    owner_id     VARCHAR(128) NOT NULL,
    -- The Responses API object, as it was answered.
    response     LONGTEXT     NOT NULL,
    -- The Chat Completions messages that led to it, its answer last: what a continuation sends on.
    conversation LONGTEXT     NOT NULL,
    created_at   DATETIME(6)  NOT NULL,
    expires_at   DATETIME(6)  NOT NULL,
    PRIMARY KEY (response_id),
    KEY ix_llm_response_expiry (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
