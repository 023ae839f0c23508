package io.intentpipeline.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.http.Page;
import io.intentpipeline.http.PageCursor;
import io.intentpipeline.http.PageRequest;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.SqlQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/** Live metrics with their alerts, snapshots and their history, per-intent performance, dataset statistics. */
public final class MetricsService {
  /** Delta rows of the dataset counters beyond which reading the statistics first folds them. */
  public static final int COMPACT_AT = 10_000;

  /** The longest window of live metrics, in hours (366 days). */
  public static final int MAX_HOURS = 8784;

  private final Database database;
  private final Supplier<Optional<String>> servedVersion;

  /** Metrics over {@code database}, describing the newest deployed run's model. */
  public MetricsService(Database database) {
    this(database, Optional::empty);
  }

  /**
   * Metrics over {@code database}, describing the model of version {@code servedVersion} (the
   * model predict serves, e.g. {@link io.intentpipeline.storage.ServedModel#version()}); the newest
   * deployed run's when it is empty or no run deployed that version.
   */
  public MetricsService(Database database, Supplier<Optional<String>> servedVersion) {
    this.database = database;
    this.servedVersion = servedVersion;
  }

  /**
   * The metrics of the last {@code hours} hours (the fields of {@code get_ai_training_metrics}),
   * preceded by {@code hours} and followed by {@code alerts}: every threshold they cross.
   */
  public ObjectNode live(int hours) throws SQLException {
    if (hours < 1 || hours > MAX_HOURS) {
      throw new IllegalArgumentException("hours must be between 1 and " + MAX_HOURS);
    }
    JsonNode metrics = json(MetricsQueries.live(hours));
    Optional<String> served = servedVersion.get();
    if (served.isPresent() && !served.get().equals(metrics.path("model").path("model_version").asText(null))) {
      // A rollback put an older model in service: describe it, not the newest deployed run.
      ((ObjectNode) metrics).set("model", json(MetricsQueries.servedModel(served.get())));
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("hours", hours);
    body.setAll((ObjectNode) metrics);
    body.set("escalation", json(MetricsQueries.escalation(hours)));
    body.set("alerts", Json.MAPPER.valueToTree(Alerts.check(metrics)));
    return body;
  }

  /**
   * Freezes the last complete period of {@code type} before {@code at} (UTC boundaries); taking
   * the same period again replaces its snapshot.
   */
  public Snapshot snapshot(PeriodType type, Instant at) throws SQLException {
    return database.run(connection -> {
      try (var statement = MetricsQueries.createSnapshot(type, at).prepare(connection);
           ResultSet rs = statement.executeQuery()) {
        rs.next();
        return snapshot(rs);
      }
    });
  }

  /** One page of snapshots, newest period first. */
  public Page<Snapshot> history(HistoryFilter filter, PageRequest page) throws SQLException {
    String scope = filter.scope();
    Optional<MetricsQueries.HistoryKey> after = page.cursor().map(cursor -> {
      List<String> key = PageCursor.decode(cursor, scope, 2);
      try {
        return new MetricsQueries.HistoryKey(Instant.parse(key.get(0)), UUID.fromString(key.get(1)));
      } catch (IllegalArgumentException | java.time.DateTimeException e) {
        throw PageCursor.invalid();
      }
    });
    List<Snapshot> rows = database.run(connection -> {
      try (var statement = MetricsQueries.history(filter, after, page.limit() + 1).prepare(connection);
           ResultSet rs = statement.executeQuery()) {
        List<Snapshot> found = new ArrayList<>();
        while (rs.next()) {
          found.add(snapshot(rs));
        }
        return found;
      }
    });
    List<Snapshot> items = rows.stream().limit(page.limit()).toList();
    String next = null;
    if (rows.size() > page.limit()) {
      Snapshot last = items.get(items.size() - 1);
      next = PageCursor.encode(scope, List.of(last.periodStart().toString(), last.id().toString()));
    }
    return new Page<>(items, next);
  }

  /**
   * Per intent, accuracy on reviewed samples beside the precision, recall, F1 and support of the
   * model in service (the run that deployed it; the newest deployed run when that is unknown).
   */
  public JsonNode intentPerformance() throws SQLException {
    Optional<String> served = servedVersion.get();
    return json(served.isPresent() ? MetricsQueries.intentPerformance(served.get()) : MetricsQueries.intentPerformance());
  }

  /**
   * Per-intent counts, sources, statuses and the share corrected, summed in the database from the
   * counters its triggers keep (first folded when {@value #COMPACT_AT} delta rows piled up).
   */
  public JsonNode datasetStats() throws SQLException {
    compactCounts(COMPACT_AT);
    return json(MetricsQueries.datasetStats());
  }

  /**
   * Folds the counters behind the dataset statistics into one row per key when at least
   * {@code minRows} rows exist (0: always); answers the rows left, or 0 when nothing was done.
   */
  public long compactCounts(int minRows) throws SQLException {
    return database.run(connection -> {
      try (var statement = MetricsQueries.compactCounts(minRows).prepare(connection);
           ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  private JsonNode json(SqlQuery query) throws SQLException {
    String text = database.run(connection -> {
      try (var statement = query.prepare(connection); ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    });
    return parse(text);
  }

  private static Snapshot snapshot(ResultSet rs) throws SQLException {
    JsonNode metrics = parse(rs.getString("metrics"));
    return new Snapshot(
        rs.getObject("id", UUID.class),
        rs.getString("period_type"),
        instant(rs, "period_start"),
        instant(rs, "period_end"),
        rs.getInt("total_messages"),
        rs.getInt("ai_resolved"),
        rs.getInt("escalated"),
        rs.getBigDecimal("escalation_rate"),
        rs.getBigDecimal("avg_confidence"),
        rs.getBigDecimal("intent_accuracy"),
        rs.getBigDecimal("correction_rate"),
        rs.getBigDecimal("misclassification_rate"),
        metrics,
        Alerts.check(metrics),
        instant(rs, "created_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static JsonNode parse(String text) {
    if (text == null) {
      return Json.MAPPER.nullNode(); // a function answering SQL NULL (no deployed run at all)
    }
    try {
      return Json.MAPPER.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("The database returned malformed JSON", e);
    }
  }
}
