-- Triggers start a workflow without a person: at the ticks of a cron expression (schedule), on a
-- signed HTTP call (webhook), or on an event of another service (event). An execution a trigger
-- starts carries the trigger and a key for the firing — the tick, the delivery, the event id — and
-- (trigger_id, trigger_key) is unique: a firing seen by two replicas, or retried after a crash,
-- starts one execution.

CREATE TABLE workflow_trigger (
    trigger_id          CHAR(36)      NOT NULL PRIMARY KEY,
    owner_id            VARCHAR(128)  NOT NULL,
    workflow_id         CHAR(36)      NOT NULL,
    -- The version that runs; null: the latest at each firing.
    workflow_version    INT           NULL,
    kind                VARCHAR(16)   NOT NULL,
    name                VARCHAR(100)  NOT NULL,
    enabled             BOOLEAN       NOT NULL,
    priority            TINYINT       NOT NULL,
    -- Inputs of every run, as JSON; a webhook's body and an event are added to them.
    inputs              MEDIUMTEXT    NULL,
    cron                VARCHAR(200)  NULL,
    time_zone           VARCHAR(64)   NULL,
    missed              VARCHAR(16)   NULL,
    next_run_at         DATETIME(6)   NULL,
    -- The webhook's HMAC secret, sealed with the master key.
    secret              TEXT          NULL,
    respond_within_ms   INT           NULL,
    event_type          VARCHAR(64)   NULL,
    -- Equality conditions on the event's data, as a JSON object.
    event_filter        TEXT          NULL,
    -- The creator's credentials, sealed, for the calls the runs make to other services.
    caller_auth         TEXT          NULL,
    last_fired_at       DATETIME(6)   NULL,
    last_execution_id   CHAR(36)      NULL,
    last_error          VARCHAR(500)  NULL,
    fires               BIGINT        NOT NULL DEFAULT 0,
    created_at          DATETIME(6)   NOT NULL,
    updated_at          DATETIME(6)   NOT NULL,
    KEY workflow_trigger_owner (owner_id, workflow_id, trigger_id),
    KEY workflow_trigger_due (enabled, next_run_at),
    KEY workflow_trigger_event (kind, enabled),
    CONSTRAINT trigger_workflow FOREIGN KEY (workflow_id) REFERENCES workflow (workflow_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

ALTER TABLE execution
    ADD COLUMN trigger_id  CHAR(36)     NULL AFTER workflow_version,
    ADD COLUMN trigger_key VARCHAR(200) NULL AFTER trigger_id,
    ADD UNIQUE KEY execution_trigger (trigger_id, trigger_key);
