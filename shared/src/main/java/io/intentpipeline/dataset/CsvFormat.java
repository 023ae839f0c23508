package io.intentpipeline.dataset;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CSV (RFC 4180: comma-separated, fields quoted with {@code "} when they hold a comma, quote or
 * line break) with a header line. The text and label columns are named by the caller; without
 * names, {@code user_message}/{@code intent} are used when present, else {@code text} and
 * {@code category} (BANKING77's header). Other seed columns present in the header are read too.
 */
public final class CsvFormat {
  static final List<String> HEADER = List.of("user_message", "intent", "response", "confidence_score",
      "category", "was_escalated", "was_corrected", "source", "created_at");

  private CsvFormat() {}

  /** Which columns hold the text and the label; null means "find it by the usual names". */
  public record Columns(String text, String label) {
    /** Finds both columns by their usual names. */
    public static Columns auto() {
      return new Columns(null, null);
    }
  }

  /** Reads every record; a bad record fails with the line it starts on and what is wrong. */
  public static List<TrainingSample> read(Reader in, Columns columns) throws IOException {
    List<TrainingSample> samples = new ArrayList<>();
    readEach(in, columns, SampleSink.strict(samples::add));
    return samples;
  }

  /**
   * Hands every record to {@code sink} as it is read: a sample, or the problem of a bad record
   * (then reading goes on with the next one; after a quote that is never closed, nothing is left).
   * A missing or unusable header fails the whole file with a {@link DatasetFormatException} on line 1.
   */
  public static void readEach(Reader in, Columns columns, SampleSink sink) throws IOException {
    RecordReader records = new RecordReader(in);
    List<String> header = records.next();
    if (header == null) {
      throw new DatasetFormatException(1, "the file is empty: a header line is required");
    }
    if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
      header.set(0, header.get(0).substring(1));
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      index.putIfAbsent(header.get(i).strip().toLowerCase(Locale.ROOT), i);
    }
    int text = column(index, columns.text(), "text", "user_message", "text");
    int label = column(index, columns.label(), "label", "intent", "category");
    if (text == label) {
      throw new DatasetFormatException(1, "the text and label columns must differ");
    }
    int response = optional(index, "response", text, label);
    int confidence = optional(index, "confidence_score", text, label);
    int category = optional(index, "category", text, label);
    int escalated = optional(index, "was_escalated", text, label);
    int corrected = optional(index, "was_corrected", text, label);
    int source = optional(index, "source", text, label);
    int created = optional(index, "created_at", text, label);

    while (true) {
      List<String> record;
      try {
        record = records.next();
      } catch (DatasetFormatException e) {
        sink.invalid(e);
        records.skipRestOfLine();
        continue;
      }
      if (record == null) {
        return;
      }
      int line = records.recordLine();
      if (record.size() == 1 && record.get(0).isEmpty()) {
        continue;
      }
      TrainingSample sample;
      try {
        if (record.size() != header.size()) {
          throw new DatasetFormatException(line, "expected " + header.size() + " fields as in the header, found "
              + record.size());
        }
        String message = SampleFields.text(line, header.get(text), record.get(text), true, SampleFields.MAX_MESSAGE);
        String intent = SampleFields.intent(line, header.get(label), record.get(label));
        sample = new TrainingSample(
            message,
            intent,
            response < 0 ? "" : SampleFields.text(line, "response", record.get(response), false, 50_000),
            confidence < 0 ? null : SampleFields.confidence(line, "confidence_score", integer(line, record.get(confidence))),
            category < 0 ? "" : SampleFields.text(line, "category", record.get(category), false, 100),
            escalated >= 0 && bool(line, "was_escalated", record.get(escalated)),
            corrected >= 0 && bool(line, "was_corrected", record.get(corrected)),
            SampleFields.source(line, "source", source < 0 ? null : record.get(source)),
            created < 0 ? null : instant(line, record.get(created)));
      } catch (DatasetFormatException e) {
        sink.invalid(e);
        continue;
      }
      sink.sample(line, sample);
    }
  }

  /** Reads only the text column of every record (labels may be absent). */
  public static List<String> readTexts(Reader in, String textColumn) throws IOException {
    RecordReader records = new RecordReader(in);
    List<String> header = records.next();
    if (header == null) {
      throw new DatasetFormatException(1, "the file is empty: a header line is required");
    }
    if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
      header.set(0, header.get(0).substring(1));
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      index.putIfAbsent(header.get(i).strip().toLowerCase(Locale.ROOT), i);
    }
    int text = column(index, textColumn, "text", "user_message", "text");
    List<String> texts = new ArrayList<>();
    List<String> record;
    while ((record = records.next()) != null) {
      int line = records.recordLine();
      if (record.size() == 1 && record.get(0).isEmpty()) {
        continue;
      }
      if (record.size() != header.size()) {
        throw new DatasetFormatException(line, "expected " + header.size() + " fields as in the header, found "
            + record.size());
      }
      texts.add(SampleFields.text(line, header.get(text), record.get(text), true, SampleFields.MAX_MESSAGE));
    }
    return texts;
  }

  private static int column(Map<String, Integer> index, String named, String role, String first, String second) {
    if (named != null) {
      Integer at = index.get(named.strip().toLowerCase(Locale.ROOT));
      if (at == null) {
        throw new DatasetFormatException(1, "the header has no " + role + " column named '" + named + "'");
      }
      return at;
    }
    Integer at = index.get(first);
    if (at == null) {
      at = index.get(second);
    }
    if (at == null) {
      throw new DatasetFormatException(1, "the header has no " + role + " column ('" + first + "' or '" + second
          + "'); name it with the " + role + "-column option");
    }
    return at;
  }

  private static int optional(Map<String, Integer> index, String name, int text, int label) {
    Integer at = index.get(name);
    return at == null || at == text || at == label ? -1 : at;
  }

  private static Long integer(int line, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new DatasetFormatException(line, "field 'confidence_score' must be an integer, got '"
          + SampleFields.abbreviate(value) + "'");
    }
  }

  private static boolean bool(int line, String field, String value) {
    String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "", "false", "0", "f", "no" -> false;
      case "true", "1", "t", "yes" -> true;
      default -> throw new DatasetFormatException(line, "field '" + field + "' must be true or false, got '"
          + SampleFields.abbreviate(value) + "'");
    };
  }

  private static Instant instant(int line, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw new DatasetFormatException(line, "field 'created_at' is not an ISO-8601 instant");
    }
  }

  /** Writes the header and one record per sample, with the seed's column names. */
  public static void write(List<TrainingSample> samples, Writer out) {
    try {
      writeHeader(out);
      StringBuilder row = new StringBuilder(256);
      for (TrainingSample s : samples) {
        out.write(record(s, row));
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the header line (the seed's column names), for a file written record by record. */
  public static void writeHeader(Writer out) throws IOException {
    out.write(String.join(",", HEADER));
    out.write("\r\n");
  }

  /** Writes one sample as one record, line break included, in the order of the header. */
  public static void writeRecord(TrainingSample sample, Writer out) throws IOException {
    out.write(record(sample, new StringBuilder(256)));
  }

  private static String record(TrainingSample s, StringBuilder row) {
    row.setLength(0);
    field(row, s.userMessage()).append(',');
    field(row, s.intent()).append(',');
    field(row, s.response()).append(',');
    row.append(s.confidenceScore() == null ? "" : s.confidenceScore().toString()).append(',');
    field(row, s.category()).append(',');
    row.append(s.wasEscalated()).append(',').append(s.wasCorrected()).append(',');
    field(row, s.source()).append(',');
    row.append(s.createdAt() == null ? "" : s.createdAt().toString()).append("\r\n");
    return row.toString();
  }

  private static StringBuilder field(StringBuilder row, String value) {
    boolean quote = value.isEmpty() ? false : value.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')
        || Character.isWhitespace(value.charAt(0)) || Character.isWhitespace(value.charAt(value.length() - 1));
    if (!quote) {
      return row.append(value);
    }
    row.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        row.append('"');
      }
      row.append(c);
    }
    return row.append('"');
  }

  /** Splits the input into records, tracking the line on which each record starts. */
  static final class RecordReader {
    private final Reader in;
    private int line = 1;
    private int recordLine;
    private int pushback = -2;

    RecordReader(Reader in) {
      this.in = in;
    }

    int recordLine() {
      return recordLine;
    }

    private int read() throws IOException {
      if (pushback != -2) {
        int c = pushback;
        pushback = -2;
        return c;
      }
      return in.read();
    }

    /**
     * Skips what is left of the current line after a record failed part-way, so that reading
     * resumes on the next line.
     */
    void skipRestOfLine() throws IOException {
      int c = read();
      while (c != -1 && c != '\n' && c != '\r') {
        c = read();
      }
      if (c == '\r') {
        int d = read();
        if (d != '\n') {
          pushback = d;
        }
      }
      if (c != -1) {
        line++;
      }
    }

    /** The next record's fields, or null at the end of the input. */
    List<String> next() throws IOException {
      int c = read();
      if (c == -1) {
        return null;
      }
      recordLine = line;
      List<String> fields = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      boolean wasQuoted = false;
      while (true) {
        if (quoted) {
          if (c == -1) {
            throw new DatasetFormatException(recordLine, "a quoted field is not closed before the end of the file");
          }
          if (c == '"') {
            int d = read();
            if (d == '"') {
              field.append('"');
            } else {
              quoted = false;
              pushback = d;
            }
          } else {
            if (c == '\n') {
              line++;
            }
            field.append((char) c);
          }
        } else if (c == -1 || c == '\n' || c == '\r') {
          if (c == '\r') {
            int d = read();
            if (d != '\n') {
              pushback = d;
            }
          }
          if (c != -1) {
            line++;
          }
          fields.add(field.toString());
          return fields;
        } else if (c == ',') {
          fields.add(field.toString());
          field.setLength(0);
          wasQuoted = false;
        } else if (c == '"' && field.length() == 0 && !wasQuoted) {
          quoted = true;
          wasQuoted = true;
        } else if (wasQuoted) {
          throw new DatasetFormatException(recordLine, "unexpected character after a closing quote in field "
              + (fields.size() + 1));
        } else {
          field.append((char) c);
        }
        c = read();
      }
    }
  }
}
