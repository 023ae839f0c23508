package io.intentpipeline.local.cli;

import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.local.stack.LocalStack;
import io.intentpipeline.local.stack.TemplateException;
import io.intentpipeline.storage.Database;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The steps that give a command a throwaway local stack (demo, simulate): an emptied data folder,
 * a recreated database, fast options without schedules, a log file. Failures are
 * {@link CliSupport.CliException}s carrying the exit code.
 */
final class ScratchStack {
  private ScratchStack() {}

  /** Empties {@code folder}; refuses a folder that holds something without {@code marker}, which it then writes. */
  static void empty(Path folder, String marker, String owner) {
    try {
      if (Files.isDirectory(folder)) {
        boolean marked = Files.exists(folder.resolve(marker));
        try (Stream<Path> entries = Files.list(folder)) {
          if (!marked && entries.findAny().isPresent()) {
            throw new CliSupport.CliException(CliSupport.BAD_INPUT, "The data folder " + folder
                + " is not empty and was not made by " + owner + "; choose another with --data-dir");
          }
        }
        try (Stream<Path> all = Files.walk(folder)) {
          for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
            if (!p.equals(folder)) {
              Files.delete(p);
            }
          }
        }
      }
      Files.createDirectories(folder);
      Files.writeString(folder.resolve(marker), "This folder is emptied by each run of " + owner + ".\n");
    } catch (IOException e) {
      throw new CliSupport.CliException(CliSupport.BAD_INPUT, folder + ": " + e.getMessage());
    }
  }

  /** The database {@code name}, dropped and created empty on the shared PostgreSQL server. */
  static Database.Settings freshDatabase(String name) {
    try {
      FreshDatabase db = PostgresServer.shared().recreate(name);
      return new Database.Settings(db.jdbcUrl(), db.user(), db.password(), 4);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new CliSupport.CliException(CliSupport.UNAVAILABLE, e.getMessage());
    }
  }

  /**
   * Options of a stack driven by its caller: schedules off (the caller starts its runs), short
   * batching windows, the predict function re-checking its model every second, and no automatic
   * retrain while posting.
   */
  static LocalStack.Options options(Path root, Path folder) {
    return options(root, folder, Map.of());
  }

  /** The same, with {@code parameters} as further template parameter values. */
  static LocalStack.Options options(Path root, Path folder, Map<String, String> parameters) {
    Map<String, String> values = new java.util.HashMap<>(Map.of("ModelRefreshSeconds", "1", "RetrainThreshold", "1000000"));
    values.putAll(parameters);
    return LocalStack.Options.defaults(root).withDataDir(folder).fast()
        .withSchedules(LocalStack.Schedules.OFF)
        .withValues(Map.copyOf(values), Map.of());
  }

  /** A stream writing {@code file}, for the functions' JSON logs (so the command's own lines read as a story). */
  static PrintStream logFile(Path file) {
    try {
      return new PrintStream(Files.newOutputStream(file), true, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliSupport.CliException(CliSupport.BAD_INPUT, "cannot write " + file + ": " + e.getMessage());
    }
  }

  /** The stack started with {@code options} on {@code database}. */
  static LocalStack start(LocalStack.Options options, Database.Settings database) {
    try {
      return LocalStack.start(options, database);
    } catch (TemplateException e) {
      throw new CliSupport.CliException(CliSupport.BAD_INPUT, e.getMessage());
    } catch (RuntimeException e) {
      throw new CliSupport.CliException(CliSupport.UNAVAILABLE, "the local stack did not start: " + e.getMessage());
    }
  }
}
