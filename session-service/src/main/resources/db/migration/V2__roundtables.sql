-- Roundtables: several LLM participants discussing over one shared transcript.

CREATE TABLE roundtable (
    roundtable_id CHAR(36)     NOT NULL,
    owner_id      VARCHAR(128) NOT NULL,
    title         VARCHAR(500) NOT NULL,
    topic         MEDIUMTEXT   NULL,
    turn_order    VARCHAR(16)  NOT NULL,
    max_rounds    INT          NOT NULL,
    max_messages  INT          NOT NULL,
    stop_keyword  VARCHAR(200) NULL,
    token_budget  INT          NULL,
    -- Why the last discussion ended: max_rounds, max_messages, keyword, token_budget, stopped, failed.
    stop_reason   VARCHAR(32)  NULL,
    created_at    DATETIME(6)  NOT NULL,
    updated_at    DATETIME(6)  NOT NULL,
    PRIMARY KEY (roundtable_id),
    KEY ix_roundtable_owner (owner_id, roundtable_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE roundtable_participant (
    participant_id CHAR(36)     NOT NULL,
    roundtable_id  CHAR(36)     NOT NULL,
    name           VARCHAR(100) NOT NULL,
    llm_config_id  VARCHAR(64)  NOT NULL,
    role_prompt    MEDIUMTEXT   NULL,
    position       INT          NOT NULL,
    moderator      BOOLEAN      NOT NULL,
    PRIMARY KEY (participant_id),
    UNIQUE KEY ux_roundtable_participant_name (roundtable_id, name),
    CONSTRAINT fk_roundtable_participant FOREIGN KEY (roundtable_id)
        REFERENCES roundtable (roundtable_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE roundtable_message (
    seq            BIGINT       NOT NULL AUTO_INCREMENT,
    message_id     CHAR(36)     NOT NULL,
    roundtable_id  CHAR(36)     NOT NULL,
    participant_id CHAR(36)     NULL,
    speaker        VARCHAR(100) NOT NULL,
    role           VARCHAR(16)  NOT NULL,
    content        MEDIUMTEXT   NOT NULL,
    token_count    INT          NULL,
    round          INT          NOT NULL,
    created_at     DATETIME(6)  NOT NULL,
    PRIMARY KEY (seq),
    UNIQUE KEY ux_roundtable_message_id (message_id),
    KEY ix_roundtable_message (roundtable_id, seq),
    CONSTRAINT fk_roundtable_message FOREIGN KEY (roundtable_id)
        REFERENCES roundtable (roundtable_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
