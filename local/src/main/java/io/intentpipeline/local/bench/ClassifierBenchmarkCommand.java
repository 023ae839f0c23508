package io.intentpipeline.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.local.cli.CliSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./pipeline benchmark classifier}: this pipeline's profiles against scikit-learn running
 * the original stack, on BANKING77, in the same run; prints one table with both sides and ratios.
 */
@Command(name = "classifier", description = {
    "Benchmarks the classifier on BANKING77 against scikit-learn (Debian's python3-sklearn) running",
    "the original stack (bench/sklearn_reference.py), side by side in the same run. Each side runs",
    "in its own process; fit time is the median of --runs runs (sklearn and the seed profile",
    "alternate; each seed run fits twice in one JVM: cold, then warm); the default profile is fitted",
    "once, cold. Exit codes: 0 ok (whether targets are met or",
    "not: see the table), 1 a side failed, 3 scikit-learn or the dataset is missing."})
final class ClassifierBenchmarkCommand implements Callable<Integer> {
  @Option(names = "--datasets", paramLabel = "DIR",
      description = "Folder holding banking77/ (default: -Ddatasets.dir, else ../shared/datasets next to the project)")
  Path datasets;

  @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with scikit-learn (default: ${DEFAULT-VALUE})")
  String python;

  @Option(names = "--runs", defaultValue = "3", description = "Fits per side for the fit-time median (default: ${DEFAULT-VALUE})")
  int runs;

  @Option(names = "--skip-default", description = "Do not fit the default profile (faster)")
  boolean skipDefault;

  @Override
  public Integer call() {
    return CliSupport.run("benchmark classifier", this::benchmark);
  }

  private int benchmark() throws Exception {
    Path root = projectRoot();
    Path data = (datasets != null ? datasets
        : System.getProperty("datasets.dir") != null ? Path.of(System.getProperty("datasets.dir"))
        : root.resolve("..").resolve("shared").resolve("datasets")).resolve("banking77").normalize();
    Path train = data.resolve("train.csv");
    Path test = data.resolve("test.csv");
    if (!Files.isRegularFile(train) || !Files.isRegularFile(test)) {
      throw new CliSupport.CliException(CliSupport.UNAVAILABLE, "BANKING77 not found in " + data
          + " (expected train.csv and test.csv); pass --datasets DIR");
    }
    Path script = root.resolve("bench").resolve("sklearn_reference.py");
    checkSklearn();
    Path work = Files.createTempDirectory("classifier-benchmark");
    try {
      List<JsonNode> sklearn = new ArrayList<>();
      List<JsonNode> seedFits = new ArrayList<>();
      Path seedModel = work.resolve("seed.model");
      for (int i = 0; i < Math.max(1, runs); i++) {
        status("run " + (i + 1) + "/" + runs + ": scikit-learn");
        sklearn.add(run(List.of(python, script.toString(), "--train", train.toString(), "--test", test.toString())));
        status("run " + (i + 1) + "/" + runs + ": seed profile");
        seedFits.add(java(TRAINING_JVM, "fit", "seed", train.toString(), test.toString(), seedModel.toString(), "2"));
      }
      status("seed profile: serving");
      JsonNode seedServe = java("-Xmx256m", "serve", seedModel.toString(), test.toString());
      JsonNode defaultFit = null;
      JsonNode defaultServe = null;
      if (!skipDefault) {
        Path defaultModel = work.resolve("default.model");
        status("default profile: fitting");
        defaultFit = java(TRAINING_JVM, "fit", "default", train.toString(), test.toString(), defaultModel.toString());
        status("default profile: serving");
        defaultServe = java("-Xmx256m", "serve", defaultModel.toString(), test.toString());
      }
      System.out.print(table(sklearn, seedFits, seedServe, defaultFit, defaultServe));
      return CliSupport.OK;
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void checkSklearn() {
    try {
      Process p = new ProcessBuilder(python, "-c", "import sklearn").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return;
      }
    } catch (IOException | InterruptedException e) {
      // reported below
    }
    throw new CliSupport.CliException(CliSupport.UNAVAILABLE, "scikit-learn is not available to " + python
        + ". Install it with: apt-get install -y python3-sklearn (then run again), or pass --python PATH");
  }

  private static void status(String message) {
    System.err.println("benchmark: " + message);
  }

  /** Training is a batch job: the throughput collector, as the train function should run it. */
  static final String TRAINING_JVM = "-Xmx1g -XX:+UseParallelGC";

  private JsonNode java(String flags, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(Arrays.asList(flags.split(" ")));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ClassifierBenchmarkWorker.class.getName()));
    command.addAll(Arrays.asList(args));
    return run(command);
  }

  private static JsonNode run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new CliSupport.CliException(CliSupport.FAILED, "benchmark side failed (exit " + p.exitValue() + "): "
          + String.join(" ", command.subList(0, Math.min(3, command.size()))) + " ...");
    }
    String[] lines = out.strip().split("\n");
    return Json.MAPPER.readTree(lines[lines.length - 1]);
  }

  static double median(List<JsonNode> runs, String field) {
    double[] v = runs.stream().mapToDouble(n -> n.get(field).asDouble()).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private String table(List<JsonNode> sklearn, List<JsonNode> seedFits, JsonNode seedServe, JsonNode defaultFit,
      JsonNode defaultServe) {
    JsonNode sk = sklearn.get(sklearn.size() - 1);
    JsonNode seed = seedFits.get(seedFits.size() - 1);
    double skFit = median(sklearn, "fit_seconds");
    double seedFit = median(seedFits, "fit_seconds");
    double seedWarm = median(seedFits, "fit_seconds_warm");
    StringBuilder t = new StringBuilder();
    t.append(String.format("%nBANKING77 (train %d, test %d), %s vs this pipeline (%s); fit: median of %d%n%n",
        sk.get("train_samples").asInt(), sk.get("test_samples").asInt(), sk.get("implementation").asText(),
        seedServe.get("jvm").asText(), sklearn.size()));
    t.append("| figure | scikit-learn (seed stack) | seed profile | seed / sklearn | default profile | default / sklearn |\n");
    t.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
    row(t, "accuracy", "%.4f", sk.get("accuracy").asDouble(), seed.get("accuracy").asDouble(),
        defaultFit == null ? Double.NaN : defaultFit.get("accuracy").asDouble());
    row(t, "macro F1", "%.4f", sk.get("f1_macro").asDouble(), seed.get("f1_macro").asDouble(),
        defaultFit == null ? Double.NaN : defaultFit.get("f1_macro").asDouble());
    row(t, "ECE (15 bins, top label)", "%.4f", sk.get("ece").asDouble(), seed.get("ece").asDouble(),
        defaultFit == null ? Double.NaN : defaultFit.get("ece").asDouble());
    row(t, "fit seconds, cold JVM (median)", "%.2f", skFit, seedFit,
        defaultFit == null ? Double.NaN : defaultFit.get("fit_seconds").asDouble());
    row(t, "fit seconds, warm JVM (median)", "%.2f", skFit, seedWarm, Double.NaN);
    row(t, "one prediction p50 (µs)", "%.1f", sk.get("predict_p50_us").asDouble(), seedServe.get("predict_p50_us").asDouble(),
        defaultServe == null ? Double.NaN : defaultServe.get("predict_p50_us").asDouble());
    row(t, "one prediction p99 (µs)", "%.1f", sk.get("predict_p99_us").asDouble(), seedServe.get("predict_p99_us").asDouble(),
        defaultServe == null ? Double.NaN : defaultServe.get("predict_p99_us").asDouble());
    row(t, "batch predictions / s", "%.0f", sk.get("batch_per_second").asDouble(), seedServe.get("batch_per_second").asDouble(),
        defaultServe == null ? Double.NaN : defaultServe.get("batch_per_second").asDouble());
    row(t, "model bytes", "%.0f", sk.get("model_bytes").asDouble(), seed.get("model_bytes").asDouble(),
        defaultFit == null ? Double.NaN : defaultFit.get("model_bytes").asDouble());
    row(t, "model load, cold JVM (ms)", "%.1f", Double.NaN, seedServe.get("load_ms").asDouble(),
        defaultServe == null ? Double.NaN : defaultServe.get("load_ms").asDouble());
    row(t, "heap after load (MB)", "%.1f", Double.NaN, seedServe.get("heap_after_load_mb").asDouble(),
        defaultServe == null ? Double.NaN : defaultServe.get("heap_after_load_mb").asDouble());
    row(t, "peak memory, training process (MB)", "%.0f", sk.get("peak_memory_mb").asDouble(),
        seed.get("peak_memory_mb").asDouble(), defaultFit == null ? Double.NaN : defaultFit.get("peak_memory_mb").asDouble());
    row(t, "peak memory, serving process (MB)", "%.0f", Double.NaN, seedServe.get("peak_memory_mb").asDouble(),
        defaultServe == null ? Double.NaN : defaultServe.get("peak_memory_mb").asDouble());
    t.append(String.format("%nfit seconds per run: scikit-learn %s; seed profile cold %s, warm %s%n", values(sklearn, "fit_seconds"),
        values(seedFits, "fit_seconds"), values(seedFits, "fit_seconds_warm")));
    t.append(String.format("scikit-learn fits in one process (one thread); this pipeline trains on %d threads (JVM: %s),"
        + " serves with -Xmx256m. The sklearn process's peak memory covers fit and prediction.%n%n",
        Runtime.getRuntime().availableProcessors(), TRAINING_JVM));
    t.append("targets:\n");
    double f1Gap = seed.get("f1_macro").asDouble() - sk.get("f1_macro").asDouble();
    target(t, "seed macro F1 within 0.01 of scikit-learn's", Math.abs(f1Gap) <= 0.01, String.format("%+.4f", f1Gap));
    target(t, "seed fit time at most half of scikit-learn's, cold JVM", seedFit <= skFit / 2,
        String.format("ratio %.2f", seedFit / skFit));
    target(t, "seed fit time at most half of scikit-learn's, warm JVM", seedWarm <= skFit / 2,
        String.format("ratio %.2f", seedWarm / skFit));
    if (defaultFit != null) {
      target(t, "default macro F1 and accuracy at least 0.915", defaultFit.get("f1_macro").asDouble() >= 0.915
          && defaultFit.get("accuracy").asDouble() >= 0.915, String.format("%.4f / %.4f",
          defaultFit.get("f1_macro").asDouble(), defaultFit.get("accuracy").asDouble()));
      target(t, "default ECE at most 0.03", defaultFit.get("ece").asDouble() <= 0.03,
          String.format("%.4f", defaultFit.get("ece").asDouble()));
      target(t, "default one prediction p50 <= 50 µs, p99 <= 200 µs",
          defaultServe.get("predict_p50_us").asDouble() <= 50 && defaultServe.get("predict_p99_us").asDouble() <= 200,
          String.format("%.1f / %.1f µs", defaultServe.get("predict_p50_us").asDouble(),
              defaultServe.get("predict_p99_us").asDouble()));
      target(t, "default model file <= 8 MB, load <= 100 ms", defaultFit.get("model_bytes").asDouble() <= 8 * 1048576
          && defaultServe.get("load_ms").asDouble() <= 100, String.format("%.2f MB, %.1f ms",
          defaultFit.get("model_bytes").asDouble() / 1048576, defaultServe.get("load_ms").asDouble()));
    }
    return t.toString();
  }

  private static String values(List<JsonNode> runs, String field) {
    return runs.stream().map(n -> String.format("%.2f", n.get(field).asDouble())).toList().toString();
  }

  private static void row(StringBuilder t, String name, String format, double sk, double seed, double dflt) {
    t.append("| ").append(name).append(" | ").append(cell(format, sk)).append(" | ").append(cell(format, seed))
        .append(" | ").append(ratio(seed, sk)).append(" | ").append(cell(format, dflt)).append(" | ")
        .append(ratio(dflt, sk)).append(" |\n");
  }

  private static String cell(String format, double v) {
    return Double.isNaN(v) ? "-" : String.format(format, v);
  }

  private static String ratio(double v, double reference) {
    if (Double.isNaN(v) || Double.isNaN(reference) || reference == 0) {
      return "-";
    }
    double r = v / reference;
    return r < 0.01 ? String.format("1/%.0f", 1 / r) : String.format("%.2f", r);
  }

  private static void target(StringBuilder t, String name, boolean met, String value) {
    t.append(String.format("  [%s] %s (%s)%n", met ? "met" : "NOT met", name, value));
  }

  /** The project's root: three levels above local/target/classes, where the launcher runs us from. */
  static Path projectRoot() {
    try {
      Path classes = Path.of(ClassifierBenchmarkCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path root = classes.getParent().getParent().getParent();
      if (Files.isDirectory(root.resolve("bench"))) {
        return root;
      }
    } catch (Exception e) {
      // fall through
    }
    return Path.of("").toAbsolutePath();
  }

}
