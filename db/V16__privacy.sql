-- V16: personal data (docs/PRIVACY.md). Which kinds the record function redacted in each row; the
-- audit of erasures and retention runs (what was erased and when, never the text); the keys of
-- erased lines still to be swept from S3; indexes for erasure by user and by conversation.
--
-- Usable by hand after V1-V10: psql "$DATABASE_URL" -f db/V16__privacy.sql

-- The kinds of personal data replaced by placeholders in user_message or ai_response before the
-- row was stored: card, iban, email, phone, or an operator's kind. Empty: nothing was redacted
-- (or the row predates redaction).
ALTER TABLE ai_training_data
  ADD COLUMN redacted_kinds TEXT[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(redacted_kinds) <= 20 AND array_position(redacted_kinds, NULL) IS NULL);

CREATE INDEX ai_training_data_user_idx ON ai_training_data (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX ai_training_data_conversation_idx ON ai_training_data (conversation_id)
  WHERE conversation_id IS NOT NULL;

-- One row per erasure request (kind user or conversation, subject_id the host application's id)
-- and per retention run (kind retention, cutoff the age limit). Counts only, never text.
-- status: rows_erased = the rows are gone and S3 is still to be swept (a training run that read
-- them before the erasure may still write a dataset snapshot); complete = S3 swept after the last
-- such run.
CREATE TABLE ai_data_erasures (
  id                   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  kind                 TEXT NOT NULL CHECK (kind IN ('user', 'conversation', 'retention')),
  subject_id           UUID CHECK ((kind = 'retention') = (subject_id IS NULL)),
  cutoff               TIMESTAMPTZ CHECK ((kind = 'retention') = (cutoff IS NOT NULL)),
  rows_deleted         INTEGER NOT NULL CHECK (rows_deleted >= 0),
  corrections_deleted  INTEGER NOT NULL CHECK (corrections_deleted >= 0),
  s3_objects_rewritten INTEGER NOT NULL DEFAULT 0 CHECK (s3_objects_rewritten >= 0),
  s3_objects_deleted   INTEGER NOT NULL DEFAULT 0 CHECK (s3_objects_deleted >= 0),
  s3_lines_removed     INTEGER NOT NULL DEFAULT 0 CHECK (s3_lines_removed >= 0),
  status               TEXT NOT NULL CHECK (status IN ('rows_erased', 'complete')),
  erased_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
  completed_at         TIMESTAMPTZ,
  CHECK ((status = 'complete') = (completed_at IS NOT NULL))
);

CREATE INDEX ai_data_erasures_subject_idx ON ai_data_erasures (subject_id, erased_at)
  WHERE subject_id IS NOT NULL;
CREATE INDEX ai_data_erasures_pending_idx ON ai_data_erasures (erased_at) WHERE status = 'rows_erased';

-- The keys (SHA-256 of the whitespace-normalised message and its row's created_at) of the lines
-- an erasure still has to remove from S3; deleted with the erasure's completion. Never the text.
CREATE TABLE ai_erasure_lines (
  erasure_id  UUID NOT NULL REFERENCES ai_data_erasures (id) ON DELETE CASCADE,
  line_key    BYTEA NOT NULL CHECK (length(line_key) = 32),
  PRIMARY KEY (erasure_id, line_key)
);
