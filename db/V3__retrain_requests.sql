-- V3: the automatic retrain trigger of the flush function.
--
-- The original system kept a counter in memory (_samples_since_last_train >= 100 -> retrain).
-- Here many flush invocations run at once, so "a retrain was requested" is one row in the
-- database, claimed with a single UPDATE: of all the flushes that see the threshold crossed at
-- the same moment, exactly one wins and sends the one message to the retrain queue.

-- The single row of the trigger's state.
CREATE TABLE ai_retrain_state (
  singleton      BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
  -- When the last automatic retrain was requested (NULL: never, or the request was withdrawn
  -- because its message could not be sent).
  requested_at   TIMESTAMPTZ,
  -- How many new samples the request saw (at least the threshold of the time).
  new_samples    INTEGER CHECK (new_samples >= 0),
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

INSERT INTO ai_retrain_state (singleton) VALUES (TRUE);

-- Claims the right to request a retrain. New samples are the rows created after the start of
-- the newest completed training run (all rows before the first one). When at least
-- p_threshold arrived and no request is open, the request is recorded and the number of new
-- samples counted (capped at p_threshold, to keep the check cheap) is returned; otherwise NULL.
-- A request is open from requested_at until a training run that started at or after it
-- completes, or until it is p_expiry_seconds old (the run failed, or its message was lost):
-- then the next flush may request again. So there is at most one request per expiry period.
CREATE FUNCTION claim_retrain_request(p_threshold INTEGER, p_expiry_seconds INTEGER DEFAULT 3600)
RETURNS TABLE (claimed_at TIMESTAMPTZ, claimed_samples INTEGER)
LANGUAGE plpgsql AS $$
DECLARE
  v_since TIMESTAMPTZ;
  v_new INTEGER;
BEGIN
  IF p_threshold IS NULL OR p_threshold < 1 OR p_threshold > 1000000 THEN
    RAISE EXCEPTION 'p_threshold must be between 1 and 1000000, got %', p_threshold
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_expiry_seconds IS NULL OR p_expiry_seconds < 1 THEN
    RAISE EXCEPTION 'p_expiry_seconds must be at least 1, got %', p_expiry_seconds
      USING ERRCODE = 'invalid_parameter_value';
  END IF;

  SELECT max(started_at) INTO v_since FROM ai_training_runs WHERE status = 'completed';

  SELECT count(*) INTO v_new
  FROM (SELECT 1 FROM ai_training_data
        WHERE v_since IS NULL OR created_at > v_since
        LIMIT p_threshold) AS recent;
  IF v_new < p_threshold THEN
    RETURN;
  END IF;

  -- One statement on one row: concurrent claimers queue on the row lock, and the losers see
  -- the winner's fresh requested_at when PostgreSQL re-checks the condition.
  RETURN QUERY
    UPDATE ai_retrain_state s
       SET requested_at = now(), new_samples = v_new, updated_at = now()
     WHERE s.singleton
       AND (s.requested_at IS NULL
            OR s.requested_at <= v_since
            OR s.requested_at < now() - make_interval(secs => p_expiry_seconds))
    RETURNING s.requested_at, s.new_samples;
END;
$$;

-- Withdraws a request whose message could not be sent, so that the next flush may try again.
-- Only the request made at p_requested_at is withdrawn (a newer one is left alone).
CREATE FUNCTION release_retrain_request(p_requested_at TIMESTAMPTZ)
RETURNS BOOLEAN
LANGUAGE sql AS $$
  UPDATE ai_retrain_state
     SET requested_at = NULL, new_samples = NULL, updated_at = now()
   WHERE singleton AND requested_at = p_requested_at
  RETURNING TRUE;
$$;
