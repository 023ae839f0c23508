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

  /**
   * Escalation over the last {@code hours} hours (docs/ANSWER_ACTIONS.md): the rate the orchestrator
   * saw (its {@code escalated} flag) and how often it clarified ({@code response_source = 'clarify'}),
   * the rates the model in service predicts (its run's answer policy, on validation and test
   * samples), and how many escalated and clarified messages a human reviewed and found to be an
   * intent the bot knows (any intent but the serving run's out-of-scope intent).
   */
  public static SqlQuery escalation(int hours) {
    return SqlQuery.builder().append(ESCALATION, hours).build();
  }

  private static final String ESCALATION = """
      WITH serving AS (
        SELECT model_version, parameters FROM ai_training_runs
        WHERE status = 'completed' AND deployed
        ORDER BY completed_at DESC LIMIT 1
      ),
      oos AS (
        SELECT COALESCE((SELECT parameters->>'out_of_scope_intent' FROM serving), 'out_of_scope') AS name
      ),
      r AS (
        SELECT d.escalated,
               d.response_source = 'clarify' AS clarified,
               d.intent_correct IS NOT NULL AS reviewed,
               COALESCE(d.correct_intent, d.detected_intent) <> o.name AS known
        FROM ai_training_data d, oos o
        WHERE d.occurred_at >= now() - make_interval(hours => ?) AND d.occurred_at < now()
          AND d.source <> 'imported'
      ),
      t AS (
        SELECT count(*)::int AS total,
               count(*) FILTER (WHERE escalated)::int AS escalated,
               count(*) FILTER (WHERE clarified)::int AS clarified,
               count(*) FILTER (WHERE escalated AND reviewed)::int AS escalated_reviewed,
               count(*) FILTER (WHERE escalated AND reviewed AND known)::int AS escalated_known,
               count(*) FILTER (WHERE clarified AND reviewed)::int AS clarified_reviewed,
               count(*) FILTER (WHERE clarified AND reviewed AND known)::int AS clarified_known
        FROM r
      )
      SELECT jsonb_build_object(
        'seen_rate', CASE WHEN t.total > 0 THEN round(100.0 * t.escalated / t.total, 2) END,
        'clarified', t.clarified,
        'clarify_rate', CASE WHEN t.total > 0 THEN round(100.0 * t.clarified / t.total, 2) END,
        'model_version', (SELECT model_version FROM serving),
        'model_predicted_rate', (SELECT round(100 * (parameters #>> '{answer,expected_escalate_share}')::numeric, 2)
                                 FROM serving),
        'model_predicted_rate_on_test', (SELECT round(100 * (parameters #>> '{answer,on_test,escalate_share}')::numeric, 2)
                                         FROM serving),
        'model_predicted_clarify_rate', (SELECT round(100 * (parameters #>> '{answer,expected_clarify_share}')::numeric, 2)
                                         FROM serving),
        'out_of_scope_intent', (SELECT name FROM oos),
        'escalated_reviewed', t.escalated_reviewed,
        'escalated_known', t.escalated_known,
        'escalated_known_rate', CASE WHEN t.escalated_reviewed > 0
                                  THEN round(100.0 * t.escalated_known / t.escalated_reviewed, 2) END,
        'clarified_reviewed', t.clarified_reviewed,
        'clarified_known', t.clarified_known,
        'clarified_known_rate', CASE WHEN t.clarified_reviewed > 0
                                  THEN round(100.0 * t.clarified_known / t.clarified_reviewed, 2) END
      )::text
      FROM t
      """;

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
