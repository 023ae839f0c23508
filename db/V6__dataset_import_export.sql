-- V6: what dataset import and export need (issue 6, second part).
--
-- Imported samples (source = 'imported', POST /ai/training/dataset/import, ./pipeline import) are
-- labelled training data, not conversations the chatbot had. Counted as interactions, an import of
-- a 10,000-sample dataset would add 10,000 "messages" to the live metrics and to the snapshot of
-- its period, dilute the escalation rate (hiding its alert) and fill the top intents. So the live
-- metrics and the snapshots (both computed by ai_training_metrics_between) now leave them out.
-- The dataset statistics still count them: they describe the training data.

-- The metrics window index of V4 carries the source too, so that the window stays an index-only
-- scan with the new condition. Rebuilt under the same name (a write lock on ai_training_data for
-- the build: a few seconds per million rows).
CREATE INDEX ai_training_data_occurred_cover_v6_idx ON ai_training_data (occurred_at)
  INCLUDE (detected_intent, correct_intent, confidence_score, escalated, intent_correct, source);
DROP INDEX ai_training_data_occurred_cover_idx;
ALTER INDEX ai_training_data_occurred_cover_v6_idx RENAME TO ai_training_data_occurred_cover_idx;

-- V4's function with one more condition on the window: AND source <> 'imported'. Everything
-- else (figures, definitions in V2, rounding, ordering) is unchanged.
CREATE OR REPLACE FUNCTION ai_training_metrics_between(p_from TIMESTAMPTZ, p_to TIMESTAMPTZ)
RETURNS JSONB
LANGUAGE sql STABLE AS $$
  WITH g AS (
    SELECT detected_intent, correct_intent, escalated, intent_correct,
           count(*) AS n,
           sum(confidence_score) AS confidence_sum,
           count(confidence_score) AS confidence_n
    FROM ai_training_data
    WHERE occurred_at >= p_from AND occurred_at < p_to AND source <> 'imported'
    GROUP BY detected_intent, correct_intent, escalated, intent_correct
  ),
  totals AS (
    SELECT COALESCE(sum(n), 0)::int                                          AS total,
           COALESCE(sum(n) FILTER (WHERE escalated), 0)::int                 AS escalated,
           sum(confidence_sum) / NULLIF(sum(confidence_n), 0)                AS avg_confidence,
           COALESCE(sum(n) FILTER (WHERE intent_correct IS NOT NULL), 0)::int AS reviewed,
           COALESCE(sum(n) FILTER (WHERE intent_correct = FALSE), 0)::int     AS misclassified
    FROM g
  ),
  intents AS (
    SELECT detected_intent, sum(n)::int AS n
    FROM g WHERE detected_intent IS NOT NULL
    GROUP BY detected_intent
    ORDER BY n DESC, detected_intent
    LIMIT 10
  ),
  confusions AS (
    SELECT detected_intent, correct_intent, sum(n)::int AS n
    FROM g WHERE intent_correct = FALSE
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
