package io.intentpipeline.local.cli;

import io.intentpipeline.local.bench.BenchmarkCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command-line tool behind {@code ./pipeline}. Exit codes: 0 success, 1 failure of the work,
 * 2 bad usage or bad input, 3 an unavailable dependency (database, S3, SQS).
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    version = "intent-pipeline 0.1.0",
    description = "Self-hosted, continuous-learning intent pipeline: offline tools and the local stack.",
    subcommands = {
        ServeCommand.class,
        DemoCommand.class,
        SimulateCommand.class,
        MigrateCommand.class,
        TrainCommand.class,
        EvaluateCommand.class,
        PredictCommand.class,
        ImportCommand.class,
        BenchmarkCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the tool and returns its exit code, for tests. */
  public static int execute(String... args) {
    return new CommandLine(new Main()).execute(args);
  }
}
