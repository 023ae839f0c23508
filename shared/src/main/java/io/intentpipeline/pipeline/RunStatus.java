package io.intentpipeline.pipeline;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Where a run stands, as {@code ai_training_runs.status}, the JSON answers and the reports name it. */
public enum RunStatus {
  /** Started and not yet ended (or died before it could record its end). */
  RUNNING,
  /** Ended without a failure: trained (deployed or not), or found nothing new to train on. */
  COMPLETED,
  /** Ended by a failure, recorded with its error; the deployed model is untouched. */
  FAILED,
  /** Asked for but not run (a run in progress, or its work done already). */
  SKIPPED;

  /** The name in {@code ai_training_runs.status}, in JSON bodies and in logs: the constant's, in lower case. */
  public String dbName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Every status's name, in declaration order. */
  static List<String> dbNames() {
    return Arrays.stream(values()).map(RunStatus::dbName).toList();
  }
}
