-- The trace of what created an execution (W3C traceparent, null while tracing is off): the request
-- that submitted it, the webhook call, the event that fired its trigger. Whichever replica runs
-- it, after a lost lease or a restart too, continues that trace.
ALTER TABLE execution ADD COLUMN trace_parent VARCHAR(55) NULL;
