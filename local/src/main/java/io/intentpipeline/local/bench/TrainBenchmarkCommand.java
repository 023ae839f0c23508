package io.intentpipeline.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.S3Clients;
import io.intentpipeline.config.Env;
import io.intentpipeline.dataset.CsvFormat;
import io.intentpipeline.dataset.DatasetFiles;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.embedded.EmbeddedS3;
import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.json.Json;
import io.intentpipeline.local.cli.CliSupport;
import io.intentpipeline.local.cli.ProjectRoot;
import io.intentpipeline.local.stack.FunctionLimits;
import io.intentpipeline.local.stack.TemplateException;
import io.intentpipeline.pipeline.TrainingPipeline;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.Migrations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code ./pipeline benchmark train}: one training run over BANKING77-sized data, end to end, as
 * the train function does it, with the time of each stage; beside it, the ML core alone training and
 * evaluating the run's own split in the same kind of JVM (the part of a run no pipeline work can avoid).
 */
@Command(name = "train", mixinStandardHelpOptions = true, description = {
    "One training run end to end over BANKING77's training set (10,003 texts, 77 intents) loaded into a",
    "fresh database (dropped afterwards), with S3 in-process (S3Proxy): fetch, clean, train, evaluate,",
    "deploy, record, each timed. Every run is a fresh JVM (as a Lambda cold start), started with",
    "--jvm flags; the first run deploys the first model, later ones evaluate it as their baseline.",
    "Reference, after each run: the ML core alone training and evaluating that run's own split (read from",
    "its dataset snapshot) in a fresh JVM with the same flags; it must reach the same F1. Target: one run",
    "under 60 s.",
    "Scale (--rows, --core): for each --rows size a fresh database holding that many generated rows",
    "(BANKING77 texts varied, 10 %% human-verified), then --runs runs with the default settings, each in a",
    "fresh JVM with the train function's flags from template.yaml (heap 85 %% of --memory, JAVA_TOOL_OPTIONS)",
    "and its timeout as time budget; for each --core size the ML core alone on that many samples; then the",
    "largest dataset a run can take. Time, CPU, peak heap (pools and after GC), peak RSS per size.",
    "Exit codes: 0 ok (targets met or not), 1 a run failed, 3 PostgreSQL or the dataset is missing."})
final class TrainBenchmarkCommand implements Callable<Integer> {
  @Option(names = "--datasets", paramLabel = "DIR",
      description = "Folder holding banking77/ (default: -Ddatasets.dir, else ../shared/datasets next to the project)")
  Path datasets;

  @Option(names = "--runs", paramLabel = "N",
      description = "Training runs, each in a fresh JVM (default: 3; with --rows: 1 per size)")
  Integer runs;

  @Option(names = "--jvm", paramLabel = "FLAGS", description = "Flags of the runs' JVMs (default: "
      + ClassifierBenchmarkCommand.TRAINING_JVM + "; with --rows or --core: the train function's)")
  String jvm;

  @Option(names = "--rows", split = ",", paramLabel = "N[,N...]",
      description = "Scale: rows of ai_training_data, one fresh database per size (e.g. 10000,100000,1000000)")
  List<Integer> rows = List.of();

  @Option(names = "--core", split = ",", paramLabel = "N[,N...]",
      description = "Scale: sample counts for the ML core alone (e.g. 10000,50000,100000,200000)")
  List<Integer> core = List.of();

  @Option(names = "--memory", paramLabel = "MB",
      description = "Scale: the function's memory, the heap 85 %% of it (default: TrainFunction's MemorySize in template.yaml)")
  Integer memory;

  /** The train function's logical id in template.yaml. */
  static final String TRAIN_FUNCTION = "TrainFunction";

  /** The target of issue 4: a run fits a Lambda comfortably. */
  static final double TARGET_SECONDS = 60;

  @Override
  public Integer call() {
    return CliSupport.run("benchmark train", this::benchmark);
  }

  private int benchmark() throws Exception {
    int runs = this.runs != null ? this.runs : rows.isEmpty() && core.isEmpty() ? 3 : 1;
    if (runs < 1 || runs > 20) {
      throw new CliSupport.CliException(CliSupport.BAD_INPUT, "--runs must be between 1 and 20");
    }
    Path csv = dataset();
    List<TrainingSample> samples = CliSupport.readSamples(csv, new CliSupport.Columns());
    if (!rows.isEmpty() || !core.isEmpty()) {
      return scale(runs, csv, samples);
    }
    String jvm = this.jvm != null ? this.jvm : ClassifierBenchmarkCommand.TRAINING_JVM;
    FreshDatabase fresh;
    try {
      fresh = PostgresServer.shared().createDatabase("trainbench");
    } catch (IllegalStateException e) {
      throw new CliSupport.CliException(CliSupport.UNAVAILABLE, "PostgreSQL is unavailable: " + e.getMessage());
    }
    try (fresh; EmbeddedS3 s3Server = EmbeddedS3.inMemory(0)) {
      var settings = new Database.Settings(fresh.jdbcUrl(), fresh.user(), fresh.password(), 1);
      Migrations.migrate(settings);
      status("loading " + samples.size() + " samples into a fresh database");
      load(fresh, samples);
      Env env = Env.of(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY,
          "AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY, "AWS_ENDPOINT_URL_S3", s3Server.endpoint().toString()));
      String bucket = "train-benchmark";
      try (S3Client s3 = S3Clients.create(AwsSettings.fromEnv(env))) {
        S3Clients.ensureBucket(s3, bucket);
      }
      List<JsonNode> results = new ArrayList<>();
      List<JsonNode> references = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        status("run " + (i + 1) + "/" + runs + ": training run");
        JsonNode run = worker(jvm, "run", fresh.jdbcUrl(), nullToEmpty(fresh.user()), nullToEmpty(fresh.password()),
            s3Server.endpoint().toString(), bucket);
        if (!"completed".equals(run.path("status").asText())) {
          throw new CliSupport.CliException(CliSupport.FAILED, "run " + (i + 1) + " " + run.path("status").asText()
              + ": " + run.path("reason").asText());
        }
        results.add(run);
        status("run " + (i + 1) + "/" + runs + ": reference (ML core alone)");
        references.add(worker(jvm, "reference", s3Server.endpoint().toString(), bucket, run.path("run_id").asText()));
      }
      System.out.print(table(samples.size(), jvm, results, references));
      return CliSupport.OK;
    }
  }

  private Path dataset() {
    Path root = Path.of("").toAbsolutePath();
    for (Path p = root; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("template.yaml")) && Files.isDirectory(p.resolve("events"))) {
        root = p;
        break;
      }
    }
    Path dir = (datasets != null ? datasets
        : System.getProperty("datasets.dir") != null ? Path.of(System.getProperty("datasets.dir"))
        : root.resolve("..").resolve("shared").resolve("datasets")).resolve("banking77").normalize();
    Path csv = dir.resolve("train.csv");
    if (!Files.isRegularFile(csv)) {
      throw new CliSupport.CliException(CliSupport.UNAVAILABLE, "BANKING77 not found: " + csv + " is missing; pass --datasets DIR");
    }
    return csv;
  }

  /** The samples as live interactions the bot labelled, stored in one statement. */
  private static void load(FreshDatabase fresh, List<TrainingSample> samples) throws SQLException {
    try (Connection c = fresh.connect()) {
      String[] ids = new String[samples.size()];
      String[] messages = new String[samples.size()];
      String[] intents = new String[samples.size()];
      for (int i = 0; i < samples.size(); i++) {
        ids[i] = "banking77-" + i;
        messages[i] = samples.get(i).userMessage();
        intents[i] = samples.get(i).intent();
      }
      Array a = c.createArrayOf("text", ids);
      Array b = c.createArrayOf("text", messages);
      Array d = c.createArrayOf("text", intents);
      try (PreparedStatement s = c.prepareStatement("INSERT INTO ai_training_data (interaction_id, user_message,"
          + " detected_intent, confidence_score) SELECT t.i, t.m, t.d, 90 FROM unnest(?::text[], ?::text[], ?::text[])"
          + " AS t(i, m, d)")) {
        s.setArray(1, a);
        s.setArray(2, b);
        s.setArray(3, d);
        s.executeUpdate();
      }
      try (var s = c.createStatement()) {
        s.execute("VACUUM ANALYZE ai_training_data");
      }
    }
  }

  /** {@code --rows} and {@code --core}: the scale benchmark with the train function's limits. */
  private int scale(int runs, Path csv, List<TrainingSample> base) throws Exception {
    int most = ScaleData.maxRows(base.size());
    if (rows.stream().anyMatch(n -> n < 1000 || n > Math.min(most, 10_000_000))
        || core.stream().anyMatch(n -> n < 1000 || n > most)) {
      throw new CliSupport.CliException(CliSupport.BAD_INPUT, "--rows and --core sizes must be between 1000 and "
          + Math.min(most, 10_000_000));
    }
    FunctionLimits limits;
    try {
      limits = FunctionLimits.of(ProjectRoot.find().resolve("template.yaml"), TRAIN_FUNCTION);
    } catch (TemplateException e) {
      throw new CliSupport.CliException(CliSupport.UNAVAILABLE, e.getMessage());
    }
    int memoryMb = memory != null ? memory : limits.memoryMb();
    if (memoryMb < 128 || memoryMb > 10_240) {
      throw new CliSupport.CliException(CliSupport.BAD_INPUT, "--memory must be between 128 and 10240 (Lambda's range)");
    }
    String flags = jvm != null ? jvm : limits.jvmFlags(memoryMb);
    TrainScaleBenchmark.Report report = new TrainScaleBenchmark(limits, memoryMb, flags, runs, csv, this::worker)
        .measure(rows, core, base);
    System.out.print(report.text());
    return report.allCompleted() ? CliSupport.OK : CliSupport.FAILED;
  }

  private JsonNode worker(String jvm, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(Arrays.asList(jvm.trim().split("\\s+")));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), TrainBenchmarkWorker.class.getName()));
    command.addAll(Arrays.asList(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new CliSupport.CliException(CliSupport.FAILED, "the benchmark's " + args[0] + " JVM failed (exit "
          + p.exitValue() + ")");
    }
    String[] lines = out.strip().split("\n");
    return Json.MAPPER.readTree(lines[lines.length - 1]);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static void status(String message) {
    System.err.println("benchmark: " + message);
  }

  static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String table(int samples, String jvm, List<JsonNode> results, List<JsonNode> references) {
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "%ntraining run over BANKING77 train.csv (%d samples), %d run(s), each a fresh JVM"
        + " (%s), %d CPUs, Java %s%n%n", samples, results.size(), jvm, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version")));
    t.append("| run | baseline | ");
    TrainingPipeline.STAGES.forEach(s -> t.append(s).append(" s | "));
    t.append("run s | JVM s | F1 | deployed | reference: train + evaluate s | reference F1 |\n|");
    t.append(" --- |".repeat(2)).append(" ---: |".repeat(TrainingPipeline.STAGES.size() + 3)).append(" --- | ---: | ---: |\n");
    for (int i = 0; i < results.size(); i++) {
      JsonNode r = results.get(i);
      t.append("| ").append(i + 1).append(" | ").append(r.path("baseline_f1").isNumber() ? "yes" : "none (first)").append(" | ");
      for (String stage : TrainingPipeline.STAGES) {
        t.append(String.format(Locale.ROOT, "%.2f", r.path("stages").path(stage).asDouble())).append(" | ");
      }
      t.append(String.format(Locale.ROOT, "%.2f | %.2f | %.4f | %s | %.2f | %.4f |%n", r.path("run_seconds").asDouble(),
          r.path("jvm_seconds").asDouble(), r.path("f1").asDouble(), r.path("deployed").asBoolean(),
          references.get(i).path("total_seconds").asDouble(), references.get(i).path("f1").asDouble()));
    }
    List<Double> runSeconds = results.stream().map(r -> r.path("run_seconds").asDouble()).toList();
    List<Double> jvmSeconds = results.stream().map(r -> r.path("jvm_seconds").asDouble()).toList();
    List<Double> referenceSeconds = references.stream().map(r -> r.path("total_seconds").asDouble()).toList();
    double medianRun = median(runSeconds);
    double medianJvm = median(jvmSeconds);
    t.append(String.format(Locale.ROOT, "%nmedian of %d: run %.2f s, whole JVM (start-up included) %.2f s; reference"
        + " (the ML core alone training and evaluating the run's own split, fresh JVM) %.2f s; run / reference %.2f%n",
        results.size(), medianRun, medianJvm, median(referenceSeconds), medianRun / median(referenceSeconds)));
    StringBuilder stages = new StringBuilder();
    for (String stage : TrainingPipeline.STAGES) {
      stages.append(String.format(Locale.ROOT, "%s %.2f, ", stage,
          median(results.stream().map(r -> r.path("stages").path(stage).asDouble()).toList())));
    }
    t.append("median per stage (s): ").append(stages, 0, stages.length() - 2).append('\n');
    t.append(String.format(Locale.ROOT, "peak heap of a run: %.0f MB%n", median(results.stream()
        .map(r -> r.path("peak_heap_mb").asDouble()).toList())));
    double worst = jvmSeconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    t.append(String.format(Locale.ROOT, "%ntarget:%n  [%s] one run end to end under %.0f s (slowest whole JVM %.2f s,"
        + " median run %.2f s)%n", worst < TARGET_SECONDS ? "met" : "NOT met", TARGET_SECONDS, worst, medianRun));
    return t.toString();
  }
}
