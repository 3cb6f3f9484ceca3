-- The trace of the request that created a task (W3C traceparent, null while tracing is off): the
-- worker that runs it, on any replica and after restarts, continues that trace.
ALTER TABLE task ADD COLUMN trace_parent VARCHAR(55) NULL;
