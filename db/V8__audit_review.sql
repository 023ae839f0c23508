-- V8: an honest live accuracy (the audit sample).
--
-- Usable by hand after V1-V7: psql "$DATABASE_URL" -f db/V8__audit_review.sql
--
-- The seed's intent_accuracy is computed from every reviewed row, and reviewers take the review
-- queue least confident first: the rows a human sees are the bot's hardest cases, so that figure
-- understates the bot's accuracy on its real traffic (and rises or falls with how deep reviewers
-- dig, not with the bot). The flush function now picks a share of live interactions at random
-- (AUDIT_SHARE, default 0.02; the pick is a hash of the interaction id, see
-- io.intentpipeline.interaction.AuditSample) and marks them review_reason = 'audit'. The review
-- queue serves them first, and the metrics estimate the bot's accuracy from the reviewed audited
-- rows alone: a uniform random sample of live traffic, whose share of right answers is an unbiased
-- estimate of the share on all live traffic, given with its 95 % Wilson score interval.

-- ---------------------------------------------------------------------------------------------
-- Why a row is in the review queue: NULL for an ordinary row (it waits in the queue's own order),
-- 'audit' for a row of the random audit sample. Only live interactions are audited: imported and
-- synthetic samples are not the bot's traffic. Adding a nullable column rewrites nothing; the
-- checks read the table once.
ALTER TABLE ai_training_data
  ADD COLUMN review_reason TEXT
    CONSTRAINT ai_training_data_review_reason_check CHECK (review_reason IN ('audit')),
  ADD CONSTRAINT ai_training_data_review_reason_live_check
    CHECK (review_reason IS NULL OR source = 'live');

-- The metrics window over the audit sample: audited rows by time, with the review outcome, so
-- that the live accuracy is an index-only scan of the window's audited rows (a share of the
-- window, AUDIT_SHARE of the live traffic). The covering index of the other figures
-- (ai_training_data_occurred_cover_idx, V6) is left as it is, and so is their plan.
CREATE INDEX ai_training_data_audit_idx ON ai_training_data (occurred_at)
  INCLUDE (intent_correct)
  WHERE review_reason = 'audit';

-- The audited rows waiting for review, by id: the queue serves them first, and in an order that
-- owes nothing to their content (ids are random), so that whatever part of them reviewers get
-- through is itself a random sample (GET /ai/training/pending-review, ReviewQueries.auditQueue).
-- Small: an audited row leaves it once reviewed. Its predicate is the queue's
-- (ReviewQueries.NEEDS_REVIEW, as in V4's ai_training_data_review_queue_idx) and the audit
-- condition: the planner matches each condition of the query to one of it.
CREATE INDEX ai_training_data_audit_queue_idx ON ai_training_data (id)
  WHERE review_reason = 'audit'
    AND NOT corrected_by_human
    AND dataset_status IN ('pending', 'used_in_training')
    AND confidence_score IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
-- The Wilson score interval of a proportion: p_successes out of p_trials, at the normal quantile
-- p_z (1.959963984540054: 95 %). With p = k/n and z:
--   centre = (p + z^2/(2n)) / (1 + z^2/n)
--   half   = z * sqrt(p(1-p)/n + z^2/(4n^2)) / (1 + z^2/n)
--   low, high = centre -/+ half, clamped to [0, 1]
-- Unlike p -/+ z*sqrt(p(1-p)/n), it stays within [0, 1] and is not empty at p = 0 or 1, and it
-- keeps close to its nominal coverage for the small samples an audit gives. NULL bounds when
-- p_trials is 0; p_successes must be within [0, p_trials].
CREATE FUNCTION ai_wilson_interval(p_successes INTEGER, p_trials INTEGER,
                                   p_z DOUBLE PRECISION DEFAULT 1.959963984540054,
                                   OUT low DOUBLE PRECISION, OUT high DOUBLE PRECISION)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  v_n DOUBLE PRECISION := p_trials;
  v_p DOUBLE PRECISION;
  v_z2 DOUBLE PRECISION := p_z * p_z;
  v_denominator DOUBLE PRECISION;
  v_centre DOUBLE PRECISION;
  v_half DOUBLE PRECISION;
BEGIN
  IF p_successes IS NULL OR p_trials IS NULL OR p_trials < 0 OR p_successes < 0 OR p_successes > p_trials THEN
    RAISE EXCEPTION 'need 0 <= p_successes <= p_trials, got % of %',
      COALESCE(p_successes::text, 'NULL'), COALESCE(p_trials::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_z IS NULL OR p_z <= 0 THEN
    RAISE EXCEPTION 'p_z must be positive, got %', COALESCE(p_z::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_trials = 0 THEN
    RETURN;
  END IF;
  v_p := p_successes / v_n;
  v_denominator := 1 + v_z2 / v_n;
  v_centre := (v_p + v_z2 / (2 * v_n)) / v_denominator;
  v_half := p_z * sqrt(v_p * (1 - v_p) / v_n + v_z2 / (4 * v_n * v_n)) / v_denominator;
  low := greatest(0, v_centre - v_half);
  high := least(1, v_centre + v_half);
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- V6's function with two more figures; everything else (figures, definitions in V2, rounding,
-- ordering, the window without imported samples) is unchanged:
--   intent_accuracy_basis  what intent_accuracy is computed from (every reviewed row, biased
--                          toward hard cases)
--   live_accuracy          the bot's accuracy on live traffic, from the audit sample of the window:
--     audited              live interactions of the window picked for the audit
--     audited_reviewed     of those, the ones a human reviewed (intent_correct IS NOT NULL)
--     correct              of those, the ones whose detected intent was right
--     estimate             correct / audited_reviewed; NULL when audited_reviewed is 0
--     low, high            its Wilson score interval (ai_wilson_interval); NULL likewise
--     confidence_level     0.95
--     basis                what the estimate is computed from, or that there is none yet
--   Fractions 0..1 rounded to 4 decimals (intent_accuracy stays in percent, as in the seed).
-- The audit figures come from ai_training_data_audit_idx (an index-only scan of the window's
-- audited rows); audited rows are live by a check, so the window's source condition holds.
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
  ),
  audit AS (
    SELECT count(*)::int                                  AS audited,
           count(intent_correct)::int                     AS reviewed,
           count(*) FILTER (WHERE intent_correct)::int    AS correct
    FROM ai_training_data
    WHERE review_reason = 'audit' AND occurred_at >= p_from AND occurred_at < p_to
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
    'intent_accuracy_basis', 'all reviewed rows (biased toward hard cases: the review queue serves the'
                             || ' least confident first); see live_accuracy for the unbiased estimate',
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
              FROM model),
    'live_accuracy', (
        SELECT jsonb_build_object(
                 'estimate', CASE WHEN a.reviewed > 0 THEN round(a.correct::numeric / a.reviewed, 4) END,
                 'low', round(w.low::numeric, 4),
                 'high', round(w.high::numeric, 4),
                 'confidence_level', 0.95,
                 'audited', a.audited,
                 'audited_reviewed', a.reviewed,
                 'correct', a.correct,
                 'basis', CASE WHEN a.reviewed > 0
                            THEN 'reviewed rows of the audit sample only (live interactions picked at'
                                 || ' random for review, whatever their confidence): unbiased;'
                                 || ' 95 % Wilson score interval'
                            ELSE 'no row of the audit sample in this window is reviewed yet: no estimate'
                          END)
        FROM audit a, ai_wilson_interval(a.correct, a.reviewed) w)
  )
  FROM totals t;
$$;
