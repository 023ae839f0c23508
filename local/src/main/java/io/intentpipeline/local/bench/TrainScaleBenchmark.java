package io.intentpipeline.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.S3Clients;
import io.intentpipeline.config.Env;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.embedded.EmbeddedS3;
import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.json.Json;
import io.intentpipeline.local.cli.CliSupport;
import io.intentpipeline.local.stack.FunctionLimits;
import io.intentpipeline.pipeline.TrainingPipeline;
import io.intentpipeline.pipeline.TrainingSettings;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.Migrations;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code ./pipeline benchmark train --rows ... --core ...}: how far a training run scales within
 * the train function's limits. For each {@code --rows} size: a fresh database holding that many
 * rows of {@link ScaleData} in {@code ai_training_data}, then {@code runs} runs with the default
 * settings, each in a fresh JVM with the function's flags and a time budget of its timeout. For
 * each {@code --core} size: the ML core alone on that many samples, in the same kind of JVM. Then
 * the largest dataset a run can take, derived from the two largest core sizes.
 */
final class TrainScaleBenchmark {
  /** Of the function's heap, the most the work may need (the rest: the collector's room). */
  static final double HEAP_MARGIN = 0.9;
  /** Of the function's timeout, the most a run may take (the rest: start-up, a slower day, the record stage). */
  static final double TIME_MARGIN = 0.8;

  /** The most memory a Lambda function can have, MB. */
  static final int LAMBDA_MAX_MEMORY_MB = 10_240;

  /** The smallest core size the largest dataset is derived from. */
  static final int MIN_DERIVING_SIZE = 20_000;

  /** Starts one worker JVM with {@code flags} and {@code args}; its JSON line. */
  @FunctionalInterface
  interface Worker {
    JsonNode start(String flags, String... args) throws Exception;
  }

  private final FunctionLimits limits;
  private final int memoryMb;
  private final String flags;
  private final int runs;
  private final Path csv;
  private final Worker worker;

  TrainScaleBenchmark(FunctionLimits limits, int memoryMb, String flags, int runs, Path csv, Worker worker) {
    this.limits = limits;
    this.memoryMb = memoryMb;
    this.flags = flags;
    this.runs = runs;
    this.csv = csv;
    this.worker = worker;
  }

  /** The printed report, and whether every run completed. */
  record Report(String text, boolean allCompleted) {}

  /** Measures {@code rows} and {@code core} sizes. */
  Report measure(List<Integer> rows, List<Integer> core, List<TrainingSample> base) throws Exception {
    double loadBefore = load();
    ScaleData data = new ScaleData(base, ScaleData.SEED, Instant.now());
    List<RowsResult> rowResults = new ArrayList<>();
    for (int n : rows) {
      rowResults.add(runs(data, n));
    }
    List<JsonNode> coreResults = new ArrayList<>();
    for (int n : core) {
      status("ML core alone on " + n + " samples");
      JsonNode result = start("core", csv.toString(), Integer.toString(n));
      if (!result.has("samples")) {
        status("the ML core on " + n + " samples: " + result.path("reason").asText());
        continue;
      }
      coreResults.add(result);
    }
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "%nthe train function (template.yaml %s): %d MB, %d s; JVM flags %s"
        + " (heap %d %% of %d MB, then JAVA_TOOL_OPTIONS); %d CPUs, Java %s; load average %.1f before, %.1f after%n",
        limits.logicalId(), limits.memoryMb(), limits.timeoutSeconds(), flags, FunctionLimits.HEAP_PERCENT, memoryMb,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), loadBefore, load()));
    if (!rowResults.isEmpty()) {
      t.append(rowsTable(rowResults));
    }
    if (!coreResults.isEmpty()) {
      t.append(coreTable(coreResults));
    }
    return new Report(t.toString(), rowResults.stream().allMatch(r -> r.runs().stream().allMatch(TrainScaleBenchmark::completed)));
  }

  /**
   * A worker's JSON; when its JVM dies (out of memory, say: its error output is shown), a result
   * with status {@code crashed} instead, so that the sizes measured before still print.
   */
  private JsonNode start(String... args) throws Exception {
    try {
      return worker.start(flags, args);
    } catch (CliSupport.CliException e) {
      return Json.MAPPER.createObjectNode().put("status", "crashed").put("reason", e.getMessage());
    }
  }

  private static boolean completed(JsonNode run) {
    return "completed".equals(run.path("status").asText());
  }

  /** The runs over one size. */
  record RowsResult(int rows, int verifiedRows, double loadSeconds, List<JsonNode> runs) {}

  private RowsResult runs(ScaleData data, int rows) throws Exception {
    FreshDatabase fresh;
    try {
      fresh = PostgresServer.shared().createDatabase("trainscale");
    } catch (IllegalStateException e) {
      throw new CliSupport.CliException(CliSupport.UNAVAILABLE, "PostgreSQL is unavailable: " + e.getMessage());
    }
    try (fresh; EmbeddedS3 s3Server = EmbeddedS3.inMemory(0)) {
      Migrations.migrate(new Database.Settings(fresh.jdbcUrl(), fresh.user(), fresh.password(), 1));
      status("storing " + rows + " rows into a fresh database");
      long start = System.nanoTime();
      int verified;
      try (Connection c = fresh.connect(); Statement s = c.createStatement()) {
        data.copyInto(c, rows);
        s.execute("VACUUM ANALYZE ai_training_data");
        try (ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE corrected_by_human"
            + " OR dataset_status IN ('reviewed', 'approved')) FROM ai_training_data")) {
          rs.next();
          verified = rs.getInt(1);
        }
      }
      double loadSeconds = (System.nanoTime() - start) / 1e9;
      Env env = Env.of(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY,
          "AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY, "AWS_ENDPOINT_URL_S3", s3Server.endpoint().toString()));
      String bucket = "train-scale";
      try (S3Client s3 = S3Clients.create(AwsSettings.fromEnv(env))) {
        S3Clients.ensureBucket(s3, bucket);
      }
      List<JsonNode> results = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        status(rows + " rows: run " + (i + 1) + "/" + runs);
        JsonNode run = start("scale-run", fresh.jdbcUrl(), nullToEmpty(fresh.user()),
            nullToEmpty(fresh.password()), s3Server.endpoint().toString(), bucket,
            Integer.toString(limits.timeoutSeconds()));
        if (!completed(run)) {
          // A measurement too: e.g. a run that trained past the timeout's deploy reserve fails there.
          status(rows + " rows: run " + (i + 1) + " " + run.path("status").asText() + ": " + run.path("reason").asText());
        }
        results.add(run);
      }
      return new RowsResult(rows, verified, loadSeconds, results);
    } catch (SQLException e) {
      throw new CliSupport.CliException(CliSupport.FAILED, "storing the rows failed: " + e.getMessage());
    }
  }

  private String rowsTable(List<RowsResult> results) {
    StringBuilder t = new StringBuilder();
    TrainingSettings d = TrainingSettings.DEFAULTS;
    t.append(String.format(Locale.ROOT, "%ntraining runs with the default settings (TRAIN_DATASET_LIMIT %d, label policy"
        + " %s, profile %s) over generated live traffic (BANKING77 texts with openings, closings and typos; %.0f %%"
        + " human-verified, the bot right %.0f %% of the time); %d run(s) per size, medians%n%n", d.datasetLimit(),
        d.labelPolicy().wireName(), d.profile().name(), ScaleData.VERIFIED_SHARE * 100, ScaleData.BOT_ACCURACY * 100,
        runs));
    t.append("| rows | verified rows | load s | labels | fetched | samples | trained | features | ");
    TrainingPipeline.STAGES.forEach(s -> t.append(s).append(" s | "));
    t.append("run s | JVM s | CPU s | ms / trained sample | peak heap MiB | after GC MiB | GC s | peak RSS MiB | fits |\n|");
    t.append(" ---: |".repeat(3)).append(" --- |").append(" ---: |".repeat(4 + TrainingPipeline.STAGES.size() + 9))
        .append(" --- |\n");
    for (RowsResult r : results) {
      Function<String, Double> m = field -> median(r.runs(), run -> run.path(field).asDouble());
      List<JsonNode> done = r.runs().stream().filter(TrainScaleBenchmark::completed).toList();
      Function<String, String> dataset = field -> done.isEmpty() ? "-" : String.format(Locale.ROOT, "%.0f",
          median(done, run -> run.path("dataset").path(field).asDouble()));
      double trained = done.isEmpty() ? Double.NaN
          : median(done, run -> run.path("dataset").path("train").asDouble() + run.path("dataset").path("validation").asDouble());
      String labels = done.isEmpty() ? "-" : done.get(0).path("dataset").path("label_policy_applied").asText("-");
      t.append(String.format(Locale.ROOT, "| %d | %d | %.1f | %s | %s | %s | %s | %s | ", r.rows(), r.verifiedRows(),
          r.loadSeconds(), labels, dataset.apply("fetched"), dataset.apply("samples"),
          done.isEmpty() ? "-" : String.format(Locale.ROOT, "%.0f", trained),
          done.isEmpty() ? "-" : String.format(Locale.ROOT, "%.0f", median(done, run -> run.path("features").asDouble()))));
      for (String stage : TrainingPipeline.STAGES) {
        t.append(String.format(Locale.ROOT, "%.2f | ", median(r.runs(), run -> run.path("stages").path(stage).asDouble())));
      }
      double jvmSeconds = m.apply("jvm_seconds");
      double rss = m.apply("peak_rss_mib");
      boolean inTime = r.runs().stream().allMatch(run -> run.path("jvm_seconds").asDouble() <= limits.timeoutSeconds());
      boolean inMemory = r.runs().stream().allMatch(run -> run.path("peak_rss_mib").asDouble() <= memoryMb);
      List<String> misses = new ArrayList<>();
      if (done.size() < r.runs().size()) {
        misses.add((r.runs().size() - done.size()) + " failed: " + r.runs().stream().filter(run -> !completed(run))
            .findFirst().orElseThrow().path("reason").asText());
      }
      if (!inTime) {
        misses.add("over " + limits.timeoutSeconds() + " s");
      }
      if (!inMemory) {
        misses.add("over " + memoryMb + " MB");
      }
      t.append(String.format(Locale.ROOT, "%.2f | %.2f | %.1f | %s | %.0f | %.0f | %.1f | %s | %s |%n",
          m.apply("run_seconds"), jvmSeconds, m.apply("cpu_seconds"),
          done.isEmpty() ? "-" : String.format(Locale.ROOT, "%.3f", m.apply("run_seconds") * 1000 / trained),
          m.apply("peak_heap_mib"), m.apply("peak_after_gc_mib"), m.apply("gc_seconds"),
          rss < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", rss),
          misses.isEmpty() ? "yes" : "NO (" + String.join("; ", misses) + ")"));
    }
    t.append("""

        labels: the label policy the run applied (trusted: human_only once human-verified rows number 5 per
        intent, seed before). fetched: rows get_training_dataset returned (human-verified first, then newest
        first, at most the limit) that the policy kept (human_only: the human-verified ones);
        samples: after the trust filter and the cleaner; trained: the training and validation parts (the final
        model's data). run s: the run as TrainingService times it; JVM s: the whole JVM, start-up included (a
        cold start). fits: the whole JVM within the function's timeout and its peak RSS within its memory (the
        heap is capped at the function's share anyway: a run that needed more would have failed).
        """);
    return t.toString();
  }

  private String coreTable(List<JsonNode> results) {
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "%nthe ML core alone (70/15/15 split, training with profile %s, evaluation on"
        + " the test part), a fresh JVM per size with the same flags, the samples held in the heap throughout%n%n",
        TrainingSettings.DEFAULTS.profile().name()));
    t.append("| samples | trained | features | train s | evaluate s | CPU s | ms / trained sample | samples alone MiB |"
        + " peak heap MiB | after GC MiB | KiB / sample after GC | GC s | peak RSS MiB | F1 |\n|");
    t.append(" ---: |".repeat(14)).append('\n');
    for (JsonNode r : results) {
      double trained = r.path("train").asDouble() + r.path("validation").asDouble();
      t.append(String.format(Locale.ROOT, "| %d | %.0f | %d | %.1f | %.1f | %.1f | %.3f | %.0f | %.0f | %.0f | %.1f | %.1f | %.0f | %.4f |%n",
          r.path("samples").asInt(), trained, r.path("features").asInt(), r.path("train_seconds").asDouble(),
          r.path("evaluate_seconds").asDouble(), r.path("cpu_seconds").asDouble(),
          r.path("total_seconds").asDouble() * 1000 / trained, r.path("samples_heap_mib").asDouble(),
          r.path("peak_heap_mib").asDouble(), r.path("peak_after_gc_mib").asDouble(),
          r.path("peak_after_gc_mib").asDouble() * 1024 / r.path("samples").asDouble(), r.path("gc_seconds").asDouble(),
          r.path("peak_rss_mib").asDouble(), r.path("f1").asDouble()));
    }
    t.append(largest(results));
    return t.toString();
  }

  /**
   * The largest sample count within {@link #HEAP_MARGIN} of the heap and {@link #TIME_MARGIN} of
   * the timeout, from a power law through the two largest measured sizes (derived, not measured).
   */
  private String largest(List<JsonNode> results) {
    List<JsonNode> sorted = new ArrayList<>(results);
    sorted.sort((a, b) -> Integer.compare(a.path("samples").asInt(), b.path("samples").asInt()));
    if (sorted.size() < 2 || sorted.get(0).path("samples").asInt() == sorted.get(sorted.size() - 1).path("samples").asInt()) {
      return "\nlargest dataset: not derived (it needs two --core sizes)\n";
    }
    JsonNode small = sorted.get(sorted.size() - 2);
    JsonNode big = sorted.get(sorted.size() - 1);
    if (small.path("samples").asInt() < MIN_DERIVING_SIZE) {
      return String.format(Locale.ROOT, "%nlargest dataset: not derived (it needs two --core sizes of %,d samples or"
          + " more: below, the collector's figures are too coarse to extrapolate)%n", MIN_DERIVING_SIZE);
    }
    double heapLimit = HEAP_MARGIN * big.path("max_heap_mib").asDouble();
    double timeLimit = TIME_MARGIN * limits.timeoutSeconds();
    long byHeap = solve(small, big, "peak_after_gc_mib", heapLimit);
    long byTime = solve(small, big, "total_seconds", timeLimit);
    String text = String.format(Locale.ROOT, "%nlargest dataset, derived (a power law through %,d and %,d samples): the"
        + " core's heap after GC reaches %.0f MiB (%.0f %% of the heap) at about %,d samples, its time %.0f s"
        + " (%.0f %% of the timeout) at about %,d samples: about %,d samples after cleaning (%s bound)%n",
        small.path("samples").asInt(), big.path("samples").asInt(), heapLimit, HEAP_MARGIN * 100, byHeap, timeLimit,
        TIME_MARGIN * 100, byTime, Math.min(byHeap, byTime), byHeap < byTime ? "memory" : "time");
    if (memoryMb < LAMBDA_MAX_MEMORY_MB) {
      double maxHeapLimit = HEAP_MARGIN * FunctionLimits.heapMb(LAMBDA_MAX_MEMORY_MB);
      long byMaxHeap = solve(small, big, "peak_after_gc_mib", maxHeapLimit);
      text += String.format(Locale.ROOT, "with Lambda's most memory (%,d MB: MemorySize in template.yaml), the heap"
          + " bound moves to about %,d samples (%.0f MiB): about %,d samples after cleaning (%s bound; the time bound"
          + " taken as measured here, though Lambda gives a function of that size more CPUs)%n", LAMBDA_MAX_MEMORY_MB,
          byMaxHeap, maxHeapLimit, Math.min(byMaxHeap, byTime), byMaxHeap < byTime ? "memory" : "time");
    }
    return text;
  }

  /**
   * The n at which {@code field}, a power law of the sample count through {@code a} and {@code b},
   * reaches {@code limit}; the exponent at least 1 (nothing a run does per sample gets cheaper with more).
   */
  static long solve(JsonNode a, JsonNode b, String field, double limit) {
    double n1 = a.path("samples").asDouble();
    double n2 = b.path("samples").asDouble();
    double y1 = a.path(field).asDouble();
    double y2 = b.path(field).asDouble();
    double exponent = Math.max(1, Math.log(y2 / y1) / Math.log(n2 / n1));
    return Math.round(n2 * Math.pow(limit / y2, 1 / exponent));
  }

  private static double median(List<JsonNode> runs, java.util.function.ToDoubleFunction<JsonNode> value) {
    return TrainBenchmarkCommand.median(runs.stream().map(value::applyAsDouble).toList());
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static void status(String message) {
    System.err.println("benchmark: " + message);
  }
}
