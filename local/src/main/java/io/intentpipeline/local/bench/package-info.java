/**
 * The project's benchmarks, {@code ./pipeline benchmark <name>}: they print figures, they are not
 * tests. Each {@code *BenchmarkCommand} (or the command itself for {@code queries} and
 * {@code transfer}) parses its options and reports; the measuring runs in child JVMs where the
 * figures need a clean process ({@code *Worker}, {@code PredictProbe}, the load benchmark's
 * {@code serve}). What other packages may use: {@code BenchmarkCommand} (registered by
 * {@code local.cli}'s {@code Main}), {@code LoadBenchmark} (the reliability suite's load test) and
 * {@code PredictProbe} (public only because a child JVM runs it by name). It uses
 * {@code local.cli}'s exit codes, errors and data reading, nothing of the local stack.
 */
package io.intentpipeline.local.bench;
