-- A unique key holds for a window: while it lasts, creating a task with the same key answers the
-- task that holds it. task_unique is the claim, taken with the task's insert in one transaction;
-- an expired claim is taken over by the next create, so a key is reused without a cleanup first.

ALTER TABLE task
    ADD COLUMN unique_key   VARCHAR(128) NULL AFTER idempotency_key,
    ADD COLUMN unique_until DATETIME(6)  NULL AFTER unique_key;

CREATE TABLE task_unique (
    owner_id    VARCHAR(128) NOT NULL,
    unique_key  VARCHAR(128) NOT NULL,
    task_id     CHAR(36)     NOT NULL,
    until       DATETIME(6)  NOT NULL,
    PRIMARY KEY (owner_id, unique_key),
    -- Expired claims are swept in batches by the reconciler.
    KEY ix_task_unique_until (until)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
