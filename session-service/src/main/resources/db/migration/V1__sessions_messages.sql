-- Chat sessions and their messages. Messages are ordered by seq (insertion order, the
-- conversation order) whatever their ids: clients may bring their own message_id.

CREATE TABLE chat_session (
    session_id        CHAR(36)      NOT NULL,
    owner_id          VARCHAR(128)  NOT NULL,
    title             VARCHAR(500)  NULL,
    name              VARCHAR(200)  NULL,
    llm_config_id     VARCHAR(64)   NULL,
    session_type      VARCHAR(16)   NOT NULL,
    avatar            VARCHAR(2048) NULL,
    system_prompt     MEDIUMTEXT    NULL,
    media_output_path VARCHAR(1024) NULL,
    role_id           VARCHAR(128)  NULL,
    -- Temporary sessions only: the last activity plus the configured lifetime.
    expires_at        DATETIME(6)   NULL,
    created_at        DATETIME(6)   NOT NULL,
    updated_at        DATETIME(6)   NOT NULL,
    PRIMARY KEY (session_id),
    -- The list: newest-updated first, keyset-paged by (updated_at, session_id).
    KEY ix_chat_session_owner_updated (owner_id, updated_at, session_id),
    KEY ix_chat_session_expires (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE chat_message (
    seq          BIGINT       NOT NULL AUTO_INCREMENT,
    message_id   VARCHAR(64)  NOT NULL,
    session_id   CHAR(36)     NOT NULL,
    owner_id     VARCHAR(128) NOT NULL,
    parent_id    VARCHAR(64)  NULL,
    role         VARCHAR(16)  NOT NULL,
    -- Case-insensitive, so that full-text search is.
    content      MEDIUMTEXT   COLLATE utf8mb4_unicode_ci NOT NULL,
    thinking     MEDIUMTEXT   NULL,
    tool_calls   MEDIUMTEXT   NULL,
    token_count  INT          NULL,
    -- Tokens of this message and all its ancestors: the size of the context it ends.
    acc_token    BIGINT       NOT NULL,
    ext          MEDIUMTEXT   NULL,
    mcpdetail    MEDIUMTEXT   NULL,
    created_at   DATETIME(6)  NOT NULL,
    updated_at   DATETIME(6)  NOT NULL,
    PRIMARY KEY (seq),
    UNIQUE KEY ux_chat_message_id (message_id),
    KEY ix_chat_message_session (session_id, seq),
    KEY ix_chat_message_owner (owner_id, seq),
    FULLTEXT KEY ft_chat_message_content (content),
    CONSTRAINT fk_chat_message_session FOREIGN KEY (session_id)
        REFERENCES chat_session (session_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- A claim on running an assistant message's tool calls: the first execute inserts it, so a
-- second (or concurrent) one never runs the tools again.
CREATE TABLE tool_execution (
    message_id  VARCHAR(64) NOT NULL,
    status      VARCHAR(16) NOT NULL,
    started_at  DATETIME(6) NOT NULL,
    finished_at DATETIME(6) NULL,
    -- The tool-result messages it appended (a JSON array of message ids), once done.
    result_ids  TEXT        NULL,
    PRIMARY KEY (message_id),
    CONSTRAINT fk_tool_execution_message FOREIGN KEY (message_id)
        REFERENCES chat_message (message_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Summaries of memory sessions: each covers the branch up to last_message_id (it folds in the
-- summary before it), so the context is the latest summary plus the messages after it.
CREATE TABLE chat_summary (
    summary_id       CHAR(36)     NOT NULL,
    session_id       CHAR(36)     NOT NULL,
    owner_id         VARCHAR(128) NOT NULL,
    content          MEDIUMTEXT   NOT NULL,
    first_message_id VARCHAR(64)  NOT NULL,
    last_message_id  VARCHAR(64)  NOT NULL,
    last_acc_token   BIGINT       NOT NULL,
    covered_messages INT          NOT NULL,
    token_count      INT          NULL,
    llm_config_id    VARCHAR(64)  NOT NULL,
    created_at       DATETIME(6)  NOT NULL,
    PRIMARY KEY (summary_id),
    KEY ix_chat_summary_session (session_id, summary_id),
    CONSTRAINT fk_chat_summary_session FOREIGN KEY (session_id)
        REFERENCES chat_session (session_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
