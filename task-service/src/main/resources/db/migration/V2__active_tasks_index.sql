-- The queue quota counts a user's unfinished tasks on every create: an index range over those
-- states only, however many finished tasks the user keeps.
CREATE INDEX ix_task_owner_state ON task (owner_id, state);
