-- V17: undoing a correction (the admin console's "u" key, POST /ai/training/correction/undo).
--
-- Usable by hand after V1-V16: psql "$DATABASE_URL" -f db/V17__undo_correction.sql
--
-- ai_intent_corrections stays an append-only audit trail: a correction is never updated nor
-- deleted by an undo. Instead:
--   * each correction now keeps, when it is recorded, the fields of the row it changed as they
--     were before it (previous_state): what an undo puts back. Corrections recorded before V17 have
--     none and cannot be undone;
--   * an undo is a row of ai_intent_correction_undos (one per correction at most: undone once).
-- An undo is refused (status other than 'undone', nothing changes) when the correction is not the
-- row's latest one, is already undone, has no previous state, or a training run used the row
-- after it (its last_run_id changed since: putting the old status back would hide that run).
-- submit_intent_correction is V15's, plus previous_state, and a resubmitted correction equal to
-- the latest one is a duplicate only if that one was not undone (else it is recorded again).

ALTER TABLE ai_intent_corrections ADD COLUMN previous_state JSONB
  CHECK (previous_state IS NULL OR jsonb_typeof(previous_state) = 'object');

CREATE TABLE ai_intent_correction_undos (
  correction_id     UUID PRIMARY KEY REFERENCES ai_intent_corrections (id) ON DELETE CASCADE,
  training_data_id  UUID NOT NULL REFERENCES ai_training_data (id) ON DELETE CASCADE,
  undone_by         UUID,
  undone_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX ai_intent_correction_undos_data_idx ON ai_intent_correction_undos (training_data_id);

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
     AND NOT EXISTS (SELECT 1 FROM ai_intent_correction_undos WHERE correction_id = v_last.id)
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
                                     corrected_by, previous_state)
  VALUES (p_training_data_id, v_row.detected_intent, p_correct_intent, v_mismatch,
          p_correct_response, p_should_escalate, p_notes, p_corrector_id,
          jsonb_build_object(
            'correct_intent', v_row.correct_intent,
            'correct_response', v_row.correct_response,
            'should_escalate', v_row.should_escalate,
            'corrected_by', v_row.corrected_by,
            'corrected_at', v_row.corrected_at,
            'corrected_by_human', v_row.corrected_by_human,
            'intent_correct', v_row.intent_correct,
            'dataset_status', v_row.dataset_status,
            'last_run_id', v_row.last_run_id))
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

-- Undoes correction p_correction_id: the row gets back the fields it had before it. Raises
-- no_data_found for an unknown correction; otherwise answers
--   {status, correction_id, training_data_id, dataset_status, correct_intent}
-- with status 'undone', or (nothing changed) 'already_undone', 'not_latest', 'no_previous_state',
-- 'trained_since'.
CREATE FUNCTION undo_intent_correction(p_correction_id UUID, p_undone_by UUID DEFAULT NULL)
RETURNS JSONB
LANGUAGE plpgsql AS $$
DECLARE
  v_correction ai_intent_corrections%ROWTYPE;
  v_row ai_training_data%ROWTYPE;
  v_latest UUID;
  v_prev JSONB;
  v_status TEXT;
BEGIN
  IF p_correction_id IS NULL THEN
    RAISE EXCEPTION 'p_correction_id is required' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT * INTO v_correction FROM ai_intent_corrections WHERE id = p_correction_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'correction % not found', p_correction_id USING ERRCODE = 'no_data_found';
  END IF;
  -- The row's lock orders an undo after a correction of the same row being recorded.
  SELECT * INTO v_row FROM ai_training_data WHERE id = v_correction.training_data_id FOR UPDATE;
  v_prev := v_correction.previous_state;

  SELECT id INTO v_latest FROM ai_intent_corrections
  WHERE training_data_id = v_correction.training_data_id
  ORDER BY created_at DESC, id DESC
  LIMIT 1;

  v_status := CASE
    WHEN EXISTS (SELECT 1 FROM ai_intent_correction_undos WHERE correction_id = p_correction_id)
      THEN 'already_undone'
    WHEN v_latest <> p_correction_id THEN 'not_latest'
    WHEN v_prev IS NULL THEN 'no_previous_state'
    WHEN v_row.last_run_id IS DISTINCT FROM (v_prev->>'last_run_id')::uuid THEN 'trained_since'
    ELSE 'undone' END;

  IF v_status = 'undone' THEN
    UPDATE ai_training_data
       SET correct_intent = v_prev->>'correct_intent',
           correct_response = v_prev->>'correct_response',
           should_escalate = (v_prev->>'should_escalate')::boolean,
           corrected_by = (v_prev->>'corrected_by')::uuid,
           corrected_at = (v_prev->>'corrected_at')::timestamptz,
           corrected_by_human = (v_prev->>'corrected_by_human')::boolean,
           intent_correct = (v_prev->>'intent_correct')::boolean,
           dataset_status = v_prev->>'dataset_status'
     WHERE id = v_correction.training_data_id;
    INSERT INTO ai_intent_correction_undos (correction_id, training_data_id, undone_by)
    VALUES (p_correction_id, v_correction.training_data_id, p_undone_by);
    SELECT * INTO v_row FROM ai_training_data WHERE id = v_correction.training_data_id;
  END IF;

  RETURN jsonb_build_object(
    'status', v_status,
    'correction_id', p_correction_id,
    'training_data_id', v_correction.training_data_id,
    'correct_intent', v_row.correct_intent,
    'dataset_status', v_row.dataset_status);
END;
$$;
