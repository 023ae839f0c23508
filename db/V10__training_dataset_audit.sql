-- V10: get_training_dataset says which rows are audit picks (V8's review_reason = 'audit'), so a
-- run never trains on them and measures on the reviewed ones (io.intentpipeline.pipeline.TrustedSplit).
--
-- Usable by hand after V1-V9: psql "$DATABASE_URL" -f db/V10__training_dataset_audit.sql
--
-- Rows, order, filters and limit are V7's; one column more:
--   audit  the row was picked at random from live traffic for review (review_reason = 'audit')

DROP FUNCTION get_training_dataset(INTEGER, BOOLEAN, INTEGER);

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
  human_verified BOOLEAN,
  audit BOOLEAN)
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
           (d.corrected_by_human OR d.dataset_status IN ('reviewed', 'approved')),
           (d.review_reason IS NOT DISTINCT FROM 'audit')
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
