package io.intentpipeline.pipeline;

/** What started a run, as {@code ai_training_runs.triggered_by} records it. */
public enum Trigger {
  /** The nightly EventBridge schedule. */
  SCHEDULE("schedule"),
  /** A message on the retrain queue sent by the flush function after enough new samples. */
  QUEUE("queue"),
  /** {@code POST /ai/training/run} (queued, then run from the retrain queue). */
  API("api"),
  /** An operator: a direct invocation or the command-line tool. */
  CLI("cli");

  private final String dbName;

  Trigger(String dbName) {
    this.dbName = dbName;
  }

  /** The name in {@code ai_training_runs.triggered_by}. */
  public String dbName() {
    return dbName;
  }
}
