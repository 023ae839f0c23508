package io.intentpipeline.local.cli;

import io.intentpipeline.dataset.CsvFormat;
import io.intentpipeline.dataset.DatasetFiles;
import io.intentpipeline.dataset.DatasetFormatException;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.ml.IntentModel;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.ml.ModelFormatException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * What the commands share: exit codes, data options, reading with clear errors, progress. The
 * benchmark commands of {@code local.bench} use its exit codes, errors, data reading and {@link #run}.
 */
public final class CliSupport {
  /** Exit code: success. */
  public static final int OK = 0;
  /** Exit code: the work failed. */
  public static final int FAILED = 1;
  /** Exit code: bad usage or bad input. */
  public static final int BAD_INPUT = 2;
  /** Exit code: a dependency (database, S3, SQS, a data set) is unavailable. */
  public static final int UNAVAILABLE = 3;

  private CliSupport() {}

  /** A failure with the exit code it maps to; its message is printed as is. */
  public static final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int exitCode;

    /** A failure exiting with {@code exitCode} and printing {@code message}. */
    public CliException(int exitCode, String message) {
      super(message);
      this.exitCode = exitCode;
    }
  }

  /** The column options of CSV data. */
  public static final class Columns {
    @Option(names = "--text-column", paramLabel = "NAME",
        description = "CSV column holding the text (default: user_message, else text)")
    String text;

    @Option(names = "--label-column", paramLabel = "NAME",
        description = "CSV column holding the intent (default: intent, else category)")
    String label;

    CsvFormat.Columns columns() {
      return new CsvFormat.Columns(text, label);
    }
  }

  /** The samples of a JSONL or CSV file; a missing or malformed file is a {@link CliException} (bad input). */
  public static List<TrainingSample> readSamples(Path file, Columns columns) {
    try {
      return DatasetFiles.read(file, columns.columns());
    } catch (DatasetFormatException e) {
      throw new CliException(BAD_INPUT, file + ": " + e.getMessage());
    } catch (NoSuchFileException e) {
      throw new CliException(BAD_INPUT, file + ": no such file");
    } catch (IllegalArgumentException e) {
      throw new CliException(BAD_INPUT, e.getMessage());
    } catch (IOException e) {
      throw new CliException(BAD_INPUT, file + ": cannot read: " + e.getMessage());
    }
  }

  static List<String> readTexts(Path file, Columns columns) {
    try {
      return DatasetFiles.readTexts(file, columns.text);
    } catch (DatasetFormatException e) {
      throw new CliException(BAD_INPUT, file + ": " + e.getMessage());
    } catch (NoSuchFileException e) {
      throw new CliException(BAD_INPUT, file + ": no such file");
    } catch (IllegalArgumentException e) {
      throw new CliException(BAD_INPUT, e.getMessage());
    } catch (IOException e) {
      throw new CliException(BAD_INPUT, file + ": cannot read: " + e.getMessage());
    }
  }

  static IntentModel readModel(Path file) {
    try {
      return ModelCodec.read(file);
    } catch (NoSuchFileException e) {
      throw new CliException(BAD_INPUT, file + ": no such file");
    } catch (ModelFormatException e) {
      throw new CliException(BAD_INPUT, file + ": " + e.getMessage());
    } catch (IOException e) {
      throw new CliException(BAD_INPUT, file + ": cannot read: " + e.getMessage());
    }
  }

  static void writeText(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new CliException(FAILED, file + ": cannot write: " + e.getMessage());
    }
  }

  /** Progress lines on standard error, only when attached to a terminal. */
  static Consumer<String> progress() {
    if (System.console() == null) {
      return message -> { };
    }
    PrintStream err = System.err;
    long start = System.nanoTime();
    return message -> err.printf("[%6.1fs] %s%n", (System.nanoTime() - start) / 1e9, message);
  }

  /** Runs {@code body}, printing a CliException's message as an error and returning its code. */
  public static int run(String command, java.util.concurrent.Callable<Integer> body) {
    try {
      return body.call();
    } catch (CliException e) {
      System.err.println("pipeline " + command + ": error: " + e.getMessage());
      return e.exitCode;
    } catch (IllegalArgumentException e) {
      System.err.println("pipeline " + command + ": error: " + e.getMessage());
      return FAILED;
    } catch (Exception e) {
      System.err.println("pipeline " + command + ": failed: " + e);
      return FAILED;
    }
  }
}
