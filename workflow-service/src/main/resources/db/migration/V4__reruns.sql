-- A re-run is a new execution of the graph an earlier one ran (the version that ran, its inputs),
-- starting with that execution's finished nodes except the one named and its descendants.
ALTER TABLE execution ADD COLUMN rerun_of CHAR(36) NULL AFTER trigger_key;
