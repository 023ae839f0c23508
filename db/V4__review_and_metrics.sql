-- V4: what human review, the metrics and the dataset statistics need to stay fast on a large
-- ai_training_data (measured by ./pipeline benchmark queries on 1,000,000 rows):
--   * the indexes of the review queue, of the error list, of per-intent accuracy and of the
--     metrics window;
--   * ai_training_metrics_between rewritten to read its window once (same results as V2);
--   * ai_training_data_counts: row counts by intent, source, status and review, kept exact by
--     statement-level triggers, so that the dataset statistics never count the whole table;
--   * two SQL functions: ai_dataset_stats() and ai_intent_performance().

-- ---------------------------------------------------------------------------------------------
-- Indexes.

-- The metrics read five columns of every interaction in their window: with these columns in the
-- index, a window is read from the index alone (no heap visits). It replaces V1's plain index on
-- occurred_at, which it serves in every query that one served.
CREATE INDEX ai_training_data_occurred_cover_idx ON ai_training_data (occurred_at)
  INCLUDE (detected_intent, correct_intent, confidence_score, escalated, intent_correct);
DROP INDEX ai_training_data_occurred_idx;

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

-- The history of every period type, newest first (V1's index leads with the period type).
CREATE INDEX ai_metrics_snapshots_start_idx ON ai_metrics_snapshots (period_start DESC, id DESC);

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
-- Row counts of ai_training_data by the five columns the dataset statistics report. Counting the
-- table on each request costs a pass over every row (hundreds of milliseconds per million rows);
-- these counts cost one small grouped insert per writing statement (about 2 ms for a 1,000-row
-- insert) and make the statistics a read of a few thousand rows at any table size.
--
-- The table holds signed deltas: statement-level triggers on INSERT, UPDATE, DELETE and TRUNCATE
-- see every change through transition tables and append the net change of each key (an UPDATE
-- that changes none of the five columns appends nothing). The count of a key is the sum of its
-- rows. Writers only ever append, so they never wait for each other here and cannot deadlock on
-- it (a shared counter row updated in place would make two multi-statement transactions
-- deadlock). ai_training_data_counts_compact() folds the deltas into one row per key; the
-- snapshot function runs it, and the statistics run it when the deltas pile up.
-- Only writes that bypass triggers (session_replication_role = replica, DISABLE TRIGGER) could
-- make the counts drift: ai_training_data_counts_rebuild() recounts them.
CREATE TABLE ai_training_data_counts (
  detected_intent     TEXT,
  correct_intent      TEXT,
  source              TEXT NOT NULL,
  dataset_status      TEXT NOT NULL,
  corrected_by_human  BOOLEAN NOT NULL,
  n                   BIGINT NOT NULL
);

CREATE FUNCTION ai_training_data_count_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    -- Waits for a running compaction, whose summary rows this DELETE must then see.
    LOCK TABLE ai_training_data_counts IN EXCLUSIVE MODE;
    DELETE FROM ai_training_data_counts;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO ai_training_data_counts
      (detected_intent, correct_intent, source, dataset_status, corrected_by_human, n)
    SELECT detected_intent, correct_intent, source, dataset_status, corrected_by_human, count(*)
    FROM added
    GROUP BY 1, 2, 3, 4, 5;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO ai_training_data_counts
      (detected_intent, correct_intent, source, dataset_status, corrected_by_human, n)
    SELECT detected_intent, correct_intent, source, dataset_status, corrected_by_human, -count(*)
    FROM removed
    GROUP BY 1, 2, 3, 4, 5;
  ELSE
    INSERT INTO ai_training_data_counts
      (detected_intent, correct_intent, source, dataset_status, corrected_by_human, n)
    SELECT detected_intent, correct_intent, source, dataset_status, corrected_by_human, sum(delta)
    FROM (SELECT detected_intent, correct_intent, source, dataset_status, corrected_by_human, -1 AS delta
          FROM removed
          UNION ALL
          SELECT detected_intent, correct_intent, source, dataset_status, corrected_by_human, 1
          FROM added) AS changes
    GROUP BY 1, 2, 3, 4, 5
    HAVING sum(delta) <> 0;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER ai_training_data_count_inserts AFTER INSERT ON ai_training_data
  REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION ai_training_data_count_changes();
CREATE TRIGGER ai_training_data_count_updates AFTER UPDATE ON ai_training_data
  REFERENCING OLD TABLE AS removed NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION ai_training_data_count_changes();
CREATE TRIGGER ai_training_data_count_deletes AFTER DELETE ON ai_training_data
  REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION ai_training_data_count_changes();
CREATE TRIGGER ai_training_data_count_truncates AFTER TRUNCATE ON ai_training_data
  FOR EACH STATEMENT EXECUTE FUNCTION ai_training_data_count_changes();

-- Folds the deltas into one row per key (keys that sum to zero disappear) and answers how many
-- rows remain; does nothing and answers 0 while fewer than p_min_rows rows exist. Writers keep
-- appending meanwhile: the rows they add after the fold starts are not part of it and stay.
-- Compactions run one at a time.
CREATE FUNCTION ai_training_data_counts_compact(p_min_rows INTEGER DEFAULT 0) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
  v_rows BIGINT;
BEGIN
  IF p_min_rows > 0 AND (SELECT count(*) FROM (SELECT 1 FROM ai_training_data_counts LIMIT p_min_rows) x) < p_min_rows THEN
    RETURN 0;
  END IF;
  LOCK TABLE ai_training_data_counts IN SHARE UPDATE EXCLUSIVE MODE;
  WITH folded AS (DELETE FROM ai_training_data_counts RETURNING *)
  INSERT INTO ai_training_data_counts
    (detected_intent, correct_intent, source, dataset_status, corrected_by_human, n)
  SELECT detected_intent, correct_intent, source, dataset_status, corrected_by_human, sum(n)
  FROM folded
  GROUP BY 1, 2, 3, 4, 5
  HAVING sum(n) <> 0;
  GET DIAGNOSTICS v_rows = ROW_COUNT;
  RETURN v_rows;
END;
$$;

-- Recounts ai_training_data_counts from the table (a repair; never needed while triggers run).
-- Locks out writers of ai_training_data meanwhile, so the recount is exact.
CREATE FUNCTION ai_training_data_counts_rebuild() RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
  v_keys BIGINT;
BEGIN
  LOCK TABLE ai_training_data IN SHARE MODE;
  LOCK TABLE ai_training_data_counts IN EXCLUSIVE MODE;
  DELETE FROM ai_training_data_counts;
  INSERT INTO ai_training_data_counts
    (detected_intent, correct_intent, source, dataset_status, corrected_by_human, n)
  SELECT detected_intent, correct_intent, source, dataset_status, corrected_by_human, count(*)
  FROM ai_training_data
  GROUP BY 1, 2, 3, 4, 5;
  GET DIAGNOSTICS v_keys = ROW_COUNT;
  RETURN v_keys;
END;
$$;

-- The rows already stored. The recount locks writers out and starts from an empty table, so it
-- is exact whether this file runs in one transaction (Flyway) or statement by statement (psql).
SELECT ai_training_data_counts_rebuild();

-- ---------------------------------------------------------------------------------------------
-- What the training data is made of, summed from ai_training_data_counts. The intent of a row is its
-- corrected intent when a human gave one, else the detected one. Rates in percent, rounded to 2
-- decimals, NULL when their denominator is zero.
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
    SELECT COALESCE(correct_intent, detected_intent) AS intent, source, dataset_status,
           corrected_by_human, sum(n) AS n
    FROM ai_training_data_counts
    GROUP BY detected_intent, correct_intent, source, dataset_status, corrected_by_human
    HAVING sum(n) <> 0
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
    'sources', (SELECT jsonb_object_agg(s.source,
                                        COALESCE((SELECT sum(n) FROM g WHERE g.source = s.source), 0))
                FROM unnest(ARRAY['live', 'imported', 'synthetic']) AS s(source)),
    'statuses', (SELECT jsonb_object_agg(s.status,
                                         COALESCE((SELECT sum(n) FROM g WHERE g.dataset_status = s.status), 0))
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
