package io.intentpipeline.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rows of {@code ai_training_data} for fixtures, inserted as the flush function would store them.
 * A row given a {@code correctIntent} is a reviewed one: the review trigger marks it.
 */
public final class TrainingRows {
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private TrainingRows() {}

  /** One row to insert; unset fields take the defaults of a plain live interaction. */
  public static final class Row {
    UUID id = UUID.randomUUID();
    String message = "where is my card?";
    String detectedIntent;
    String correctIntent;
    Integer confidence = 90;
    Float margin;
    String topIntents;
    boolean escalated;
    String source = "live";
    String status = "pending";
    Instant occurredAt = Instant.now().minusSeconds(60);
    String response = "It is on its way.";
    String reviewReason;
    String responseSource;

    /** A row whose bot detected {@code intent}. */
    public static Row detected(String intent) {
      Row row = new Row();
      row.detectedIntent = intent;
      return row;
    }

    public Row id(UUID value) {
      id = value;
      return this;
    }

    public Row message(String value) {
      message = value;
      return this;
    }

    /** Reviewed: a human says the intent is {@code value}. */
    public Row correct(String value) {
      correctIntent = value;
      return this;
    }

    public Row confidence(Integer value) {
      confidence = value;
      return this;
    }

    public Row margin(Float value) {
      margin = value;
      return this;
    }

    public Row topIntents(String json) {
      topIntents = json;
      return this;
    }

    public Row escalated(boolean value) {
      escalated = value;
      return this;
    }

    public Row source(String value) {
      source = value;
      return this;
    }

    public Row status(String value) {
      status = value;
      return this;
    }

    public Row at(Instant value) {
      occurredAt = value;
      return this;
    }

    public Row response(String value) {
      response = value;
      return this;
    }

    /** What produced the bot's reply ({@code clarify}: it asked which of two intents was meant). */
    public Row responseSource(String value) {
      responseSource = value;
      return this;
    }

    /** In the audit sample ({@code review_reason = 'audit'}), or not. */
    public Row audited(boolean value) {
      reviewReason = value ? "audit" : null;
      return this;
    }

    public UUID id() {
      return id;
    }

    public String message() {
      return message;
    }

    public String detectedIntent() {
      return detectedIntent;
    }
  }

  /** Inserts {@code rows} in one transaction; returns their ids in order. */
  public static List<UUID> insert(Connection connection, List<Row> rows) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (var statement = connection.prepareStatement("INSERT INTO ai_training_data (id, interaction_id,"
        + " user_message, detected_intent, correct_intent, ai_response, confidence_score, intent_margin, top_intents,"
        + " escalated, source, dataset_status, occurred_at, created_at, review_reason, response_source)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)")) {
      List<UUID> ids = new ArrayList<>();
      for (Row row : rows) {
        OffsetDateTime at = OffsetDateTime.ofInstant(row.occurredAt, ZoneOffset.UTC);
        statement.setObject(1, row.id);
        statement.setString(2, "fixture-" + SEQUENCE.incrementAndGet() + "-" + row.id);
        statement.setString(3, row.message);
        statement.setString(4, row.detectedIntent);
        statement.setString(5, row.correctIntent);
        statement.setString(6, row.response);
        if (row.confidence == null) {
          statement.setNull(7, Types.INTEGER);
        } else {
          statement.setInt(7, row.confidence);
        }
        if (row.margin == null) {
          statement.setNull(8, Types.REAL);
        } else {
          statement.setFloat(8, row.margin);
        }
        statement.setString(9, row.topIntents);
        statement.setBoolean(10, row.escalated);
        statement.setString(11, row.source);
        statement.setString(12, row.status);
        statement.setObject(13, at);
        statement.setObject(14, at);
        statement.setString(15, row.reviewReason);
        statement.setString(16, row.responseSource);
        statement.addBatch();
        ids.add(row.id);
      }
      statement.executeBatch();
      connection.commit();
      return ids;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /**
   * Gives row {@code id} the scores a deploy of {@code modelVersion} re-scored it with (db/V9):
   * {@code intent}, {@code confidence} 0-100, {@code margin} 0..1 and {@code topIntentsJson}.
   */
  public static void rescore(Connection connection, UUID id, String modelVersion, String intent, int confidence,
                             float margin, String topIntentsJson) throws SQLException {
    try (var statement = connection.prepareStatement("UPDATE ai_training_data SET rescored_model_version = ?,"
        + " rescored_intent = ?, rescored_confidence = ?, rescored_margin = ?, rescored_top_intents = ?::jsonb,"
        + " rescored_at = now() WHERE id = ?")) {
      statement.setString(1, modelVersion);
      statement.setString(2, intent);
      statement.setInt(3, confidence);
      statement.setFloat(4, margin);
      statement.setString(5, topIntentsJson);
      statement.setObject(6, id);
      if (statement.executeUpdate() != 1) {
        throw new SQLException("no training data with id " + id);
      }
    }
  }

  /** Empties the tables a test fills, so each test starts from nothing. */
  public static void clear(Connection connection) throws SQLException {
    try (var statement = connection.createStatement()) {
      statement.execute("TRUNCATE ai_intent_corrections, ai_metrics_snapshots, ai_training_data, ai_training_runs CASCADE");
    }
  }

  /**
   * Records a completed training run; {@code deployed} ones are what the metrics call the model in
   * service. {@code perIntentJson} is the run's {@code per_intent_metrics} (may be null).
   */
  public static UUID run(Connection connection, String name, boolean deployed, Float f1, Instant completedAt,
                         String perIntentJson) throws SQLException {
    UUID id = UUID.randomUUID();
    try (var statement = connection.prepareStatement("INSERT INTO ai_training_runs (id, run_name, status,"
        + " intent_f1_score, intent_accuracy, deployed, per_intent_metrics, model_version, started_at, completed_at)"
        + " VALUES (?, ?, 'completed', ?, ?, ?, ?::jsonb, ?, ?, ?)")) {
      OffsetDateTime at = OffsetDateTime.ofInstant(completedAt, ZoneOffset.UTC);
      statement.setObject(1, id);
      statement.setString(2, name);
      if (f1 == null) {
        statement.setNull(3, Types.REAL);
        statement.setNull(4, Types.REAL);
      } else {
        statement.setFloat(3, f1);
        statement.setFloat(4, f1);
      }
      statement.setBoolean(5, deployed);
      statement.setString(6, perIntentJson);
      statement.setString(7, name);
      statement.setObject(8, at.minusMinutes(5));
      statement.setObject(9, at);
      statement.executeUpdate();
    }
    return id;
  }
}
