-- Retries whose backoff is over and scheduled tasks whose start time came are looked up by the
-- reconciler every round: an index range over those states and times only.
CREATE INDEX ix_task_due ON task (state, run_after);
