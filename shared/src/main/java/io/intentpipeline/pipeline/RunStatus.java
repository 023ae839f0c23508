package io.intentpipeline.pipeline;

import java.util.Arrays;
import java.util.List;

/** Where a run stands, as {@code ai_training_runs.status}, the JSON answers and the reports name it. */
public enum RunStatus {
  /** Started and not yet ended (or died before it could record its end). */
  RUNNING("running"),
  /** Ended without a failure: trained (deployed or not), or found nothing new to train on. */
  COMPLETED("completed"),
  /** Ended by a failure, recorded with its error; the deployed model is untouched. */
  FAILED("failed"),
  /** Asked for but not run (a run in progress, or its work done already). */
  SKIPPED("skipped");

  private final String dbName;

  RunStatus(String dbName) {
    this.dbName = dbName;
  }

  /** The name in {@code ai_training_runs.status}, in JSON bodies and in logs. */
  public String dbName() {
    return dbName;
  }

  /** Every status's name, in declaration order. */
  static List<String> dbNames() {
    return Arrays.stream(values()).map(RunStatus::dbName).toList();
  }
}
