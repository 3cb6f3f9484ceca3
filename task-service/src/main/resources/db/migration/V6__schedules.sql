-- Recurring tasks: a schedule makes a task from its template at each tick of its cron expression,
-- read in its time zone. next_run_at is the truth of when it fires next; Redis only wakes the
-- replicas at that time. A tick is taken by advancing next_run_at in the transaction that inserts
-- its task, so each tick makes one task however many replicas see it.

CREATE TABLE task_schedule (
    schedule_id   CHAR(36)      NOT NULL,
    owner_id      VARCHAR(128)  NOT NULL,
    name          VARCHAR(100)  NOT NULL,
    cron          VARCHAR(200)  NOT NULL,
    time_zone     VARCHAR(64)   NOT NULL,
    -- What a tick later than the grace does: skip, or catch_up_once.
    missed        VARCHAR(16)   NOT NULL,
    enabled       BOOLEAN       NOT NULL,
    -- The task each tick creates: a TaskRequest without run_at or idempotency_key, as JSON.
    template      MEDIUMTEXT    NOT NULL,
    next_run_at   DATETIME(6)   NULL,
    last_run_at   DATETIME(6)   NULL,
    last_task_id  CHAR(36)      NULL,
    last_error    VARCHAR(500)  NULL,
    runs          BIGINT        NOT NULL DEFAULT 0,
    skipped       BIGINT        NOT NULL DEFAULT 0,
    created_at    DATETIME(6)   NOT NULL,
    updated_at    DATETIME(6)   NOT NULL,
    PRIMARY KEY (schedule_id),
    UNIQUE KEY ux_task_schedule_name (owner_id, name),
    -- The reconciler puts schedules due soon back into Redis: a range over enabled ones by time.
    KEY ix_task_schedule_due (enabled, next_run_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The schedule and tick a task was made for.
ALTER TABLE task
    ADD COLUMN schedule_id   CHAR(36)    NULL AFTER parent_id,
    ADD COLUMN scheduled_for DATETIME(6) NULL AFTER schedule_id,
    ADD KEY ix_task_schedule (schedule_id, task_id);
