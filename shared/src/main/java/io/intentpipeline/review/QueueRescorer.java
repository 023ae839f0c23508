package io.intentpipeline.review;

import io.intentpipeline.json.Json;
import io.intentpipeline.log.Log;
import io.intentpipeline.ml.IntentModel;
import io.intentpipeline.ml.Prediction;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.SqlQuery;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Re-scores the samples waiting for review with a newly deployed model, so that the queue's
 * orders follow the model in service rather than the one that answered when the sample came in.
 *
 * <p>The newest {@code limit} samples of the queue (by {@code created_at}, then id), in pages of
 * {@link #PAGE}: each page is one read (a keyset over {@code created_at DESC, id DESC}), the
 * model's predictions, and one {@code UPDATE ... FROM unnest(arrays)} in a transaction of its own,
 * so a reviewer's correction never waits on more than one page. Only the {@code rescored_*}
 * columns change: what the bot answered stays, for the metrics. A sample reviewed between the
 * read and the write is left alone (the write repeats the queue's predicate).
 *
 * <p>Never throws for the database or the model: a failure ends the work where it is (the pages
 * written stay written, each row with the version that scored it) and is returned.
 */
public final class QueueRescorer {
  /** Samples read, scored and written per round trip. */
  public static final int PAGE = 1_000;
  /** Top intents stored per sample: as many as predict answers by default. */
  static final int TOP_K = 3;

  private static final String UPDATE = "UPDATE ai_training_data AS t SET rescored_intent = u.intent,"
      + " rescored_confidence = u.confidence, rescored_margin = u.margin, rescored_top_intents = u.top_intents::jsonb,"
      + " rescored_model_version = ?, rescored_at = now()"
      + " FROM unnest(?::uuid[], ?::text[], ?::int4[], ?::float4[], ?::text[])"
      + " AS u(id, intent, confidence, margin, top_intents)"
      + " WHERE t.id = u.id AND " + ReviewQueries.NEEDS_REVIEW;

  /**
   * What a re-scoring did.
   *
   * @param rows samples re-scored
   * @param complete whether it reached its end (the limit, or the last sample waiting); false when
   *     time ran out or it failed
   * @param seconds its duration
   * @param modelSeconds of which in the model's predictions
   * @param failure why it stopped early, if it failed (never message text: SQLSTATE or exception type)
   */
  public record Result(int rows, boolean complete, double seconds, double modelSeconds, Optional<String> failure) {}

  /** Where a page of the newest samples waiting for review resumes: after (older than) this time and id. */
  public record NewestKey(Instant createdAt, UUID id) {}

  /** One sample as read: its id, text and where the keyset resumes after it. */
  private record Pending(UUID id, String message, Instant createdAt) {}

  private final Database database;

  /** Re-scores through {@code database}. */
  public QueueRescorer(Database database) {
    this.database = database;
  }

  /**
   * Re-scores at most {@code limit} of the newest samples waiting for review with {@code model},
   * deployed as {@code modelVersion}; a page starts only while {@code timeLeft} says so.
   */
  public Result rescore(IntentModel model, String modelVersion, int limit, BooleanSupplier timeLeft) {
    long start = System.nanoTime();
    long modelNanos = 0;
    int read = 0;
    int rows = 0;
    Optional<NewestKey> after = Optional.empty();
    try {
      while (read < limit) {
        if (!timeLeft.getAsBoolean()) {
          return new Result(rows, false, seconds(start), modelNanos / 1e9, Optional.empty());
        }
        int size = Math.min(PAGE, limit - read);
        List<Pending> page = page(after, size);
        long scoring = System.nanoTime();
        List<Prediction> predictions = new ArrayList<>(page.size());
        for (Pending p : page) {
          predictions.add(model.predict(p.message(), TOP_K));
        }
        modelNanos += System.nanoTime() - scoring;
        rows += write(page, predictions, modelVersion);
        read += page.size();
        if (page.size() < size) {
          break;
        }
        Pending last = page.get(page.size() - 1);
        after = Optional.of(new NewestKey(last.createdAt(), last.id()));
      }
      return new Result(rows, true, seconds(start), modelNanos / 1e9, Optional.empty());
    } catch (SQLException e) {
      Log.error("rescore_failed", e, "model_version", modelVersion, "rows", rows, "sqlstate", e.getSQLState());
      return new Result(rows, false, seconds(start), modelNanos / 1e9,
          Optional.of("database error (SQLSTATE " + e.getSQLState() + ")"));
    } catch (RuntimeException e) {
      Log.error("rescore_failed", e, "model_version", modelVersion, "rows", rows);
      return new Result(rows, false, seconds(start), modelNanos / 1e9,
          Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
  }

  /**
   * At most {@code limit} samples waiting for review (id, text, {@code created_at}), newest first,
   * after {@code after}: a backward scan of the {@code created_at} index.
   */
  public static SqlQuery newestWaiting(Optional<NewestKey> after, int limit) {
    var q = SqlQuery.builder().append("SELECT id, user_message, created_at FROM ai_training_data WHERE "
        + ReviewQueries.NEEDS_REVIEW);
    after.ifPresent(key -> q.append(" AND (created_at, id) < (?, ?)", key.createdAt(), key.id()));
    return q.append(" ORDER BY created_at DESC, id DESC LIMIT ?", limit).build();
  }

  /** The next {@code size} samples waiting for review, newest first, after {@code after}. */
  private List<Pending> page(Optional<NewestKey> after, int size) throws SQLException {
    return database.run(c -> {
      try (PreparedStatement s = newestWaiting(after, size).prepare(c)) {
        List<Pending> page = new ArrayList<>(size);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            page.add(new Pending(rs.getObject(1, UUID.class), rs.getString(2),
                rs.getObject(3, OffsetDateTime.class).toInstant()));
          }
        }
        return page;
      }
    });
  }

  /** Writes the predictions of {@code page} in one statement; returns the rows changed. */
  private int write(List<Pending> page, List<Prediction> predictions, String modelVersion) throws SQLException {
    if (page.isEmpty()) {
      return 0;
    }
    int n = page.size();
    UUID[] ids = new UUID[n];
    String[] intents = new String[n];
    Integer[] confidences = new Integer[n];
    Float[] margins = new Float[n];
    String[] tops = new String[n];
    for (int i = 0; i < n; i++) {
      Prediction prediction = predictions.get(i);
      List<Prediction.IntentScore> top = prediction.topIntents();
      ids[i] = page.get(i).id();
      intents[i] = prediction.intent();
      confidences[i] = confidenceScore(prediction.confidence());
      margins[i] = (float) Math.max(0, Math.min(1, top.get(0).confidence() - top.get(1).confidence()));
      tops[i] = Json.write(top);
    }
    return database.transaction(c -> {
      // A page is at most PAGE ids: a primary-key lookup each is always the plan. Without
      // statistics (a table just filled, before autovacuum's ANALYZE) the planner took the queue's
      // partial predicate for a few rows and hash-joined every row waiting instead: 600 ms a page
      // at 300,000 rows, against 90 ms.
      try (Statement plan = c.createStatement()) {
        plan.execute("SET LOCAL enable_hashjoin = off");
        plan.execute("SET LOCAL enable_mergejoin = off");
      }
      List<Array> arrays = new ArrayList<>(5);
      try (PreparedStatement s = c.prepareStatement(UPDATE)) {
        s.setString(1, modelVersion);
        s.setArray(2, array(c, arrays, "uuid", ids));
        s.setArray(3, array(c, arrays, "text", intents));
        s.setArray(4, array(c, arrays, "int4", confidences));
        s.setArray(5, array(c, arrays, "float4", margins));
        s.setArray(6, array(c, arrays, "text", tops));
        return s.executeUpdate();
      } finally {
        for (Array a : arrays) {
          a.free();
        }
      }
    });
  }

  /** A calibrated probability on the bot's scale: round(100 x p), 0-100. */
  static int confidenceScore(double probability) {
    return (int) Math.max(0, Math.min(100, Math.round(100 * probability)));
  }

  private static Array array(Connection c, List<Array> arrays, String type, Object[] values) throws SQLException {
    Array array = c.createArrayOf(type, values);
    arrays.add(array);
    return array;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
