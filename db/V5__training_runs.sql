-- V5: what the train function needs of ai_training_runs and the retrain trigger (issue 4).
--
-- Usable by hand after V1-V4: psql "$DATABASE_URL" -f db/V5__training_runs.sql

-- A run asked for through POST /ai/training/run is queued and gets its id at once. When it cannot
-- start (another run holds the training lock, or a run that started after the request, with the
-- same parameters, already did the work), it is recorded as 'skipped' with the reason in
-- deploy_reason, so that whoever holds its id can see what became of it. Schedule and queue
-- triggers that are skipped are only logged.
ALTER TABLE ai_training_runs DROP CONSTRAINT ai_training_runs_status_check;
ALTER TABLE ai_training_runs ADD CONSTRAINT ai_training_runs_status_check
  CHECK (status IN ('running', 'completed', 'failed', 'skipped'));

-- At most one run is 'running'. The train function serialises runs with a session-level advisory
-- lock and marks the 'running' rows it finds when it takes the lock as failed (their run died);
-- this index makes the database itself refuse a second running row, whatever happens to the lock.
CREATE UNIQUE INDEX ai_training_runs_one_running_idx ON ai_training_runs ((TRUE)) WHERE status = 'running';

-- Runs recorded for API requests are looked up by type and start when a queued request arrives
-- ("did a run that started after this request already do it?").
CREATE INDEX ai_training_runs_completed_started_idx ON ai_training_runs (started_at DESC)
  WHERE status = 'completed';

-- A completed training run answers the open automatic retrain request (db/V3): it trained on every
-- sample stored before it started. Clearing the request lets the next flush claim again as soon
-- as p_threshold samples arrived after the run's start (claim_retrain_request counts from the
-- newest completed run's start), instead of waiting for the request to expire. Returns TRUE when
-- a request was open. Failed runs do not call it: their request stays open until it expires, and
-- the flush asks again.
CREATE FUNCTION acknowledge_retrain_request()
RETURNS BOOLEAN
LANGUAGE sql AS $$
  UPDATE ai_retrain_state
     SET requested_at = NULL, new_samples = NULL, updated_at = now()
   WHERE singleton AND requested_at IS NOT NULL
  RETURNING TRUE;
$$;
