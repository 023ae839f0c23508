package io.intentpipeline.ml;

import java.time.Instant;
import java.util.Objects;

/**
 * What a model file says about itself besides its numbers: the training run that made it, its
 * version string, the profile, when it was made, the training configuration and the metrics
 * measured on it (both JSON objects, kept as text so that loading a model needs no JSON parser).
 */
public record ModelMetadata(String runId, String modelVersion, String profile, Instant createdAt,
    String trainingConfig, String metrics) {

  /** Nulls become empty (runId, modelVersion) or {@code {}} (JSON fields). */
  public ModelMetadata {
    runId = runId == null ? "" : runId;
    modelVersion = modelVersion == null ? "" : modelVersion;
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(createdAt, "createdAt");
    trainingConfig = trainingConfig == null || trainingConfig.isBlank() ? "{}" : trainingConfig;
    metrics = metrics == null || metrics.isBlank() ? "{}" : metrics;
  }

  /** The same with a run id and a model version. */
  public ModelMetadata withRun(String runId, String modelVersion) {
    return new ModelMetadata(runId, modelVersion, profile, createdAt, trainingConfig, metrics);
  }

  /** The same with other metrics (a JSON object). */
  public ModelMetadata withMetrics(String metricsJson) {
    return new ModelMetadata(runId, modelVersion, profile, createdAt, trainingConfig, metricsJson);
  }
}
