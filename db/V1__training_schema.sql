-- V1: the tables of the training pipeline.
--
-- Usable by hand: psql "$DATABASE_URL" -f db/V1__training_schema.sql (then V2, V3, ... in order),
-- or through Flyway (./pipeline migrate), which records what it applied.
-- PostgreSQL 15 or later (gen_random_uuid is built in since 13).
--
-- The host application's own tables (conversations, messages, users) are not ours: their ids
-- are kept as plain UUID columns without foreign keys.

-- Intent names: identifiers of 1-100 characters, a letter or digit first, then letters, digits
-- and _ . : / ? ! -  (BANKING77 has "reverted_card_payment?" and "Refund_not_showing_up").
CREATE DOMAIN intent_name AS TEXT
  CHECK (VALUE ~ '^[A-Za-z0-9][A-Za-z0-9_.:/?!-]{0,99}$');

-- Every training run, from start (running) to end (completed or failed).
CREATE TABLE ai_training_runs (
  id                        UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  run_name                  TEXT NOT NULL CHECK (length(run_name) BETWEEN 1 AND 200),
  run_type                  TEXT NOT NULL DEFAULT 'full'
                              CHECK (run_type IN ('full', 'incremental', 'intent_only')),
  triggered_by              TEXT NOT NULL DEFAULT 'api'
                              CHECK (triggered_by IN ('schedule', 'queue', 'api', 'cli')),
  status                    TEXT NOT NULL DEFAULT 'running'
                              CHECK (status IN ('running', 'completed', 'failed')),
  parameters                JSONB NOT NULL DEFAULT '{}'::jsonb,
  training_samples          INTEGER CHECK (training_samples >= 0),
  validation_samples        INTEGER CHECK (validation_samples >= 0),
  test_samples              INTEGER CHECK (test_samples >= 0),
  total_intents             INTEGER CHECK (total_intents >= 0),
  intent_accuracy           REAL CHECK (intent_accuracy BETWEEN 0 AND 1),
  intent_precision          REAL CHECK (intent_precision BETWEEN 0 AND 1),
  intent_recall             REAL CHECK (intent_recall BETWEEN 0 AND 1),
  intent_f1_score           REAL CHECK (intent_f1_score BETWEEN 0 AND 1),
  baseline_intent_accuracy  REAL CHECK (baseline_intent_accuracy BETWEEN 0 AND 1),
  baseline_intent_f1_score  REAL CHECK (baseline_intent_f1_score BETWEEN 0 AND 1),
  improvement               JSONB,
  -- Per-intent precision, recall, F1 and support of the new model on the test split.
  per_intent_metrics        JSONB,
  deployed                  BOOLEAN,
  deploy_reason             TEXT,
  model_version             TEXT,
  model_config              JSONB,
  model_file_path           TEXT,
  dataset_file_path         TEXT,
  report_file_path          TEXT,
  error_message             TEXT,
  started_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
  completed_at              TIMESTAMPTZ,
  duration_seconds          REAL CHECK (duration_seconds >= 0),
  created_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (status = 'running' OR completed_at IS NOT NULL)
);

CREATE INDEX ai_training_runs_started_idx ON ai_training_runs (started_at DESC, id DESC);
CREATE INDEX ai_training_runs_deployed_idx ON ai_training_runs (completed_at DESC)
  WHERE status = 'completed' AND deployed;

-- Every interaction the chatbot had, and what humans said about it.
CREATE TABLE ai_training_data (
  id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Idempotency key: the interaction id the caller gave or the record function assigned.
  -- Storing the same interaction twice stores it once.
  interaction_id      TEXT NOT NULL UNIQUE CHECK (length(interaction_id) BETWEEN 1 AND 128),
  conversation_id     UUID,
  message_id          UUID,
  user_id             UUID,
  user_message        TEXT NOT NULL
                        CHECK (length(btrim(user_message)) > 0 AND length(user_message) <= 10000),
  detected_intent     intent_name,
  correct_intent      intent_name,
  ai_response         TEXT CHECK (length(ai_response) <= 50000),
  correct_response    TEXT CHECK (length(correct_response) <= 50000),
  confidence_score    INTEGER CHECK (confidence_score BETWEEN 0 AND 100),
  -- The bot's ranked alternatives, [{"intent": ..., "confidence": 0..1}], and the gap between
  -- the first two confidences (0..1): a small gap marks an uncertain answer worth a review.
  top_intents         JSONB CHECK (top_intents IS NULL OR jsonb_typeof(top_intents) = 'array'),
  intent_margin       REAL CHECK (intent_margin BETWEEN 0 AND 1),
  corrected_by_human  BOOLEAN NOT NULL DEFAULT FALSE,
  -- NULL = not reviewed, TRUE = the detected intent was right, FALSE = it was wrong.
  intent_correct      BOOLEAN,
  escalated           BOOLEAN NOT NULL DEFAULT FALSE,
  should_escalate     BOOLEAN,
  response_source     TEXT CHECK (response_source ~ '^[a-z][a-z0-9_-]{0,31}$'),
  category            TEXT CHECK (length(category) <= 100),
  source              TEXT NOT NULL DEFAULT 'live' CHECK (source IN ('live', 'imported', 'synthetic')),
  dataset_status      TEXT NOT NULL DEFAULT 'pending'
                        CHECK (dataset_status IN ('pending', 'reviewed', 'approved', 'rejected', 'used_in_training')),
  corrected_by        UUID,
  corrected_at        TIMESTAMPTZ,
  last_run_id         UUID REFERENCES ai_training_runs (id) ON DELETE SET NULL,
  -- When the interaction happened (the orchestrator's clock, else the time it was recorded).
  occurred_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The indexes the original system listed, and the time window every metric reads.
CREATE INDEX ai_training_data_detected_intent_idx ON ai_training_data (detected_intent);
CREATE INDEX ai_training_data_correct_intent_idx ON ai_training_data (correct_intent);
CREATE INDEX ai_training_data_dataset_status_idx ON ai_training_data (dataset_status);
CREATE INDEX ai_training_data_corrected_idx ON ai_training_data (corrected_by_human);
CREATE INDEX ai_training_data_occurred_idx ON ai_training_data (occurred_at);
CREATE INDEX ai_training_data_created_idx ON ai_training_data (created_at);

-- Every human correction, as submitted (an audit trail: rows are never updated).
CREATE TABLE ai_intent_corrections (
  id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  training_data_id  UUID NOT NULL REFERENCES ai_training_data (id) ON DELETE CASCADE,
  original_intent   TEXT,
  corrected_intent  intent_name NOT NULL,
  was_mismatch      BOOLEAN NOT NULL,
  corrected_response TEXT CHECK (length(corrected_response) <= 50000),
  should_escalate   BOOLEAN,
  notes             TEXT CHECK (length(notes) <= 5000),
  corrected_by      UUID,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX ai_intent_corrections_data_idx ON ai_intent_corrections (training_data_id, created_at DESC);

-- Metrics frozen per period, for the history dashboard.
CREATE TABLE ai_metrics_snapshots (
  id                     UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  period_type            TEXT NOT NULL CHECK (period_type IN ('hourly', 'daily', 'weekly', 'monthly')),
  period_start           TIMESTAMPTZ NOT NULL,
  period_end             TIMESTAMPTZ NOT NULL,
  total_messages         INTEGER NOT NULL CHECK (total_messages >= 0),
  ai_resolved            INTEGER NOT NULL CHECK (ai_resolved >= 0),
  escalated              INTEGER NOT NULL CHECK (escalated >= 0),
  escalation_rate        NUMERIC(5, 2),
  avg_confidence         NUMERIC(5, 2),
  intent_accuracy        NUMERIC(5, 2),
  correction_rate        NUMERIC(5, 2),
  misclassification_rate NUMERIC(5, 2),
  metrics                JSONB NOT NULL,
  created_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (period_end > period_start),
  UNIQUE (period_type, period_start)
);

CREATE INDEX ai_metrics_snapshots_period_idx ON ai_metrics_snapshots (period_type, period_start DESC);
