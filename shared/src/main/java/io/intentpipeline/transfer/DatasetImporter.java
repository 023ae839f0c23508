package io.intentpipeline.transfer;

import io.intentpipeline.dataset.DatasetFormatException;
import io.intentpipeline.dataset.SampleSink;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.interaction.InteractionReader;
import io.intentpipeline.log.Log;
import io.intentpipeline.privacy.Redaction;
import io.intentpipeline.privacy.Redactor;
import io.intentpipeline.storage.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings an external dataset (the seed's JSONL or CSV) into {@code ai_training_data}, as the
 * original system's external dataset integration did.
 *
 * <p>Each valid record becomes one sample: {@code source = 'imported'}, status {@code approved}
 * (a labelled dataset someone chose to import is ground truth, not a prediction waiting for a
 * review), the label as {@code detected_intent}, no confidence (it was never a prediction of this
 * bot). Its {@code interaction_id} is derived from its text and label, so importing the same file
 * again stores nothing new. Personal data in the text and the answer is replaced first, as the
 * record function does ({@link Redactor}; the id is derived from the redacted text). Invalid
 * records are reported with their line and the rest is kept.
 * The whole import is one transaction: when the database fails part-way nothing is stored, and
 * running it again is safe.
 */
public final class DatasetImporter {
  /** How many refused records the report lists (all are counted). */
  public static final int MAX_LISTED_ERRORS = 100;
  /** Samples per INSERT statement. */
  static final int CHUNK = 1_000;
  /** The status imported samples get. */
  public static final String STATUS = "approved";
  /** The source imported samples get. */
  public static final String SOURCE = "imported";
  /** The earliest {@code created_at} a record may carry (as for recorded interactions). */
  static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  static final String INSERT = """
      INSERT INTO ai_training_data (interaction_id, user_message, detected_intent, ai_response, category,
                                    escalated, corrected_by_human, source, dataset_status, occurred_at,
                                    redacted_kinds)
      SELECT t.interaction_id, t.user_message, t.detected_intent, t.ai_response, t.category,
             t.escalated, t.corrected, 'imported', 'approved', COALESCE(t.occurred_at::timestamptz, now()),
             COALESCE(string_to_array(NULLIF(t.redacted_kinds, ''), ','), '{}')
      FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bool[], ?::bool[], ?::text[], ?::text[])
        AS t(interaction_id, user_message, detected_intent, ai_response, category, escalated, corrected, occurred_at,
             redacted_kinds)
      ON CONFLICT (interaction_id) DO NOTHING
      RETURNING interaction_id
      """;

  /** Reads a dataset record by record into a sink (a file, a request body). */
  @FunctionalInterface
  public interface Source {
    /** Hands every record to {@code sink}; a file-level problem throws {@link DatasetFormatException}. */
    void readInto(SampleSink sink) throws IOException;
  }

  private final Database database;
  private final Clock clock;
  private final Redactor redactor;

  /** Imports into {@code database}, redacting every built-in kind; {@code clock} bounds the {@code created_at} a record may carry. */
  public DatasetImporter(Database database, Clock clock) {
    this(database, clock, Redactor.standard());
  }

  /** Imports into {@code database}, redacting with {@code redactor}. */
  public DatasetImporter(Database database, Clock clock, Redactor redactor) {
    this.database = database;
    this.clock = clock;
    this.redactor = redactor;
  }

  /**
   * Reads {@code source} and stores its valid records. A problem with the file as a whole (no
   * usable CSV header, not UTF-8) throws {@link DatasetFormatException} and stores nothing.
   */
  public ImportReport importFrom(Source source, DatasetFormat format) throws SQLException, IOException {
    long started = System.nanoTime();
    Instant latest = clock.instant().plus(1, ChronoUnit.DAYS);
    ImportReport report;
    try {
      report = database.transaction(connection -> {
        Batch batch = new Batch(connection, latest, redactor);
        try {
          source.readInto(batch);
        } catch (IOException e) {
          throw new Failure(e);
        }
        batch.flush();
        return batch.report(format);
      });
    } catch (Failure f) {
      if (f.getCause() instanceof SQLException e) {
        throw e;
      }
      throw (IOException) f.getCause();
    }
    Log.info("dataset_imported", "format", format.key(), "records", report.records(), "imported", report.imported(),
        "duplicates", report.duplicates(), "invalid", report.invalid(), "ms", (System.nanoTime() - started) / 1_000_000);
    return report;
  }

  /**
   * The interaction id of an imported sample: {@code imported:} and 40 hex digits of the SHA-256 of
   * its text and label, so the same record always gets the same id.
   */
  public static String interactionId(String text, String label) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(text.getBytes(StandardCharsets.UTF_8));
      // NUL can be in neither a text nor a label: the pair is encoded without ambiguity.
      sha.update((byte) 0);
      sha.update(label.getBytes(StandardCharsets.UTF_8));
      return "imported:" + HexFormat.of().formatHex(sha.digest(), 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A checked failure carried out of the sink, which may only throw unchecked ones. */
  private static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(Exception cause) {
      super(cause);
    }
  }

  /** One valid record waiting in a chunk. */
  private record Pending(int line, String id, TrainingSample sample, String redactedKinds) {}

  /** Collects records, stores them a chunk at a time and counts what happened. */
  private static final class Batch implements SampleSink {
    private final Connection connection;
    private final Instant latest;
    private final Redactor redactor;
    private final Map<String, Pending> chunk = new LinkedHashMap<>();
    private final List<ImportReport.LineError> errors = new ArrayList<>();
    private long records;
    private long imported;
    private long duplicates;
    private long invalid;

    Batch(Connection connection, Instant latest, Redactor redactor) {
      this.connection = connection;
      this.latest = latest;
      this.redactor = redactor;
    }

    @Override
    public void sample(int line, TrainingSample sample) {
      records++;
      String kinds = "";
      if (redactor.enabled()) {
        Redaction message = redactor.redact(sample.userMessage());
        Redaction response = redactor.redact(sample.response());
        if (message.any() || response.any()) {
          kinds = String.join(",", message.kindsWith(response));
          sample = new TrainingSample(message.text(), sample.intent(), response.text(), sample.confidenceScore(),
              sample.category(), sample.wasEscalated(), sample.wasCorrected(), sample.source(), sample.createdAt());
        }
      }
      String problem = problem(sample);
      if (problem != null) {
        refuse(line, problem);
        return;
      }
      String id = interactionId(sample.userMessage(), sample.intent());
      if (chunk.putIfAbsent(id, new Pending(line, id, sample, kinds)) != null) {
        duplicates++;
        return;
      }
      if (chunk.size() >= CHUNK) {
        try {
          flush();
        } catch (SQLException e) {
          throw new Failure(e);
        }
      }
    }

    @Override
    public void invalid(DatasetFormatException problem) {
      records++;
      // The readers say "line N: what"; the report carries the line apart.
      String message = problem.getMessage();
      String prefix = "line " + problem.line() + ": ";
      refuse(problem.line(), message.startsWith(prefix) ? message.substring(prefix.length()) : message);
    }

    /** What the readers let through but the table refuses, checked here so it is reported by line. */
    private String problem(TrainingSample sample) {
      if (sample.userMessage().isBlank()) {
        return "field 'user_message' is empty";
      }
      if (sample.userMessage().codePointCount(0, sample.userMessage().length()) > InteractionReader.MAX_USER_MESSAGE) {
        return "field 'user_message' is longer than " + InteractionReader.MAX_USER_MESSAGE
            + " characters once personal data is replaced by placeholders";
      }
      if (sample.response().codePointCount(0, sample.response().length()) > InteractionReader.MAX_AI_RESPONSE) {
        return "field 'response' is longer than " + InteractionReader.MAX_AI_RESPONSE
            + " characters once personal data is replaced by placeholders";
      }
      Instant created = sample.createdAt();
      if (created != null && (created.isBefore(EARLIEST) || created.isAfter(latest))) {
        return "field 'created_at' must be between 2000-01-01 and one day from now";
      }
      return null;
    }

    private void refuse(int line, String message) {
      invalid++;
      if (errors.size() < MAX_LISTED_ERRORS) {
        errors.add(new ImportReport.LineError(line, message));
      }
    }

    void flush() throws SQLException {
      if (chunk.isEmpty()) {
        return;
      }
      List<Pending> rows = new ArrayList<>(chunk.values());
      chunk.clear();
      Savepoint savepoint = connection.setSavepoint();
      try {
        count(rows.size(), insert(rows));
        connection.releaseSavepoint(savepoint);
        return;
      } catch (SQLException e) {
        if (!isDataError(e)) {
          throw e;
        }
        connection.rollback(savepoint);
      }
      // The database refused something the checks let through: find it row by row.
      for (Pending row : rows) {
        Savepoint one = connection.setSavepoint();
        try {
          count(1, insert(List.of(row)));
          connection.releaseSavepoint(one);
        } catch (SQLException e) {
          if (!isDataError(e)) {
            throw e;
          }
          connection.rollback(one);
          refuse(row.line(), "the database refused this record (SQLSTATE " + e.getSQLState() + ")");
        }
      }
    }

    private void count(int sent, int stored) {
      imported += stored;
      duplicates += sent - stored;
    }

    private int insert(List<Pending> rows) throws SQLException {
      int n = rows.size();
      String[] ids = new String[n];
      String[] messages = new String[n];
      String[] intents = new String[n];
      String[] responses = new String[n];
      String[] categories = new String[n];
      Boolean[] escalated = new Boolean[n];
      Boolean[] corrected = new Boolean[n];
      String[] occurred = new String[n];
      String[] redacted = new String[n];
      for (int k = 0; k < n; k++) {
        Pending row = rows.get(k);
        TrainingSample s = row.sample();
        ids[k] = row.id();
        messages[k] = s.userMessage();
        intents[k] = s.intent();
        responses[k] = s.response().isEmpty() ? null : s.response();
        categories[k] = s.category().isEmpty() ? null : s.category();
        escalated[k] = s.wasEscalated();
        corrected[k] = s.wasCorrected();
        occurred[k] = s.createdAt() == null ? null : s.createdAt().toString();
        redacted[k] = row.redactedKinds();
      }
      List<Array> arrays = new ArrayList<>(9);
      try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
        bind(statement, 1, arrays, "text", ids);
        bind(statement, 2, arrays, "text", messages);
        bind(statement, 3, arrays, "text", intents);
        bind(statement, 4, arrays, "text", responses);
        bind(statement, 5, arrays, "text", categories);
        bind(statement, 6, arrays, "bool", escalated);
        bind(statement, 7, arrays, "bool", corrected);
        bind(statement, 8, arrays, "text", occurred);
        bind(statement, 9, arrays, "text", redacted);
        int stored = 0;
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            stored++;
          }
        }
        return stored;
      } finally {
        for (Array a : arrays) {
          a.free();
        }
      }
    }

    private void bind(PreparedStatement statement, int index, List<Array> arrays, String type, Object[] values)
        throws SQLException {
      Array array = connection.createArrayOf(type, values);
      arrays.add(array);
      statement.setArray(index, array);
    }

    ImportReport report(DatasetFormat format) {
      return new ImportReport(format.key(), records, imported, duplicates, invalid, errors, invalid > errors.size(),
          SOURCE, STATUS);
    }

    private static boolean isDataError(SQLException e) {
      String state = e.getSQLState();
      return state != null && (state.startsWith("22") || state.startsWith("23"));
    }
  }
}
