-- V4: what human review, the metrics and the dataset statistics need to stay fast on a large
-- ai_training_data (measured by ./pipeline benchmark queries on 1,000,000 rows):
--   * the indexes of the review queue, of the error list, of per-intent accuracy and of the
--     dataset statistics;
--   * ai_training_metrics_between rewritten to read its window once (same results as V2);
--   * two SQL functions: ai_dataset_stats() and ai_intent_performance().

-- ---------------------------------------------------------------------------------------------
-- Indexes.

-- The metrics read five columns of every interaction in their window: with these columns in the
-- index, a window is read from the index alone (no heap visits). It replaces V1's plain index on
-- occurred_at, which it serves in every query that one served.
CREATE INDEX ai_training_data_occurred_cover_idx ON ai_training_data (occurred_at)
  INCLUDE (detected_intent, correct_intent, confidence_score, escalated, intent_correct);
DROP INDEX ai_training_data_occurred_idx;

-- The dataset statistics count every row by these five columns: one index-only pass instead of a
-- pass over the whole table. Few distinct keys, so B-tree deduplication keeps it small. It
-- replaces V1's index on detected_intent, its leading column.
CREATE INDEX ai_training_data_stats_idx ON ai_training_data
  (detected_intent, correct_intent, source, dataset_status, corrected_by_human);
DROP INDEX ai_training_data_detected_intent_idx;

-- The review queue: unreviewed predictions in the order a reviewer takes them (lowest confidence,
-- then smallest margin between the two best intents; no margin counts as 1), id last so the
-- order is total and a keyset cursor can resume it. The predicate must stay textually the same as
-- the one of io.intentpipeline.review.ReviewQueries, or the planner cannot use this index.
CREATE INDEX ai_training_data_review_queue_idx ON ai_training_data
  (confidence_score, (COALESCE(intent_margin, 1)), id)
  WHERE NOT corrected_by_human
    AND dataset_status IN ('pending', 'used_in_training')
    AND confidence_score IS NOT NULL;

-- Classification errors, newest first (a small share of the rows).
CREATE INDEX ai_training_data_errors_idx ON ai_training_data (occurred_at DESC, id DESC)
  WHERE intent_correct = FALSE;

-- Reviewed samples by detected intent, for per-intent accuracy.
CREATE INDEX ai_training_data_reviewed_idx ON ai_training_data (detected_intent, intent_correct)
  WHERE intent_correct IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
-- The metrics of V2, computed from one grouped pass over the window instead of a materialised
-- copy of it read three times. The figures, their definitions (see V2), rounding and ordering
-- are unchanged; a test compares this function with V2's text on generated data.
CREATE OR REPLACE FUNCTION ai_training_metrics_between(p_from TIMESTAMPTZ, p_to TIMESTAMPTZ)
RETURNS JSONB
LANGUAGE sql STABLE AS $$
  WITH g AS (
    SELECT detected_intent, correct_intent, escalated, intent_correct,
           count(*) AS n,
           sum(confidence_score) AS confidence_sum,
           count(confidence_score) AS confidence_n
    FROM ai_training_data
    WHERE occurred_at >= p_from AND occurred_at < p_to
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

-- ---------------------------------------------------------------------------------------------
-- What the training data is made of, over every row (one index-only pass). The intent of a row
-- is its corrected intent when a human gave one, else the detected one. Rates in percent,
-- rounded to 2 decimals, NULL when their denominator is zero.
--   total_samples     rows
--   corrected         rows a human reviewed (corrected_by_human)
--   corrected_rate    100 * corrected / total_samples
--   unlabelled        rows without any intent
--   total_intents     distinct intents
--   intents           [{intent, samples, corrected, corrected_rate}], most samples first
--                     (ties by name)
--   sources           {source: rows} for live, imported, synthetic (0 when none)
--   statuses          {dataset_status: rows} for every status (0 when none)
CREATE FUNCTION ai_dataset_stats()
RETURNS JSONB
LANGUAGE sql STABLE AS $$
  WITH g AS (
    SELECT COALESCE(correct_intent, detected_intent)::text AS intent, source, dataset_status,
           corrected_by_human, count(*)::bigint AS n
    FROM ai_training_data
    GROUP BY detected_intent, correct_intent, source, dataset_status, corrected_by_human
  ),
  totals AS (
    SELECT COALESCE(sum(n), 0)::bigint AS total,
           COALESCE(sum(n) FILTER (WHERE corrected_by_human), 0)::bigint AS corrected,
           COALESCE(sum(n) FILTER (WHERE intent IS NULL), 0)::bigint AS unlabelled
    FROM g
  ),
  intents AS (
    SELECT intent, sum(n)::bigint AS samples,
           COALESCE(sum(n) FILTER (WHERE corrected_by_human), 0)::bigint AS corrected
    FROM g WHERE intent IS NOT NULL
    GROUP BY intent
  )
  SELECT jsonb_build_object(
    'total_samples', t.total,
    'corrected', t.corrected,
    'corrected_rate', CASE WHEN t.total > 0 THEN round(100.0 * t.corrected / t.total, 2) END,
    'unlabelled', t.unlabelled,
    'total_intents', (SELECT count(*) FROM intents),
    'intents', COALESCE((
        SELECT jsonb_agg(jsonb_build_object('intent', intent, 'samples', samples,
                                            'corrected', corrected,
                                            'corrected_rate', round(100.0 * corrected / samples, 2))
                         ORDER BY samples DESC, intent)
        FROM intents), '[]'::jsonb),
    'sources', (SELECT jsonb_object_agg(s.source, COALESCE((SELECT sum(n) FROM g WHERE g.source = s.source), 0)
                                        ORDER BY s.source)
                FROM unnest(ARRAY['live', 'imported', 'synthetic']) AS s(source)),
    'statuses', (SELECT jsonb_object_agg(s.status,
                                         COALESCE((SELECT sum(n) FROM g WHERE g.dataset_status = s.status), 0)
                                         ORDER BY s.status)
                 FROM unnest(ARRAY['pending', 'reviewed', 'approved', 'rejected', 'used_in_training'])
                      AS s(status))
  )
  FROM totals t;
$$;

-- ---------------------------------------------------------------------------------------------
-- Per intent, side by side: how often the bot was right on the samples humans reviewed, and how
-- the deployed model scored on its test split. Fractions 0..1, accuracy rounded to 4 decimals.
--   run       the newest completed, deployed run {run_id, run_name, model_version, completed_at,
--             f1}, or NULL before the first deploy
--   intents   [{intent, reviewed, correct, accuracy, precision, recall, f1, support}] sorted by
--             intent; reviewed = reviewed samples the bot labelled with the intent, correct = of
--             those, the ones it got right, accuracy = correct / reviewed (NULL when none);
--             precision, recall, f1 and support come from the run's per_intent_metrics (NULL
--             when the run has no figures for the intent). An intent appears when either side
--             knows it.
CREATE FUNCTION ai_intent_performance()
RETURNS JSONB
LANGUAGE sql STABLE AS $$
  WITH run AS (
    SELECT id, run_name, model_version, completed_at, intent_f1_score, per_intent_metrics
    FROM ai_training_runs
    WHERE status = 'completed' AND deployed
    ORDER BY completed_at DESC
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
