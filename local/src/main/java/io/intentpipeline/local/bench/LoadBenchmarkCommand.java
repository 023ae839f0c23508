package io.intentpipeline.local.bench;

import io.intentpipeline.local.cli.CliSupport;
import io.intentpipeline.local.cli.ProjectRoot;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./pipeline benchmark load}: the local stack under concurrent clients. */
@Command(name = "load", mixinStandardHelpOptions = true, description = {
    "The local stack under load: each interaction stored exactly once, throughput,",
    "latency of the record route, the stack's heap.",
    "Starts the local stack (./pipeline serve) in a JVM of its own on a fresh",
    "database (DATABASE_URL's server, else 127.0.0.1:5432; dropped afterwards),",
    "posts --interactions interactions to POST /ai/training/interactions from",
    "--clients concurrent HTTP clients (half the requests one interaction, half a",
    "batch of 2-50), waits until the flush function has stored them all, then",
    "prints: whether each id is stored exactly once, throughput, the record",
    "route's latency (p50/p90/p99/max) and the stack's used heap after a full GC",
    "(JMX): after a warm-up, every --heap-every seconds and at the end. The heap is",
    "flat when the end sample is at most 20 %% above the warm-up sample.",
    "The stack runs with schedules off, the batching window capped at 1 s (only the",
    "last batch waits for it) and no automatic retraining.",
    "Exit codes: 0 each interaction stored once and the heap flat, 1 not so or a",
    "run failed, 3 no PostgreSQL."})
final class LoadBenchmarkCommand implements Callable<Integer> {
  @Option(names = "--interactions", defaultValue = "100000", description = "Measured interactions (default: ${DEFAULT-VALUE})")
  int interactions;

  @Option(names = "--clients", defaultValue = "16", description = "Concurrent HTTP clients (default: ${DEFAULT-VALUE})")
  int clients;

  @Option(names = "--warmup", defaultValue = "5000", description = "Interactions posted and stored before measuring (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--heap-every", defaultValue = "10", description = "Seconds between heap samples; each forces a full GC in the stack (default: ${DEFAULT-VALUE})")
  int heapEvery;

  @Option(names = "--stack-heap", defaultValue = "1g", description = "The stack JVM's -Xmx (default: ${DEFAULT-VALUE})")
  String stackHeap;

  @Option(names = "--seed", defaultValue = "20261127", description = "Seed of the request mix (default: ${DEFAULT-VALUE})")
  long seed;

  @Override
  public Integer call() {
    if (interactions < 1 || interactions > 10_000_000 || clients < 1 || clients > 256 || warmup < 0
        || warmup > 1_000_000 || heapEvery < 1 || heapEvery > 3600 || !stackHeap.matches("[0-9]+[kKmMgG]?")) {
      System.err.println("--interactions must be 1..10000000, --clients 1..256, --warmup 0..1000000,"
          + " --heap-every 1..3600, --stack-heap like 512m or 1g");
      return CliSupport.BAD_INPUT;
    }
    return CliSupport.run("benchmark load", () -> {
      var options = new LoadBenchmark.Options(interactions, clients, warmup, Duration.ofSeconds(heapEvery), stackHeap, seed);
      LoadBenchmark.Result r;
      try {
        r = new LoadBenchmark(options, ProjectRoot.find(), message -> System.err.println("[load] " + message)).run();
      } catch (IllegalStateException e) {
        if (e.getMessage() != null && e.getMessage().contains("PostgreSQL")) {
          throw new CliSupport.CliException(CliSupport.UNAVAILABLE, e.getMessage());
        }
        throw e;
      }
      System.out.print(LoadBenchmark.report(r));
      return r.exactlyOnce() && r.heapFlat() ? CliSupport.OK : CliSupport.FAILED;
    });
  }
}
