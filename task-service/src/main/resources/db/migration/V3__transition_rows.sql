-- Each transition of a task is a row appended with its write, instead of a JSON array rewritten on
-- every change: a state change then logs a small row, not the whole history again, and the rows of
-- many tasks go in one multi-row insert.

CREATE TABLE task_transition (
    id          BIGINT       NOT NULL AUTO_INCREMENT,
    task_id     CHAR(36)     NOT NULL,
    from_state  VARCHAR(20)  NULL,
    to_state    VARCHAR(20)  NOT NULL,
    at          DATETIME(6)  NOT NULL,
    reason      VARCHAR(255) NOT NULL,
    -- Clustered by task: a task's history is one range read, in the order it was written.
    PRIMARY KEY (task_id, id),
    KEY ix_task_transition_id (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT INTO task_transition (task_id, from_state, to_state, at, reason)
SELECT t.task_id, h.from_state, h.to_state,
       CAST(REPLACE(REPLACE(h.at, 'T', ' '), 'Z', '') AS DATETIME(6)), LEFT(h.reason, 255)
FROM task t,
     JSON_TABLE(t.history, '$[*]' COLUMNS (
         ord        FOR ORDINALITY,
         from_state VARCHAR(20)  PATH '$.from',
         to_state   VARCHAR(20)  PATH '$.to',
         at         VARCHAR(40)  PATH '$.at',
         reason     VARCHAR(1000) PATH '$.reason')) h
ORDER BY t.task_id, h.ord;

ALTER TABLE task DROP COLUMN history;
