-- V9: review strategies (issue "Review where it teaches most", part 4).
--
--   * the scores of the model in service: after each deploy the train function re-scores the
--     newest rows still waiting for review (RESCORE_LIMIT, default 100,000) with the new model and
--     stores its answer here. confidence_score, intent_margin, top_intents and detected_intent stay
--     what the bot answered: the metrics are computed from them;
--   * the review queue in three orders (GET /ai/training/pending-review?order=...), each on the
--     re-scored values when a row has them, else on the bot's: COALESCE(rescored, original).
--
-- Usable by hand after V1-V6: psql "$DATABASE_URL" -f db/V9__review_strategies.sql

-- ---------------------------------------------------------------------------------------------
-- The newest deployed model's answer for a row waiting for review, NULL until a deploy re-scored
-- it (or for rows beyond the bound of the re-scoring). Same scales as the bot's columns:
-- confidence 0-100 (round(100 x the calibrated probability)), margin 0..1 between the two best
-- intents, top intents [{"intent", "confidence"}] best first (3, as predict answers by default).
-- Adding nullable columns without a default rewrites nothing; the CHECKs read the table once.
ALTER TABLE ai_training_data
  ADD COLUMN rescored_intent        intent_name,
  ADD COLUMN rescored_confidence    INTEGER CHECK (rescored_confidence BETWEEN 0 AND 100),
  ADD COLUMN rescored_margin        REAL CHECK (rescored_margin BETWEEN 0 AND 1),
  ADD COLUMN rescored_top_intents   JSONB
    CHECK (rescored_top_intents IS NULL OR jsonb_typeof(rescored_top_intents) = 'array'),
  ADD COLUMN rescored_model_version TEXT CHECK (length(rescored_model_version) BETWEEN 1 AND 200),
  ADD COLUMN rescored_at            TIMESTAMPTZ,
  -- All of them or none: a re-scored row says which model scored it, when, and every figure.
  ADD CONSTRAINT ai_training_data_rescored_check CHECK (
    (rescored_model_version IS NULL AND rescored_intent IS NULL AND rescored_confidence IS NULL
       AND rescored_margin IS NULL AND rescored_top_intents IS NULL AND rescored_at IS NULL)
    OR (rescored_model_version IS NOT NULL AND rescored_intent IS NOT NULL AND rescored_confidence IS NOT NULL
       AND rescored_margin IS NOT NULL AND rescored_top_intents IS NOT NULL AND rescored_at IS NOT NULL));

-- ---------------------------------------------------------------------------------------------
-- The queue's indexes, one per order that reads the table in its own order, in the design of
-- V4's ai_training_data_review_queue_idx: partial on the predicate of the queue (it must stay
-- textually the same as ReviewQueries.NEEDS_REVIEW, or the planner cannot use them), the order's
-- sort keys, then id, so that the order is total and a keyset cursor resumes it with an index
-- scan. The sort keys are the expressions of io.intentpipeline.review.ReviewQueries.

-- lowest_confidence (and the head of diverse, which ranks the first 5,000 rows of this order):
-- lowest confidence, then smallest margin (none counts as 1), then id.
CREATE INDEX ai_training_data_queue_confidence_idx ON ai_training_data
  ((COALESCE(rescored_confidence, confidence_score)), (COALESCE(rescored_margin, intent_margin, 1)), id)
  WHERE NOT corrected_by_human
    AND dataset_status IN ('pending', 'used_in_training')
    AND confidence_score IS NOT NULL;

-- smallest_margin: smallest margin (none counts as 1), then lowest confidence, then id.
CREATE INDEX ai_training_data_queue_margin_idx ON ai_training_data
  ((COALESCE(rescored_margin, intent_margin, 1)), (COALESCE(rescored_confidence, confidence_score)), id)
  WHERE NOT corrected_by_human
    AND dataset_status IN ('pending', 'used_in_training')
    AND confidence_score IS NOT NULL;

-- V4's queue index sorts on the bot's own confidence and margin, which no query orders by any
-- more: kept, it would only cost every write.
DROP INDEX IF EXISTS ai_training_data_review_queue_idx;
