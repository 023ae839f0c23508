-- V15: issue 19's database fixes: submit_intent_correction (1, 2) and the served model (3).
--
-- Usable by hand after V1-V10: psql "$DATABASE_URL" -f db/V15__corrections_and_served_model.sql
--
-- 1. A correction is a human review: the row becomes 'reviewed' when it was 'pending',
--    'rejected' or 'used_in_training' (V2 left 'used_in_training' as it was, while the docs say a
--    corrected sample becomes 'reviewed'). 'approved' and 'reviewed' stay. last_run_id still says
--    which run used the row.
-- 2. The answer says whether the corrected intent is new: 'new_intent' is true when no other
--    interaction was ever detected as or corrected to it. The correction is accepted either way;
--    the flag makes a typo ('card_arival') visible at once.
--
-- Everything else is V2's, unchanged.

CREATE OR REPLACE FUNCTION submit_intent_correction(
  p_training_data_id UUID,
  p_correct_intent TEXT,
  p_correct_response TEXT DEFAULT NULL,
  p_should_escalate BOOLEAN DEFAULT NULL,
  p_notes TEXT DEFAULT NULL,
  p_corrector_id UUID DEFAULT NULL)
RETURNS JSONB
LANGUAGE plpgsql AS $$
DECLARE
  v_row ai_training_data%ROWTYPE;
  v_last ai_intent_corrections%ROWTYPE;
  v_mismatch BOOLEAN;
  v_correction_id UUID;
  v_new_intent BOOLEAN;
BEGIN
  IF p_training_data_id IS NULL THEN
    RAISE EXCEPTION 'p_training_data_id is required' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_correct_intent IS NULL OR p_correct_intent !~ '^[A-Za-z0-9][A-Za-z0-9_.:/?!-]{0,99}$' THEN
    RAISE EXCEPTION 'p_correct_intent must be an intent name, got %', COALESCE(p_correct_intent, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;

  SELECT * INTO v_row FROM ai_training_data WHERE id = p_training_data_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'training data % not found', p_training_data_id USING ERRCODE = 'no_data_found';
  END IF;

  -- Never seen: no other interaction was detected as, or corrected to, this intent (every model
  -- is trained on these rows, so no model knows it either). Accepted, but said, so that a typo shows.
  v_new_intent := v_row.detected_intent IS DISTINCT FROM p_correct_intent
    AND NOT EXISTS (SELECT 1 FROM ai_training_data
                    WHERE detected_intent = p_correct_intent AND id <> p_training_data_id)
    AND NOT EXISTS (SELECT 1 FROM ai_training_data
                    WHERE correct_intent = p_correct_intent AND id <> p_training_data_id);

  SELECT * INTO v_last FROM ai_intent_corrections
  WHERE training_data_id = p_training_data_id
  ORDER BY created_at DESC, id DESC
  LIMIT 1;
  IF FOUND
     AND v_last.corrected_intent = p_correct_intent
     AND v_last.corrected_response IS NOT DISTINCT FROM p_correct_response
     AND v_last.should_escalate IS NOT DISTINCT FROM p_should_escalate
     AND v_last.notes IS NOT DISTINCT FROM p_notes
     AND v_last.corrected_by IS NOT DISTINCT FROM p_corrector_id THEN
    RETURN jsonb_build_object(
      'correction_id', v_last.id,
      'training_data_id', p_training_data_id,
      'original_intent', v_last.original_intent,
      'corrected_intent', v_last.corrected_intent,
      'was_mismatch', v_last.was_mismatch,
      'new_intent', v_new_intent,
      'duplicate', TRUE);
  END IF;

  v_mismatch := v_row.detected_intent IS DISTINCT FROM p_correct_intent;

  UPDATE ai_training_data
     SET correct_intent = p_correct_intent,
         correct_response = COALESCE(p_correct_response, correct_response),
         should_escalate = COALESCE(p_should_escalate, should_escalate),
         corrected_by = p_corrector_id,
         corrected_at = now(),
         corrected_by_human = TRUE,
         dataset_status = CASE WHEN dataset_status IN ('pending', 'rejected', 'used_in_training')
                               THEN 'reviewed' ELSE dataset_status END
   WHERE id = p_training_data_id;

  INSERT INTO ai_intent_corrections (training_data_id, original_intent, corrected_intent,
                                     was_mismatch, corrected_response, should_escalate, notes,
                                     corrected_by)
  VALUES (p_training_data_id, v_row.detected_intent, p_correct_intent, v_mismatch,
          p_correct_response, p_should_escalate, p_notes, p_corrector_id)
  RETURNING id INTO v_correction_id;

  RETURN jsonb_build_object(
    'correction_id', v_correction_id,
    'training_data_id', p_training_data_id,
    'original_intent', v_row.detected_intent,
    'corrected_intent', p_correct_intent,
    'was_mismatch', v_mismatch,
    'new_intent', v_new_intent,
    'duplicate', FALSE);
END;
$$;

-- 3. The model predict serves, for metrics and intent performance (issue 19: after an admin's
--    rollback, an S3 copy of an older model over latest, they described the newest deployed run).
--    The snapshot function reads the version recorded on latest (object metadata model-version)
--    and passes it here: the run that deployed that version, else (NULL, or a version no run
--    recorded) the newest deployed run, as V4's ai_intent_performance() does.
CREATE FUNCTION ai_intent_performance(p_model_version TEXT)
RETURNS JSONB
LANGUAGE sql STABLE AS $$
  WITH run AS (
    SELECT id, run_name, model_version, completed_at, intent_f1_score, per_intent_metrics
    FROM ai_training_runs
    WHERE status = 'completed' AND deployed
    ORDER BY model_version IS NOT DISTINCT FROM p_model_version DESC, completed_at DESC
    LIMIT 1
  ),
  reviewed AS (
    SELECT detected_intent::text AS intent, count(*)::int AS reviewed,
           count(*) FILTER (WHERE intent_correct)::int AS correct
    FROM ai_training_data
    WHERE intent_correct IS NOT NULL AND detected_intent IS NOT NULL
    GROUP BY detected_intent
  ),
  model AS (
    SELECT m.key AS intent, m.value AS figures
    FROM run, jsonb_each(CASE WHEN jsonb_typeof(run.per_intent_metrics) = 'object'
                              THEN run.per_intent_metrics ELSE '{}'::jsonb END) AS m
  ),
  joined AS (
    SELECT COALESCE(r.intent, m.intent) AS intent, r.reviewed, r.correct, m.figures
    FROM reviewed r FULL JOIN model m ON m.intent = r.intent
  )
  SELECT jsonb_build_object(
    'run', (SELECT jsonb_build_object('run_id', id, 'run_name', run_name,
                                      'model_version', model_version,
                                      'completed_at', completed_at, 'f1', intent_f1_score)
            FROM run),
    'intents', COALESCE((
        SELECT jsonb_agg(jsonb_build_object(
                 'intent', intent,
                 'reviewed', COALESCE(reviewed, 0),
                 'correct', COALESCE(correct, 0),
                 'accuracy', CASE WHEN reviewed > 0 THEN round(correct::numeric / reviewed, 4) END,
                 'precision', figures -> 'precision',
                 'recall', figures -> 'recall',
                 'f1', figures -> 'f1',
                 'support', figures -> 'support')
               ORDER BY intent)
        FROM joined), '[]'::jsonb)
  );
$$;

-- The same choice for the "model" object of the live metrics.
CREATE FUNCTION ai_served_model(p_model_version TEXT)
RETURNS JSONB
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('run_id', id, 'run_name', run_name, 'model_version', model_version,
                            'accuracy', intent_accuracy, 'f1', intent_f1_score,
                            'completed_at', completed_at)
  FROM ai_training_runs
  WHERE status = 'completed' AND deployed
  ORDER BY model_version IS NOT DISTINCT FROM p_model_version DESC, completed_at DESC
  LIMIT 1;
$$;
