package io.intentpipeline.privacy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.intentpipeline.config.Env;
import io.intentpipeline.log.Log;
import io.intentpipeline.storage.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Deletes the rows of {@code ai_training_data} older than the retention age that no human
 * reviewed: not corrected, no verdict on the detected intent, status {@code pending} or
 * {@code used_in_training}. Reviewed rows (corrected, judged right or wrong, approved, rejected,
 * imported as approved) are kept until erased. Each run is recorded in {@code ai_data_erasures}
 * (kind {@code retention}). Rows are deleted, not archived: an archive would keep the personal
 * data the age limit exists to stop keeping (docs/PRIVACY.md).
 */
public final class Retention {
  /** Rows deleted per statement: short transactions beside live flushes and reviews. */
  static final int BATCH = 5_000;

  static final String DELETE_BATCH = """
      WITH gone AS (
        DELETE FROM ai_training_data WHERE id IN (
          SELECT id FROM ai_training_data
          WHERE created_at < ?
            AND NOT corrected_by_human AND intent_correct IS NULL AND corrected_at IS NULL
            AND dataset_status IN ('pending', 'used_in_training')
          ORDER BY created_at
          LIMIT ?
          FOR UPDATE SKIP LOCKED)
        RETURNING id)
      SELECT count(*) FROM gone
      """;
  static final String RECORD = """
      INSERT INTO ai_data_erasures (kind, cutoff, rows_deleted, corrections_deleted, status, completed_at)
      VALUES ('retention', ?, ?, 0, 'complete', clock_timestamp())
      RETURNING id
      """;

  /** What a retention run did. */
  public record Outcome(@JsonProperty("erasure_id") UUID erasureId, String cutoff,
      @JsonProperty("rows_deleted") long rowsDeleted, boolean finished) {}

  private final Database database;
  private final Duration age;
  private final Clock clock;

  /** Deletes from {@code database} the unreviewed rows older than {@code age}. */
  public Retention(Database database, Duration age, Clock clock) {
    if (age.toDays() < 1) {
      throw new IllegalArgumentException("the retention age must be at least one day, got " + age);
    }
    this.database = database;
    this.age = age;
    this.clock = clock;
  }

  /** RETENTION_DAYS of {@code env}: 1 to 36500, default 365. */
  public static Duration age(Env env) {
    return Duration.ofDays(env.integer("RETENTION_DAYS", 365, 1, 36_500));
  }

  /** The age after which unreviewed rows are deleted. */
  public Duration age() {
    return age;
  }

  /**
   * Deletes in batches until none is left or {@code budget} is spent (a later run goes on), then
   * records the run.
   */
  public Outcome run(Duration budget) throws SQLException {
    Instant cutoff = clock.instant().minus(age);
    long deadline = System.nanoTime() + budget.toNanos();
    long deleted = 0;
    boolean finished = false;
    while (!finished && System.nanoTime() < deadline) {
      int batch = database.transaction(c -> {
        try (PreparedStatement s = c.prepareStatement(DELETE_BATCH)) {
          s.setTimestamp(1, Timestamp.from(cutoff));
          s.setInt(2, BATCH);
          try (ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
          }
        }
      });
      deleted += batch;
      finished = batch < BATCH;
    }
    long total = deleted;
    UUID id = database.run(c -> {
      try (PreparedStatement s = c.prepareStatement(RECORD)) {
        s.setTimestamp(1, Timestamp.from(cutoff));
        s.setLong(2, Math.min(total, Integer.MAX_VALUE));
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          return rs.getObject(1, UUID.class);
        }
      }
    });
    Log.info("retention_run", "erasure_id", id, "cutoff", cutoff.toString(), "rows", total, "finished", finished);
    return new Outcome(id, cutoff.toString(), total, finished);
  }
}
