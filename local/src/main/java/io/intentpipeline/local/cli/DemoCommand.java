package io.intentpipeline.local.cli;

import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.local.cli.demo.DemoException;
import io.intentpipeline.local.cli.demo.DemoRun;
import io.intentpipeline.local.stack.LocalStack;
import io.intentpipeline.local.stack.TemplateException;
import io.intentpipeline.storage.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./pipeline demo}: the whole loop on an empty local stack, in about a minute. */
@Command(name = "demo", description = {
    "Starts an empty local stack (its own database and data folder), posts the sample dataset (an",
    "online shop's support messages, English and Spanish) as live traffic, flushes, trains, answers a",
    "few predictions, corrects the bot's mistakes from the review queue, retrains, and prints where",
    "the HTML report is. Exit codes: 0 done, 1 a step failed, 3 PostgreSQL unavailable."})
final class DemoCommand implements Callable<Integer> {
  /** Written into the data folder, so that a later run knows the folder is the demo's to empty. */
  static final String MARKER = ".intent-pipeline-demo";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "The demo's data folder, emptied first (default: .local-data/demo)")
  Path dataDir;

  @Option(names = "--database-name", defaultValue = "intent_pipeline_demo",
      description = "The demo's database, dropped and created empty first (default ${DEFAULT-VALUE})")
  String databaseName;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the simulated traffic (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--wrong-share", defaultValue = "0.1",
      description = "Share of messages the simulated bot gets wrong, 0-0.5 (default ${DEFAULT-VALUE})")
  double wrongShare;

  @Option(names = "--serve", description = "Keep serving the demo's stack afterwards, until Ctrl-C")
  boolean serve;

  @Override
  public Integer call() throws InterruptedException {
    if (!(wrongShare >= 0 && wrongShare <= 0.5)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--wrong-share must be between 0 and 0.5");
    }
    long start = System.nanoTime();
    Path root = ProjectRoot.find();
    Path folder = (dataDir != null ? dataDir : root.resolve(".local-data").resolve("demo")).toAbsolutePath();
    Database.Settings database;
    LocalStack.Options options = ScratchStack.options(root, folder);
    Path logFile = folder.resolve("functions.log");
    java.io.PrintStream log;
    try {
      ScratchStack.empty(folder, MARKER, "the demo");
      database = ScratchStack.freshDatabase(databaseName);
      log = ScratchStack.logFile(logFile);
    } catch (CliSupport.CliException e) {
      System.err.println("demo: " + e.getMessage());
      return e.exitCode;
    }
    io.intentpipeline.log.Log.to(log);
    try {
      return runOn(root, folder, options, database, start, logFile);
    } finally {
      if (!serve) {
        io.intentpipeline.log.Log.to(System.out);
        log.close();
      }
    }
  }

  private int runOn(Path root, Path folder, LocalStack.Options options, Database.Settings database, long start,
                    Path logFile) throws InterruptedException {
    System.out.println("Starting the local stack (database " + databaseName + ", data folder " + folder
        + "; the functions' logs go to " + logFile + ")...");
    LocalStack stack;
    try {
      stack = ScratchStack.start(options, database);
    } catch (CliSupport.CliException e) {
      System.err.println("demo: " + e.getMessage());
      return e.exitCode;
    }
    try {
      System.out.printf(Locale.ROOT, "Local stack up at %s in %.1f s (%d routes)%n%n", stack.apiUrl(),
          (System.nanoTime() - start) / 1e9, stack.routes().size());
      new DemoRun(stack.apiUrl(), folder.resolve("s3"), System.out, seed, wrongShare).run();
      System.out.printf(Locale.ROOT, "%nDemo finished in %.0f s.%n", (System.nanoTime() - start) / 1e9);
      System.out.println("Explore what it left: ./pipeline serve --database-name " + databaseName
          + " --data-dir " + displayed(root, folder) + (serve ? "" : "   (or ./pipeline demo --serve)"));
      if (serve) {
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "demo-shutdown"));
        ServeCommand.printBanner(stack, options, database, System.out);
        stack.consoleUrl().ifPresent(console -> System.out.println("Admin console: " + console
            + "   (review the demo's queue by keyboard: docs/CONSOLE.md)"));
        Thread.currentThread().join();
      }
      return 0;
    } catch (DemoException e) {
      System.err.println("demo: " + e.getMessage());
      return 1;
    } finally {
      if (!serve) {
        stack.close();
      }
    }
  }

  private static Path displayed(Path root, Path folder) {
    return folder.startsWith(root) ? root.relativize(folder) : folder;
  }
}
