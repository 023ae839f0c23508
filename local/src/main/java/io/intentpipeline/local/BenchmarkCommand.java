package io.intentpipeline.local;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./pipeline benchmark <name>}: the project's benchmarks. */
@Command(name = "benchmark", description = "Runs a benchmark.", subcommands = {ClassifierBenchmarkCommand.class})
final class BenchmarkCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
