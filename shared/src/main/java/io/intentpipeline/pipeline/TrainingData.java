package io.intentpipeline.pipeline;

import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.storage.Database;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** The training data a run reads from {@code ai_training_data} and marks when it trained on it. */
final class TrainingData {
  /**
   * A sample, the row it came from, whether a human verified its label (corrected, reviewed,
   * approved, imported) and whether the row was picked at random for review (an audit).
   */
  public record Row(UUID id, TrainingSample sample, boolean verified, boolean audit) {
    /** How far its label can be trusted. */
    Trust trust() {
      return Trust.of(verified, audit, sample.source());
    }
  }

  private final Database database;

  /** Reads through {@code database}. */
  public TrainingData(Database database) {
    this.database = database;
  }

  /**
   * The samples {@code get_training_dataset(minConfidence, onlyReviewed, limit)} returns: the
   * human-verified first, then newest first, rejected rows left out, the human-corrected intent
   * (and answer) in place of the bot's.
   */
  public List<Row> fetch(int minConfidence, boolean onlyReviewed, int limit) throws SQLException {
    return database.run(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT id, user_message, intent, response, confidence_score,"
          + " category, was_escalated, was_corrected, source, created_at, human_verified, audit FROM get_training_dataset(?, ?, ?)")) {
        s.setInt(1, minConfidence);
        s.setBoolean(2, onlyReviewed);
        s.setInt(3, limit);
        s.setFetchSize(5_000);
        List<Row> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            Integer confidence = rs.getObject(5, Integer.class);
            OffsetDateTime created = rs.getObject(10, OffsetDateTime.class);
            rows.add(new Row(rs.getObject(1, UUID.class), new TrainingSample(rs.getString(2), rs.getString(3),
                rs.getString(4), confidence, rs.getString(6), rs.getBoolean(7), rs.getBoolean(8), rs.getString(9),
                created == null ? null : created.toInstant()), rs.getBoolean(11), rs.getBoolean(12)));
          }
        }
        return rows;
      }
    });
  }

  /** Whether a sample was stored, or corrected by a human, after {@code since}. */
  public boolean changedSince(Instant since) throws SQLException {
    return database.run(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM ai_training_data WHERE created_at > ?)"
          + " OR EXISTS (SELECT 1 FROM ai_training_data WHERE corrected_at > ?)")) {
        OffsetDateTime at = OffsetDateTime.ofInstant(since, ZoneOffset.UTC);
        s.setObject(1, at);
        s.setObject(2, at);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          return rs.getBoolean(1);
        }
      }
    });
  }

  /**
   * Records that run {@code runId} trained on rows {@code ids}: {@code last_run_id} on all of them,
   * and status {@code used_in_training} on those still {@code pending} (a human's
   * {@code reviewed}, {@code approved} or {@code rejected} is never overwritten). Returns the rows marked.
   */
  static int markUsed(Connection c, Collection<UUID> ids, UUID runId) throws SQLException {
    if (ids.isEmpty()) {
      return 0;
    }
    Array array = c.createArrayOf("uuid", ids.toArray());
    try (PreparedStatement s = c.prepareStatement("UPDATE ai_training_data SET last_run_id = ?,"
        + " dataset_status = CASE WHEN dataset_status = 'pending' THEN 'used_in_training' ELSE dataset_status END"
        + " WHERE id = ANY (?)")) {
      s.setObject(1, runId);
      s.setArray(2, array);
      return s.executeUpdate();
    } finally {
      array.free();
    }
  }

  /** Answers the open automatic retrain request, if any (db/V5 {@code acknowledge_retrain_request}). */
  static void acknowledgeRetrainRequest(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT acknowledge_retrain_request()")) {
      s.execute();
    }
  }
}
