-- The admin console's roll back (issue 15): an older model version put in service by copying it
-- over models/intent_classifier_latest.model, through POST /ai/training/models/rollback of the
-- train function. Every roll back is kept: who asked, when, from which version to which.
CREATE TABLE ai_model_rollbacks (
  id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The version latest served before (NULL when latest could not be read as a model).
  from_version    TEXT,
  to_version      TEXT NOT NULL CHECK (to_version ~ '^[A-Za-z0-9_.-]{1,100}$'),
  -- The caller: the Cognito user (email, else sub) or the IAM caller's ARN; 'local' on the local stack.
  rolled_back_by  TEXT NOT NULL CHECK (length(rolled_back_by) BETWEEN 1 AND 320),
  reason          TEXT CHECK (length(reason) <= 1000),
  request_id      TEXT,
  rolled_back_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX ai_model_rollbacks_at_idx ON ai_model_rollbacks (rolled_back_at DESC);
