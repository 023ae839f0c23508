-- V7: a run trains on what it can trust and is judged on human labels (issue 14).
--
-- Usable by hand after V1-V6: psql "$DATABASE_URL" -f db/V7__trusted_training_data.sql
--
--   * get_training_dataset says which rows a human verified (corrected, reviewed, approved or
--     imported as labelled data) and returns them first, then the others newest first: the row
--     limit drops the bot's own labels before any human label, however old the correction;
--   * ai_training_runs records the macro F1 of the new model on the human-verified rows of its
--     test split and on the whole test split, and which of the two the deploy gate used.

DROP FUNCTION get_training_dataset(INTEGER, BOOLEAN, INTEGER);

-- The clean training samples: human-verified rows first, then newest first. The intent is the
-- human-corrected one when there is one, else the detected one; rows without an intent and
-- rejected rows are left out.
--   p_min_confidence  keep rows with confidence_score >= it; human-corrected rows and rows
--                     without a score (imported data) are always kept, since their label does
--                     not depend on the bot's confidence
--   p_only_reviewed   keep only rows a human verified
--   p_limit           at most this many rows (1..1,000,000); human-verified rows are dropped only
--                     when they alone are more than the limit (the oldest of them then)
-- human_verified: corrected_by_human, or dataset_status reviewed/approved (an imported labelled
-- dataset is approved on import).
CREATE FUNCTION get_training_dataset(
  p_min_confidence INTEGER DEFAULT 0,
  p_only_reviewed BOOLEAN DEFAULT FALSE,
  p_limit INTEGER DEFAULT 100000)
RETURNS TABLE (
  id UUID,
  user_message TEXT,
  intent TEXT,
  response TEXT,
  confidence_score INTEGER,
  category TEXT,
  was_escalated BOOLEAN,
  was_corrected BOOLEAN,
  source TEXT,
  dataset_status TEXT,
  created_at TIMESTAMPTZ,
  human_verified BOOLEAN)
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF p_min_confidence IS NULL OR p_min_confidence < 0 OR p_min_confidence > 100 THEN
    RAISE EXCEPTION 'p_min_confidence must be between 0 and 100, got %', p_min_confidence
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_limit IS NULL OR p_limit < 1 OR p_limit > 1000000 THEN
    RAISE EXCEPTION 'p_limit must be between 1 and 1000000, got %', p_limit
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  RETURN QUERY
    SELECT d.id,
           d.user_message,
           COALESCE(d.correct_intent, d.detected_intent)::TEXT,
           COALESCE(d.correct_response, d.ai_response),
           d.confidence_score,
           d.category,
           d.escalated,
           d.corrected_by_human,
           d.source,
           d.dataset_status,
           d.created_at,
           (d.corrected_by_human OR d.dataset_status IN ('reviewed', 'approved'))
    FROM ai_training_data d
    WHERE COALESCE(d.correct_intent, d.detected_intent) IS NOT NULL
      AND d.dataset_status <> 'rejected'
      AND (d.corrected_by_human OR d.confidence_score IS NULL
           OR d.confidence_score >= p_min_confidence)
      AND (NOT COALESCE(p_only_reviewed, FALSE)
           OR d.corrected_by_human OR d.dataset_status IN ('reviewed', 'approved'))
    ORDER BY (d.corrected_by_human OR d.dataset_status IN ('reviewed', 'approved')) DESC,
             d.created_at DESC, d.id
    LIMIT p_limit;
END;
$$;

-- The two F1s of a run: on the human-verified rows of its test split (NULL when it has none) and on
-- the whole test split (bot-labelled rows included); judged_on says which one the gate compared.
ALTER TABLE ai_training_runs
  ADD COLUMN judged_on TEXT CHECK (judged_on IN ('verified', 'all')),
  ADD COLUMN verified_test_samples INTEGER CHECK (verified_test_samples >= 0),
  ADD COLUMN verified_f1_score REAL CHECK (verified_f1_score BETWEEN 0 AND 1),
  ADD COLUMN all_test_f1_score REAL CHECK (all_test_f1_score BETWEEN 0 AND 1);
