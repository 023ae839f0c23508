package io.intentpipeline.metrics;

import io.intentpipeline.storage.SqlQuery;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The statements of metrics, snapshots and statistics; every value is a bound parameter. */
public final class MetricsQueries {
  static final String SNAPSHOT_COLUMNS = "id, period_type, period_start, period_end, total_messages, ai_resolved,"
      + " escalated, escalation_rate, avg_confidence, intent_accuracy, correction_rate, misclassification_rate,"
      + " metrics::text AS metrics, created_at";

  /** Where a page of history resumes: after (older than) this period start and id. */
  public record HistoryKey(Instant periodStart, UUID id) {}

  private MetricsQueries() {}

  /** The metrics of the last {@code hours} hours, up to now. */
  public static SqlQuery live(int hours) {
    return SqlQuery.builder()
        .append("SELECT ai_training_metrics_between(now() - make_interval(hours => ?), now())::text", hours)
        .build();
  }

  /** Freezes the last complete period of {@code type} before {@code at}, answering the snapshot row. */
  public static SqlQuery createSnapshot(PeriodType type, Instant at) {
    return SqlQuery.builder()
        .append("SELECT " + SNAPSHOT_COLUMNS + " FROM create_metrics_snapshot(?::text, ?::timestamptz)", type.key(), at)
        .build();
  }

  /** At most {@code limit} snapshots matching {@code filter}, newest period first, after {@code after}. */
  public static SqlQuery history(HistoryFilter filter, Optional<HistoryKey> after, int limit) {
    var q = SqlQuery.builder().append("SELECT " + SNAPSHOT_COLUMNS + " FROM ai_metrics_snapshots WHERE TRUE");
    filter.periodType().ifPresent(type -> q.append(" AND period_type = ?", type.key()));
    filter.from().ifPresent(from -> q.append(" AND period_start >= ?", from));
    filter.to().ifPresent(to -> q.append(" AND period_start < ?", to));
    after.ifPresent(key -> q.append(" AND (period_start, id) < (?, ?)", key.periodStart(), key.id()));
    return q.append(" ORDER BY period_start DESC, id DESC LIMIT ?", limit).build();
  }

  /** Per intent: accuracy on reviewed samples beside the deployed run's precision, recall and F1. */
  public static SqlQuery intentPerformance() {
    return SqlQuery.of("SELECT ai_intent_performance()::text");
  }

  /** The same, for the model of version {@code modelVersion} (db/V15): the run that deployed it, else the newest. */
  public static SqlQuery intentPerformance(String modelVersion) {
    return SqlQuery.builder().append("SELECT ai_intent_performance(?)::text", modelVersion).build();
  }

  /** The live metrics' {@code model} object for the model of version {@code modelVersion} (db/V15). */
  public static SqlQuery servedModel(String modelVersion) {
    return SqlQuery.builder().append("SELECT ai_served_model(?)::text", modelVersion).build();
  }

  /** Folds the deltas of ai_training_data_counts into one row per key, when at least {@code minRows} exist. */
  public static SqlQuery compactCounts(int minRows) {
    return SqlQuery.builder().append("SELECT ai_training_data_counts_compact(?)", minRows).build();
  }

  /** What the training data is made of: intents, sources, statuses, share corrected. */
  public static SqlQuery datasetStats() {
    return SqlQuery.of("SELECT ai_dataset_stats()::text");
  }
}
