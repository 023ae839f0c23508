package io.intentpipeline.local;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./pipeline benchmark <name>}: the benchmarks, each measuring one part against its target. */
@Command(name = "benchmark", description = "Runs a benchmark and prints its figures.",
    subcommands = {QueriesBenchmark.class})
final class BenchmarkCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
