package io.intentpipeline.pipeline;

import java.util.UUID;

/**
 * The columns of one {@code ai_training_runs} row as a run fills them in, stage by stage; written
 * once at the end, whatever the outcome, with what is known by then (null: not reached).
 * Mutable, and only ever touched by the one thread running the run.
 */
final class RunRecord {
  final UUID id;
  String status = "running";
  Integer trainingSamples;
  Integer validationSamples;
  Integer testSamples;
  Integer totalIntents;
  Double accuracy;
  Double precision;
  Double recall;
  Double f1;
  Double baselineAccuracy;
  Double baselineF1;
  /** JSON object text. */
  String improvement;
  /** JSON object text: {"intent": {"precision", "recall", "f1", "support"}}. */
  String perIntentMetrics;
  Boolean deployed;
  String deployReason;
  String modelVersion;
  /** JSON object text. */
  String modelConfig;
  String modelFilePath;
  String datasetFilePath;
  String reportFilePath;
  String errorMessage;
  double durationSeconds;

  RunRecord(UUID id) {
    this.id = id;
  }
}
