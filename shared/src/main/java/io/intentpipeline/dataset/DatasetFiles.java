package io.intentpipeline.dataset;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Reads and writes dataset files, choosing JSONL or CSV by the file's extension. */
public final class DatasetFiles {
  private DatasetFiles() {}

  /** The formats a dataset file may have. */
  public enum Format { JSONL, CSV }

  /** {@code .csv} is CSV; {@code .jsonl}, {@code .ndjson} and {@code .json} are JSON Lines. */
  public static Format formatOf(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv")) {
      return Format.CSV;
    }
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
      return Format.JSONL;
    }
    throw new IllegalArgumentException("cannot tell the format of " + file.getFileName()
        + ": name it .jsonl (JSON Lines) or .csv");
  }

  /** Reads a UTF-8 dataset file; malformed content fails with a {@link DatasetFormatException}. */
  public static List<TrainingSample> read(Path file, CsvFormat.Columns columns) throws IOException {
    Format format = formatOf(file);
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder),
        1 << 16)) {
      return format == Format.CSV ? CsvFormat.read(in, columns) : JsonlFormat.read(in);
    } catch (CharacterCodingException e) {
      throw new DatasetFormatException(1, "the file is not valid UTF-8 text");
    }
  }

  /**
   * Reads a UTF-8 dataset file of {@code format} record by record into {@code sink}: bad records
   * are handed over with their line and reading goes on. A file that is not UTF-8 text, or a CSV
   * file without a usable header, fails as a whole with a {@link DatasetFormatException}.
   */
  public static void readEach(Path file, Format format, CsvFormat.Columns columns, SampleSink sink)
      throws IOException {
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder),
        1 << 16)) {
      if (format == Format.CSV) {
        CsvFormat.readEach(in, columns, sink);
      } else {
        JsonlFormat.readEach(in, sink);
      }
    } catch (CharacterCodingException e) {
      throw new DatasetFormatException(1, "the file is not valid UTF-8 text");
    }
  }

  /**
   * Reads only the texts of a dataset file (labels may be absent): JSONL's {@code user_message},
   * or the CSV column named {@code textColumn} (null: {@code user_message}, else {@code text}).
   */
  public static List<String> readTexts(Path file, String textColumn) throws IOException {
    Format format = formatOf(file);
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder),
        1 << 16)) {
      return format == Format.CSV ? CsvFormat.readTexts(in, textColumn) : JsonlFormat.readTexts(in);
    } catch (CharacterCodingException e) {
      throw new DatasetFormatException(1, "the file is not valid UTF-8 text");
    }
  }

  /** Writes {@code samples} to {@code file} in the format its extension names. */
  public static void write(List<TrainingSample> samples, Path file) throws IOException {
    Format format = formatOf(file);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      if (format == Format.CSV) {
        CsvFormat.write(samples, out);
      } else {
        JsonlFormat.write(samples, out);
      }
    }
  }
}
