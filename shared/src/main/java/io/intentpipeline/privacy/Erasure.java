package io.intentpipeline.privacy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.dataset.CsvFormat;
import io.intentpipeline.dataset.DatasetCleaner;
import io.intentpipeline.dataset.DatasetFormatException;
import io.intentpipeline.dataset.JsonlFormat;
import io.intentpipeline.dataset.SampleSink;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.json.Json;
import io.intentpipeline.log.Log;
import io.intentpipeline.pipeline.TrainingLock;
import io.intentpipeline.storage.Database;
import io.intentpipeline.validation.InvalidRequestException;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Erases one end user's (or one conversation's) data: the rows of {@code ai_training_data} and
 * their corrections, then their lines in every dataset snapshot ({@code datasets/}, rewritten
 * without them) and every export ({@code exports/}, deleted), with an audit row in {@code
 * ai_data_erasures} that counts what was erased, never the text (docs/PRIVACY.md).
 *
 * <p>Order and idempotency: the rows are deleted and the erasure recorded in one transaction,
 * which also keeps the keys of the erased lines (SHA-256 of the normalised text and the row's
 * time); S3 is swept afterwards with the keys of every erasure not yet complete. A training run
 * that read the rows before the erasure may still write its dataset snapshot, so the erasure is
 * complete only when no run holds the training lock and none finished since the sweep began;
 * until then it stays {@code rows_erased} and any later erasure, or the daily retention run,
 * sweeps again. Calling it again for the same subject is harmless.
 */
public final class Erasure {
  /** Who is erased. */
  public enum Subject {
    USER("user", "user_id"), CONVERSATION("conversation", "conversation_id");

    private final String kind;
    private final String field;

    Subject(String kind, String field) {
      this.kind = kind;
      this.field = field;
    }

    /** The audit row's kind ({@code user}, {@code conversation}). */
    public String kind() {
      return kind;
    }
  }

  /** One erasure request: {@code {"user_id": uuid}} or {@code {"conversation_id": uuid}}. */
  public record Request(Subject subject, UUID id) {
    /** Reads the request body; exactly one of the two fields, a UUID. */
    public static Request fromJson(JsonNode body) {
      if (body == null || !body.isObject()) {
        throw new InvalidRequestException("body", "body must be {\"user_id\": \"<uuid>\"} or {\"conversation_id\": \"<uuid>\"}");
      }
      Request found = null;
      Iterator<String> names = body.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        Subject subject = name.equals("user_id") ? Subject.USER : name.equals("conversation_id") ? Subject.CONVERSATION : null;
        if (subject == null) {
          throw new InvalidRequestException(name, "unknown field " + name + "; give user_id or conversation_id");
        }
        if (found != null) {
          throw new InvalidRequestException(name, "give one of user_id and conversation_id, not both");
        }
        JsonNode value = body.get(name);
        UUID id;
        try {
          id = value.isTextual() && value.textValue().length() == 36 ? UUID.fromString(value.textValue()) : null;
        } catch (IllegalArgumentException e) {
          id = null;
        }
        if (id == null) {
          throw new InvalidRequestException(name, name + " must be a UUID such as 123e4567-e89b-12d3-a456-426614174000");
        }
        found = new Request(subject, id);
      }
      if (found == null) {
        throw new InvalidRequestException("user_id", "user_id or conversation_id is required");
      }
      return found;
    }
  }

  /** What an erasure (or a sweep) did. */
  public record Outcome(
      @JsonProperty("erasure_id") UUID erasureId,
      String subject,
      UUID id,
      @JsonProperty("rows_deleted") int rowsDeleted,
      @JsonProperty("corrections_deleted") int correctionsDeleted,
      @JsonProperty("s3_objects_rewritten") int objectsRewritten,
      @JsonProperty("s3_objects_deleted") int objectsDeleted,
      @JsonProperty("s3_lines_removed") int linesRemoved,
      String status,
      @JsonProperty("erased_at") String erasedAt,
      String message) {

    /** True when S3 was swept after every training run that could have read the rows. */
    public boolean complete() {
      return "complete".equals(status);
    }
  }

  /** The counts of one sweep of S3, and whether it completed the erasures it swept for. */
  public record Swept(int rewritten, int deleted, int lines, boolean complete) {}

  /**
   * Taken first by the erasure's transaction: waits for the flushes storing rows now to commit
   * (so their rows are seen and erased) and holds later ones back until the erasure row is
   * committed (so their NOT EXISTS check sees it and drops the subject's queued interactions).
   * Concurrent erasures queue behind each other; readers are not blocked. Held for milliseconds.
   */
  static final String LOCK_ROWS = "LOCK TABLE ai_training_data IN SHARE ROW EXCLUSIVE MODE";
  static final String ROWS_OF_USER = """
      SELECT d.user_message, d.created_at,
             (SELECT count(*) FROM ai_intent_corrections c WHERE c.training_data_id = d.id)
      FROM ai_training_data d WHERE d.user_id = ? FOR UPDATE
      """;
  static final String ROWS_OF_CONVERSATION = """
      SELECT d.user_message, d.created_at,
             (SELECT count(*) FROM ai_intent_corrections c WHERE c.training_data_id = d.id)
      FROM ai_training_data d WHERE d.conversation_id = ? FOR UPDATE
      """;
  static final String DELETE_USER = "DELETE FROM ai_training_data WHERE user_id = ?";
  static final String DELETE_CONVERSATION = "DELETE FROM ai_training_data WHERE conversation_id = ?";
  static final String RECORD = """
      INSERT INTO ai_data_erasures (kind, subject_id, rows_deleted, corrections_deleted, status)
      VALUES (?, ?, ?, ?, 'rows_erased')
      RETURNING id, erased_at
      """;
  static final String KEEP_KEYS = """
      INSERT INTO ai_erasure_lines (erasure_id, line_key)
      SELECT ?, k FROM unnest(?::bytea[]) AS k ON CONFLICT DO NOTHING
      """;
  static final String PENDING = """
      SELECT e.id, l.line_key FROM ai_data_erasures e
      LEFT JOIN ai_erasure_lines l ON l.erasure_id = e.id
      WHERE e.status = 'rows_erased'
      """;
  static final String NOW = "SELECT clock_timestamp()";
  static final String RUN_FINISHED_SINCE = "SELECT EXISTS (SELECT 1 FROM ai_training_runs WHERE completed_at >= ?)";
  static final String COUNT_SWEEP = """
      UPDATE ai_data_erasures SET s3_objects_rewritten = s3_objects_rewritten + ?,
             s3_objects_deleted = s3_objects_deleted + ?, s3_lines_removed = s3_lines_removed + ?
      WHERE id = ?
      """;
  static final String COMPLETE = """
      UPDATE ai_data_erasures SET status = 'complete', completed_at = clock_timestamp()
      WHERE id = ANY(?) AND status = 'rows_erased'
      """;
  static final String FORGET_KEYS = "DELETE FROM ai_erasure_lines WHERE erasure_id = ANY(?)";

  private final Database database;
  private final DataBucket bucket;

  /** Erases from {@code database} and from the snapshots and exports of {@code bucket}. */
  public Erasure(Database database, DataBucket bucket) {
    this.database = database;
    this.bucket = bucket;
  }

  /** Erases the data of {@code request}'s subject; see the class comment for what and in which order. */
  public Outcome erase(Request request) throws SQLException {
    Recorded recorded = database.transaction(c -> record(c, request));
    Log.info("erasure_recorded", "erasure_id", recorded.id(), "subject", request.subject().kind(),
        "rows", recorded.rows(), "corrections", recorded.corrections());
    Swept swept = sweep(recorded.id());
    String message = swept.complete()
        ? "Erased from the database, the dataset snapshots and the exports."
        : "Erased from the database; a training run that read these rows before the erasure is still running"
            + " (or ended during the sweep) and may write them to a dataset snapshot. Call again once it"
            + " has ended, or let the daily retention run finish the sweep.";
    return new Outcome(recorded.id(), request.subject().kind(), request.id(), recorded.rows(), recorded.corrections(),
        swept.rewritten(), swept.deleted(), swept.lines(), swept.complete() ? "complete" : "rows_erased",
        recorded.erasedAt().toString(), message);
  }

  /** Sweeps S3 for every erasure not yet complete (the daily retention run); returns the counts. */
  public Swept sweepPending() throws SQLException {
    return sweep(null);
  }

  private record Recorded(UUID id, int rows, int corrections, Instant erasedAt) {}

  private static Recorded record(Connection c, Request request) throws SQLException {
    boolean user = request.subject() == Subject.USER;
    try (PreparedStatement s = c.prepareStatement(LOCK_ROWS)) {
      s.execute();
    }
    List<byte[]> keys = new ArrayList<>();
    int rows = 0;
    int corrections = 0;
    try (PreparedStatement s = c.prepareStatement(user ? ROWS_OF_USER : ROWS_OF_CONVERSATION)) {
      s.setObject(1, request.id());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows++;
          keys.add(lineKey(rs.getString(1), rs.getTimestamp(2).toInstant()));
          corrections += rs.getInt(3);
        }
      }
    }
    try (PreparedStatement s = c.prepareStatement(user ? DELETE_USER : DELETE_CONVERSATION)) {
      s.setObject(1, request.id());
      s.executeUpdate();
    }
    UUID id;
    Instant erasedAt;
    try (PreparedStatement s = c.prepareStatement(RECORD)) {
      s.setString(1, request.subject().kind());
      s.setObject(2, request.id());
      s.setInt(3, rows);
      s.setInt(4, corrections);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        id = rs.getObject(1, UUID.class);
        erasedAt = rs.getTimestamp(2).toInstant();
      }
    }
    if (!keys.isEmpty()) {
      try (PreparedStatement s = c.prepareStatement(KEEP_KEYS)) {
        s.setObject(1, id);
        s.setArray(2, c.createArrayOf("bytea", keys.toArray(new byte[0][])));
        s.executeUpdate();
      }
    }
    return new Recorded(id, rows, corrections, erasedAt);
  }

  /**
   * Removes the lines of every pending erasure from S3, counts them on {@code countOn} (when not
   * null), and completes the pending erasures when no training run can still write them.
   */
  private Swept sweep(UUID countOn) throws SQLException {
    Set<UUID> pending = new HashSet<>();
    Set<ByteBuffer> keys = new HashSet<>();
    Instant started = database.run(c -> {
      try (PreparedStatement s = c.prepareStatement(PENDING); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          pending.add(rs.getObject(1, UUID.class));
          byte[] key = rs.getBytes(2);
          if (key != null) {
            keys.add(ByteBuffer.wrap(key));
          }
        }
      }
      try (PreparedStatement s = c.prepareStatement(NOW); ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getTimestamp(1).toInstant();
      }
    });
    if (pending.isEmpty()) {
      return new Swept(0, 0, 0, true);
    }
    int rewritten = 0;
    int deleted = 0;
    int lines = 0;
    if (!keys.isEmpty()) {
      for (String key : bucket.keys("datasets/")) {
        var bytes = bucket.get(key);
        if (bytes.isEmpty()) {
          continue;
        }
        Rewrite rewrite = withoutErased(bytes.get(), keys);
        if (rewrite.removed() > 0) {
          bucket.put(key, rewrite.bytes(), "application/x-ndjson; charset=utf-8");
          rewritten++;
          lines += rewrite.removed();
        }
      }
      for (String key : bucket.keys("exports/")) {
        var bytes = bucket.get(key);
        if (bytes.isPresent()) {
          int found = erasedLinesOfExport(key, bytes.get(), keys);
          if (found > 0) {
            bucket.delete(key);
            deleted++;
            lines += found;
          }
        }
      }
    }
    int objectsRewritten = rewritten;
    int objectsDeleted = deleted;
    int linesRemoved = lines;
    boolean complete = database.transaction(c -> {
      if (countOn != null) {
        try (PreparedStatement s = c.prepareStatement(COUNT_SWEEP)) {
          s.setInt(1, objectsRewritten);
          s.setInt(2, objectsDeleted);
          s.setInt(3, linesRemoved);
          s.setObject(4, countOn);
          s.executeUpdate();
        }
      }
      if (TrainingLock.isHeld(c) || runFinishedSince(c, started)) {
        return false;
      }
      java.sql.Array ids = c.createArrayOf("uuid", pending.toArray());
      try (PreparedStatement s = c.prepareStatement(COMPLETE)) {
        s.setArray(1, ids);
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement(FORGET_KEYS)) {
        s.setArray(1, ids);
        s.executeUpdate();
      }
      return true;
    });
    Log.info("erasure_swept", "erasures", pending.size(), "objects_rewritten", rewritten, "objects_deleted", deleted,
        "lines", lines, "complete", complete);
    return new Swept(rewritten, deleted, lines, complete);
  }

  private static boolean runFinishedSince(Connection c, Instant since) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(RUN_FINISHED_SINCE)) {
      s.setTimestamp(1, Timestamp.from(since));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  record Rewrite(byte[] bytes, int removed) {}

  /** A dataset snapshot (JSON lines) without the lines whose key is in {@code keys}; other lines byte for byte. */
  static Rewrite withoutErased(byte[] snapshot, Set<ByteBuffer> keys) {
    String text = new String(snapshot, StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(text.length());
    int removed = 0;
    int from = 0;
    while (from < text.length()) {
      int end = text.indexOf('\n', from);
      int next = end < 0 ? text.length() : end + 1;
      String line = text.substring(from, end < 0 ? text.length() : end);
      if (!line.isBlank() && keys.contains(ByteBuffer.wrap(keyOfJsonLine(line)))) {
        removed++;
      } else {
        out.append(text, from, next);
      }
      from = next;
    }
    return new Rewrite(removed == 0 ? snapshot : out.toString().getBytes(StandardCharsets.UTF_8), removed);
  }

  private static byte[] keyOfJsonLine(String line) {
    try {
      JsonNode node = Json.MAPPER.readTree(line);
      JsonNode message = node == null ? null : node.get("user_message");
      JsonNode created = node == null ? null : node.get("created_at");
      if (message == null || !message.isTextual() || created == null || !created.isTextual()) {
        return new byte[0];
      }
      return lineKey(message.textValue(), Instant.parse(created.textValue()));
    } catch (IOException | DateTimeParseException e) {
      return new byte[0]; // not a line this pipeline wrote: it holds no erased row
    }
  }

  /** How many records of an export (JSONL or CSV, by its key's extension) hold an erased row. */
  static int erasedLinesOfExport(String key, byte[] export, Set<ByteBuffer> keys) {
    int[] found = new int[1];
    SampleSink sink = new SampleSink() {
      @Override
      public void sample(int line, TrainingSample sample) {
        if (sample.createdAt() != null
            && keys.contains(ByteBuffer.wrap(lineKey(sample.userMessage(), sample.createdAt())))) {
          found[0]++;
        }
      }

      @Override
      public void invalid(DatasetFormatException problem) {
        // A record the reader refuses is not one this pipeline wrote from a row.
      }
    };
    try (BufferedReader in = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(export),
        StandardCharsets.UTF_8))) {
      if (key.endsWith(".csv")) {
        CsvFormat.readEach(in, CsvFormat.Columns.auto(), sink);
      } else {
        JsonlFormat.readEach(in, sink);
      }
    } catch (DatasetFormatException e) {
      return found[0];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found[0];
  }

  /**
   * The key of a row's line in S3: SHA-256 of its message with whitespace normalised (as the
   * training run's cleaner writes it), a NUL, and the row's {@code created_at}.
   */
  static byte[] lineKey(String userMessage, Instant createdAt) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(DatasetCleaner.normaliseWhitespace(userMessage).getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(createdAt.toString().getBytes(StandardCharsets.US_ASCII));
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
