package io.intentpipeline.local.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./pipeline benchmark <name>}: the project's benchmarks (not tests: they print figures). */
@Command(name = "benchmark", description = "Runs a benchmark and prints its figures.",
    subcommands = {ClassifierBenchmarkCommand.class, FlushBenchmarkCommand.class, QueriesBenchmark.class,
        PredictBenchmarkCommand.class, TrainBenchmarkCommand.class, LoadBenchmarkCommand.class,
        TransferBenchmark.class, ActionsBenchmarkCommand.class, RedactionBenchmark.class})
public final class BenchmarkCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
