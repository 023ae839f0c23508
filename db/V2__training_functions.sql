-- V2: the SQL functions and the trigger of the training pipeline (names as in the original
-- system): get_ai_training_metrics, get_training_dataset, submit_intent_correction,
-- create_metrics_snapshot, and the review trigger on ai_training_data.

-- ---------------------------------------------------------------------------------------------
-- Review trigger: keeps updated_at current and, whenever a human sets or changes the correct
-- intent, marks the row reviewed and records whether the bot was right:
--   correct_intent <> detected_intent  ->  intent_correct = FALSE (a misclassification)
--   correct_intent =  detected_intent  ->  intent_correct = TRUE
CREATE FUNCTION ai_training_data_review() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    NEW.updated_at := now();
  END IF;
  IF NEW.correct_intent IS NOT NULL AND (
       TG_OP = 'INSERT'
       OR NEW.correct_intent IS DISTINCT FROM OLD.correct_intent
       OR NEW.detected_intent IS DISTINCT FROM OLD.detected_intent) THEN
    NEW.intent_correct := NEW.detected_intent IS NOT DISTINCT FROM NEW.correct_intent;
    NEW.corrected_by_human := TRUE;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER ai_training_data_review
  BEFORE INSERT OR UPDATE ON ai_training_data
  FOR EACH ROW EXECUTE FUNCTION ai_training_data_review();

-- ---------------------------------------------------------------------------------------------
-- Metrics over interactions that happened in [p_from, p_to). Figures (rates in percent,
-- rounded to 2 decimals; NULL when their denominator is zero):
--   total_messages          interactions in the window
--   escalated               of those, escalated to a human
--   ai_resolved             total_messages - escalated
--   escalation_rate         100 * escalated / total_messages
--   avg_confidence          mean confidence_score (0-100) of rows that have one
--   reviewed                rows a human reviewed (intent_correct IS NOT NULL)
--   misclassified           reviewed rows whose detected intent was wrong
--   intent_accuracy         100 * (reviewed - misclassified) / reviewed
--   misclassification_rate  100 * misclassified / reviewed
--   correction_rate         100 * misclassified / total_messages
--   top_intents             {detected_intent: count}, the 10 most frequent (ties by name)
--   top_misclassified       [{detected_intent, correct_intent, count}], the 10 most frequent
--   model                   the newest deployed run: {run_id, run_name, model_version,
--                           accuracy, f1, completed_at}, or NULL before the first deploy
CREATE FUNCTION ai_training_metrics_between(p_from TIMESTAMPTZ, p_to TIMESTAMPTZ)
RETURNS JSONB
LANGUAGE sql STABLE AS $$
  WITH w AS (
    SELECT detected_intent, correct_intent, confidence_score, escalated, intent_correct
    FROM ai_training_data
    WHERE occurred_at >= p_from AND occurred_at < p_to
  ),
  totals AS (
    SELECT count(*)::int                                    AS total,
           count(*) FILTER (WHERE escalated)::int           AS escalated,
           avg(confidence_score)                            AS avg_confidence,
           count(*) FILTER (WHERE intent_correct IS NOT NULL)::int AS reviewed,
           count(*) FILTER (WHERE intent_correct = FALSE)::int     AS misclassified
    FROM w
  ),
  intents AS (
    SELECT detected_intent, count(*)::int AS n
    FROM w WHERE detected_intent IS NOT NULL
    GROUP BY detected_intent
    ORDER BY n DESC, detected_intent
    LIMIT 10
  ),
  confusions AS (
    SELECT detected_intent, correct_intent, count(*)::int AS n
    FROM w WHERE intent_correct = FALSE
    GROUP BY detected_intent, correct_intent
    ORDER BY n DESC, detected_intent NULLS FIRST, correct_intent
    LIMIT 10
  ),
  model AS (
    SELECT id, run_name, model_version, intent_accuracy, intent_f1_score, completed_at
    FROM ai_training_runs
    WHERE status = 'completed' AND deployed
    ORDER BY completed_at DESC
    LIMIT 1
  )
  SELECT jsonb_build_object(
    'period_start', p_from,
    'period_end', p_to,
    'total_messages', t.total,
    'ai_resolved', t.total - t.escalated,
    'escalated', t.escalated,
    'escalation_rate', CASE WHEN t.total > 0 THEN round(100.0 * t.escalated / t.total, 2) END,
    'avg_confidence', round(t.avg_confidence, 2),
    'reviewed', t.reviewed,
    'misclassified', t.misclassified,
    'intent_accuracy', CASE WHEN t.reviewed > 0
                         THEN round(100.0 * (t.reviewed - t.misclassified) / t.reviewed, 2) END,
    'misclassification_rate', CASE WHEN t.reviewed > 0
                                THEN round(100.0 * t.misclassified / t.reviewed, 2) END,
    'correction_rate', CASE WHEN t.total > 0 THEN round(100.0 * t.misclassified / t.total, 2) END,
    'top_intents', COALESCE((SELECT jsonb_object_agg(detected_intent, n) FROM intents), '{}'::jsonb),
    'top_misclassified', COALESCE((
        SELECT jsonb_agg(jsonb_build_object('detected_intent', detected_intent,
                                            'correct_intent', correct_intent,
                                            'count', n)
                         ORDER BY n DESC, detected_intent NULLS FIRST, correct_intent)
        FROM confusions), '[]'::jsonb),
    'model', (SELECT jsonb_build_object('run_id', id, 'run_name', run_name,
                                        'model_version', model_version,
                                        'accuracy', intent_accuracy, 'f1', intent_f1_score,
                                        'completed_at', completed_at)
              FROM model)
  )
  FROM totals t;
$$;

-- The original system's dashboard call: metrics of the last p_days days.
CREATE FUNCTION get_ai_training_metrics(p_days INTEGER DEFAULT 7)
RETURNS JSONB
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF p_days IS NULL OR p_days < 1 OR p_days > 3660 THEN
    RAISE EXCEPTION 'p_days must be between 1 and 3660, got %', p_days
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  RETURN ai_training_metrics_between(now() - make_interval(days => p_days), now());
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- The clean training samples, newest first. The intent is the human-corrected one when there
-- is one, else the detected one; rows without an intent and rejected rows are left out.
--   p_min_confidence  keep rows with confidence_score >= it; human-corrected rows and rows
--                     without a score (imported data) are always kept, since their label does
--                     not depend on the bot's confidence
--   p_only_reviewed   keep only rows a human reviewed (corrected_by_human, or status
--                     reviewed/approved)
--   p_limit           at most this many rows (1..1,000,000)
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
  created_at TIMESTAMPTZ)
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
           d.created_at
    FROM ai_training_data d
    WHERE COALESCE(d.correct_intent, d.detected_intent) IS NOT NULL
      AND d.dataset_status <> 'rejected'
      AND (d.corrected_by_human OR d.confidence_score IS NULL
           OR d.confidence_score >= p_min_confidence)
      AND (NOT COALESCE(p_only_reviewed, FALSE)
           OR d.corrected_by_human OR d.dataset_status IN ('reviewed', 'approved'))
    ORDER BY d.created_at DESC, d.id
    LIMIT p_limit;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- Records a human correction of one interaction.
--   * updates the data row (correct intent, correct response, should_escalate, corrector,
--     time, status 'reviewed'); the review trigger sets intent_correct and corrected_by_human;
--   * appends the correction to ai_intent_corrections, with was_mismatch;
--   * submitting exactly the same correction again (same intent, response, escalation, notes
--     and corrector as the newest one) changes nothing and answers the existing correction
--     with "duplicate": true.
-- Unknown p_training_data_id: SQLSTATE P0002 (no_data_found). Bad intent: 22023.
CREATE FUNCTION submit_intent_correction(
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
         dataset_status = CASE WHEN dataset_status IN ('pending', 'rejected') THEN 'reviewed'
                               ELSE dataset_status END
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
    'duplicate', FALSE);
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- Freezes the metrics of the last complete period before p_at (UTC boundaries): 'hourly' at
-- 14:37 covers 13:00-14:00, 'daily' covers yesterday, 'weekly' the last Monday-to-Monday week,
-- 'monthly' the last calendar month. Taking the same period again replaces its snapshot
-- (late-arriving interactions make it more accurate); other periods are never touched.
CREATE FUNCTION create_metrics_snapshot(p_period_type TEXT, p_at TIMESTAMPTZ DEFAULT now())
RETURNS ai_metrics_snapshots
LANGUAGE plpgsql AS $$
DECLARE
  v_unit TEXT;
  v_end TIMESTAMPTZ;
  v_start TIMESTAMPTZ;
  v_metrics JSONB;
  v_snapshot ai_metrics_snapshots%ROWTYPE;
BEGIN
  v_unit := CASE p_period_type
              WHEN 'hourly' THEN 'hour' WHEN 'daily' THEN 'day'
              WHEN 'weekly' THEN 'week' WHEN 'monthly' THEN 'month' END;
  IF v_unit IS NULL THEN
    RAISE EXCEPTION 'p_period_type must be hourly, daily, weekly or monthly, got %',
      COALESCE(p_period_type, 'NULL') USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_at IS NULL THEN
    RAISE EXCEPTION 'p_at is required' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  v_end := date_trunc(v_unit, p_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  v_start := (date_trunc(v_unit, p_at AT TIME ZONE 'UTC') - ('1 ' || v_unit)::interval) AT TIME ZONE 'UTC';
  v_metrics := ai_training_metrics_between(v_start, v_end);

  INSERT INTO ai_metrics_snapshots (period_type, period_start, period_end, total_messages,
                                    ai_resolved, escalated, escalation_rate, avg_confidence,
                                    intent_accuracy, correction_rate, misclassification_rate,
                                    metrics)
  VALUES (p_period_type, v_start, v_end,
          (v_metrics ->> 'total_messages')::int,
          (v_metrics ->> 'ai_resolved')::int,
          (v_metrics ->> 'escalated')::int,
          (v_metrics ->> 'escalation_rate')::numeric,
          (v_metrics ->> 'avg_confidence')::numeric,
          (v_metrics ->> 'intent_accuracy')::numeric,
          (v_metrics ->> 'correction_rate')::numeric,
          (v_metrics ->> 'misclassification_rate')::numeric,
          v_metrics)
  ON CONFLICT (period_type, period_start) DO UPDATE
    SET period_end = EXCLUDED.period_end,
        total_messages = EXCLUDED.total_messages,
        ai_resolved = EXCLUDED.ai_resolved,
        escalated = EXCLUDED.escalated,
        escalation_rate = EXCLUDED.escalation_rate,
        avg_confidence = EXCLUDED.avg_confidence,
        intent_accuracy = EXCLUDED.intent_accuracy,
        correction_rate = EXCLUDED.correction_rate,
        misclassification_rate = EXCLUDED.misclassification_rate,
        metrics = EXCLUDED.metrics,
        created_at = now()
  RETURNING * INTO v_snapshot;
  RETURN v_snapshot;
END;
$$;
