package io.intentpipeline.snapshot;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.lambda.InvocationInput;
import io.intentpipeline.log.Log;
import io.intentpipeline.privacy.Erasure;
import io.intentpipeline.privacy.Retention;
import io.intentpipeline.storage.StorageUnavailableException;
import io.intentpipeline.validation.InvalidRequestException;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The daily retention schedule ({@code {"retention": true}} as the event's detail, or a direct
 * invocation {@code {"retention": true}}): deletes the unreviewed rows older than RETENTION_DAYS,
 * then finishes the S3 sweep of erasures a training run kept pending.
 */
final class ScheduledRetention {
  /** How long the deletion may take: well inside the function's 300 s, the rest for the sweep. */
  static final Duration BUDGET = Duration.ofSeconds(180);

  /** What the run did. */
  record Result(Retention.Outcome retention, @JsonProperty("erasures_swept") Erasure.Swept swept) {}

  private final Retention retention;
  private final Erasure erasure;

  ScheduledRetention(Retention retention, Erasure erasure) {
    this.retention = java.util.Objects.requireNonNull(retention, "retention");
    this.erasure = java.util.Objects.requireNonNull(erasure, "erasure");
  }

  /** The erasure whose pending sweeps each run finishes. */
  Erasure erasure() {
    return erasure;
  }

  /**
   * One run for {@code input} (the schedule's detail or the direct invocation's payload, which must
   * hold {@code "retention": true}); a database failure fails the invocation (the next day's run
   * goes on where this one stopped).
   */
  Result run(JsonNode input, String prefix) {
    InvocationInput.read("retention_rejected", () -> {
      JsonNode flag = input.get("retention");
      if (flag == null || !flag.isBoolean() || !flag.booleanValue()) {
        throw new InvalidRequestException(prefix + "retention", prefix + "retention must be true");
      }
      return flag;
    });
    try {
      Retention.Outcome deleted = retention.run(BUDGET);
      Erasure.Swept swept;
      try {
        swept = erasure.sweepPending();
      } catch (StorageUnavailableException e) {
        // The rows are deleted; the sweep is retried by the next run or erasure.
        Log.error("erasure_sweep_failed", e);
        swept = null;
      }
      return new Result(deleted, swept);
    } catch (SQLException e) {
      throw new IllegalStateException("Retention failed with SQLSTATE " + e.getSQLState(), e);
    }
  }
}
