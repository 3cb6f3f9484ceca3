-- Tasks: MySQL is the source of truth of every task's state; Redis only dispatches.

CREATE TABLE task (
    task_id          CHAR(36)     NOT NULL,
    owner_id         VARCHAR(128) NOT NULL,
    type             VARCHAR(32)  NOT NULL,
    state            VARCHAR(20)  NOT NULL,
    -- 0 (lowest) to 9 (highest); FIFO within a priority.
    priority         TINYINT      NOT NULL,
    params           MEDIUMTEXT   NULL,
    input_file_ids   TEXT         NULL,
    result           MEDIUMTEXT   NULL,
    error            TEXT         NULL,
    progress         TINYINT      NOT NULL DEFAULT 0,
    attempts         INT          NOT NULL DEFAULT 0,
    max_retries      INT          NOT NULL,
    timeout_seconds  INT          NOT NULL,
    idempotency_key  VARCHAR(128) NULL,
    parent_id        CHAR(36)     NULL,
    -- Where a paused processor left off (a batch: the next item), as JSON.
    checkpoint       MEDIUMTEXT   NULL,
    -- Asked of the replica running the task: cancel or pause.
    requested        VARCHAR(16)  NULL,
    lease_owner      VARCHAR(64)  NULL,
    lease_until      DATETIME(6)  NULL,
    run_after        DATETIME(6)  NULL,
    -- Every transition with its time: [{"from","to","at","reason"}].
    history          MEDIUMTEXT   NOT NULL,
    created_at       DATETIME(6)  NOT NULL,
    queued_at        DATETIME(6)  NULL,
    started_at       DATETIME(6)  NULL,
    finished_at      DATETIME(6)  NULL,
    updated_at       DATETIME(6)  NOT NULL,
    PRIMARY KEY (task_id),
    UNIQUE KEY ux_task_idempotency (owner_id, idempotency_key),
    KEY ix_task_owner (owner_id, task_id),
    KEY ix_task_state (state, lease_until),
    KEY ix_task_parent (parent_id),
    KEY ix_task_finished (finished_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE stored_file (
    file_id      CHAR(36)      NOT NULL,
    owner_id     VARCHAR(128)  NOT NULL,
    name         VARCHAR(255)  NOT NULL,
    content_type VARCHAR(127)  NOT NULL,
    size         BIGINT        NOT NULL,
    sha256       CHAR(64)      NOT NULL,
    -- Where the storage keeps the bytes (a relative path for the local directory storage).
    storage_key  VARCHAR(255)  NOT NULL,
    -- The task that produced it, for outputs.
    task_id      CHAR(36)      NULL,
    created_at   DATETIME(6)   NOT NULL,
    PRIMARY KEY (file_id),
    KEY ix_stored_file_owner (owner_id, file_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
