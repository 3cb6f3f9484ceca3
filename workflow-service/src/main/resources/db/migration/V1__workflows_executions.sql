-- Workflows and their versions: every save is a new immutable version, so an execution can name
-- the exact graph it ran.
CREATE TABLE workflow (
    workflow_id     CHAR(36)     NOT NULL PRIMARY KEY,
    owner_id        VARCHAR(128) NOT NULL,
    name            VARCHAR(200) NOT NULL,
    description     TEXT         NULL,
    latest_version  INT          NOT NULL,
    created_at      DATETIME(6)  NOT NULL,
    updated_at      DATETIME(6)  NOT NULL,
    KEY workflow_owner (owner_id, workflow_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE workflow_version (
    workflow_id  CHAR(36)    NOT NULL,
    version      INT         NOT NULL,
    graph        MEDIUMTEXT  NOT NULL,
    created_at   DATETIME(6) NOT NULL,
    PRIMARY KEY (workflow_id, version),
    CONSTRAINT version_workflow FOREIGN KEY (workflow_id) REFERENCES workflow (workflow_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Executions: MySQL owns their state; Redis only dispatches them. graph is the snapshot that runs
-- (inline graphs, and a workflow's version copied at submit, so a later edit or delete of the
-- workflow never changes a queued run). run_token changes each time a replica takes the
-- execution: writes of a replica that lost its lease no longer match.
CREATE TABLE execution (
    execution_id        CHAR(36)     NOT NULL PRIMARY KEY,
    owner_id            VARCHAR(128) NOT NULL,
    workflow_id         CHAR(36)     NULL,
    workflow_version    INT          NULL,
    status              VARCHAR(16)  NOT NULL,
    priority            TINYINT      NOT NULL,
    graph               MEDIUMTEXT   NOT NULL,
    inputs              MEDIUMTEXT   NULL,
    outputs             MEDIUMTEXT   NULL,
    error               TEXT         NULL,
    caller_auth         TEXT         NULL,
    run_token           CHAR(36)     NULL,
    replica_id          VARCHAR(64)  NULL,
    resumes             INT          NOT NULL DEFAULT 0,
    interrupt_requested TINYINT(1)   NOT NULL DEFAULT 0,
    created_at          DATETIME(6)  NOT NULL,
    started_at          DATETIME(6)  NULL,
    finished_at         DATETIME(6)  NULL,
    KEY execution_owner (owner_id, execution_id),
    KEY execution_owner_status (owner_id, status, execution_id),
    KEY execution_status (status, created_at),
    KEY execution_run_token (run_token)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per node that started. Outputs over the inline limit live in node_output and the row
-- says so (output_ref), so listing an execution never drags megabytes along.
CREATE TABLE node_run (
    execution_id  CHAR(36)     NOT NULL,
    node_id       VARCHAR(128) NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    attempts      INT          NOT NULL,
    outputs       MEDIUMTEXT   NULL,
    output_ref    TINYINT(1)   NOT NULL DEFAULT 0,
    error         TEXT         NULL,
    started_at    DATETIME(6)  NULL,
    finished_at   DATETIME(6)  NULL,
    PRIMARY KEY (execution_id, node_id),
    CONSTRAINT node_run_execution FOREIGN KEY (execution_id) REFERENCES execution (execution_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE node_output (
    execution_id  CHAR(36)     NOT NULL,
    node_id       VARCHAR(128) NOT NULL,
    content       LONGTEXT     NOT NULL,
    PRIMARY KEY (execution_id, node_id),
    CONSTRAINT node_output_execution FOREIGN KEY (execution_id) REFERENCES execution (execution_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
