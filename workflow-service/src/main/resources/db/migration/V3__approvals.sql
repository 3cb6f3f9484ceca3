-- Human approval: a node waiting for a person is a node_run row in status 'waiting' (its request
-- in outputs, its deadline in waiting_until) and its execution is 'waiting', holding no replica.
-- A decision completes the node and queues the execution again; approvals counts those
-- continuations, which reload the finished nodes as a resume does.

ALTER TABLE execution ADD COLUMN approvals INT NOT NULL DEFAULT 0 AFTER resumes;

ALTER TABLE node_run
    ADD COLUMN waiting_until DATETIME(6) NULL,
    ADD KEY node_run_waiting (status, waiting_until);
