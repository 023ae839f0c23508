-- V15: two corrections of submit_intent_correction (issue 19).
--
-- Usable by hand after V1-V10: psql "$DATABASE_URL" -f db/V15__correction_review_status.sql
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
