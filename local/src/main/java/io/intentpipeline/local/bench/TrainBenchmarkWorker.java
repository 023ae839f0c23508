package io.intentpipeline.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.S3Clients;
import io.intentpipeline.config.Env;
import io.intentpipeline.dataset.CsvFormat;
import io.intentpipeline.dataset.DatasetFiles;
import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.embedded.EmbeddedS3;
import io.intentpipeline.json.Json;
import io.intentpipeline.log.Log;
import io.intentpipeline.ml.Evaluation;
import io.intentpipeline.ml.Evaluator;
import io.intentpipeline.ml.IntentModel;
import io.intentpipeline.ml.Trainer;
import io.intentpipeline.pipeline.RunOptions;
import io.intentpipeline.pipeline.RunOutcome;
import io.intentpipeline.pipeline.TrainingPipeline;
import io.intentpipeline.pipeline.TrainingService;
import io.intentpipeline.pipeline.TrainingSettings;
import io.intentpipeline.pipeline.Trigger;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.S3ModelStore;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One side of {@code ./pipeline benchmark train}, in a JVM of its own started with the training
 * flags: {@code run JDBC_URL USER PASSWORD S3_ENDPOINT BUCKET} does one training run as the train
 * function would (through {@link TrainingService}, against the database and S3 server given);
 * {@code reference S3_ENDPOINT BUCKET RUN_ID} does only the ML core's part (train, evaluate) on
 * exactly that run's data: its dataset snapshot, in the same order and parts, so it gives the same
 * model and F1. For {@code --rows} and {@code --core}: {@code scale-run} (a run within the train
 * function's timeout) and {@code core} (the ML core alone on generated samples), both with the
 * {@link ResourceWatch} figures. Prints one JSON line.
 */
final class TrainBenchmarkWorker {
  private TrainBenchmarkWorker() {}

  public static void main(String[] args) throws Exception {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    ResourceWatch memory = ResourceWatch.start();
    Log.to(new PrintStream(OutputStream.nullOutputStream()));
    ObjectNode out = Json.MAPPER.createObjectNode();
    if (args[0].equals("scale-run")) {
      scaleRun(args, jvmStart, out);
      memory.report(out);
    } else if (args[0].equals("core")) {
      core(Path.of(args[1]), Integer.parseInt(args[2]), out);
      memory.report(out);
    } else if (args[0].equals("run")) {
      Env env = Env.of(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY,
          "AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY, "AWS_ENDPOINT_URL_S3", args[4]));
      var settings = new Database.Settings(args[1], args[2].isEmpty() ? null : args[2], args[3].isEmpty() ? null : args[3], 1);
      try (Database database = new Database(settings, "train-benchmark")) {
        S3ModelStore store = new S3ModelStore(S3Clients.create(AwsSettings.fromEnv(env)), args[5]);
        Clock clock = Clock.systemUTC();
        var pipeline = new TrainingPipeline(database, store, store, TrainingSettings.DEFAULTS, clock,
            TrainingPipeline.StageListener.NONE, Runtime.getRuntime().availableProcessors());
        TrainingService service = new TrainingService(database, pipeline, clock);
        long start = System.nanoTime();
        RunOutcome outcome = service.trigger(service.request(RunOptions.DEFAULTS, Trigger.CLI, Optional.empty(),
            Optional.empty()), TrainingPipeline.TimeBudget.UNLIMITED);
        double seconds = (System.nanoTime() - start) / 1e9;
        out.put("run_id", outcome.runId().toString());
        out.put("status", outcome.status());
        out.put("deployed", outcome.deployed());
        out.put("reason", outcome.reason());
        outcome.f1().ifPresentOrElse(v -> out.put("f1", v), () -> out.putNull("f1"));
        outcome.baselineF1().ifPresentOrElse(v -> out.put("baseline_f1", v), () -> out.putNull("baseline_f1"));
        out.set("stages", Json.MAPPER.valueToTree(outcome.stageSeconds()));
        out.put("run_seconds", outcome.durationSeconds());
        out.put("trigger_seconds", seconds);
      }
    } else {
      // The ML core alone on exactly the run's data: its dataset snapshot, in its order and parts.
      Env env = Env.of(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY,
          "AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY, "AWS_ENDPOINT_URL_S3", args[1]));
      long start = System.nanoTime();
      byte[] snapshot;
      try (var s3 = S3Clients.create(AwsSettings.fromEnv(env))) {
        snapshot = s3.getObjectAsBytes(b -> b.bucket(args[2]).key("datasets/" + args[3] + ".jsonl")).asByteArray();
      }
      Path file = Files.createTempFile("snapshot", ".jsonl");
      List<TrainingSample> samples;
      try {
        Files.write(file, snapshot);
        samples = DatasetFiles.read(file, new CsvFormat.Columns(null, null));
      } finally {
        Files.deleteIfExists(file);
      }
      List<String> parts = new String(snapshot, StandardCharsets.UTF_8).lines()
          .map(line -> Json.parseBody(line).path("split").asText()).toList();
      List<TrainingSample> train = new ArrayList<>();
      List<TrainingSample> validation = new ArrayList<>();
      List<TrainingSample> test = new ArrayList<>();
      for (int i = 0; i < samples.size(); i++) {
        (parts.get(i).equals("test") ? test : parts.get(i).equals("validation") ? validation : train).add(samples.get(i));
      }
      long trainStart = System.nanoTime();
      var model = new Trainer(TrainingSettings.DEFAULTS.profile(), Clock.systemUTC(), Runtime.getRuntime().availableProcessors())
          .train(train, validation, TrainingSettings.DEFAULTS.seed()).model();
      long evaluateStart = System.nanoTime();
      Evaluation evaluation = Evaluator.evaluate(model, test);
      long end = System.nanoTime();
      out.put("f1", evaluation.f1Macro());
      out.put("read_seconds", (trainStart - start) / 1e9);
      out.put("train_seconds", (evaluateStart - trainStart) / 1e9);
      out.put("evaluate_seconds", (end - evaluateStart) / 1e9);
      out.put("total_seconds", (end - trainStart) / 1e9);
      out.put("samples", samples.size());
    }
    out.put("jvm_seconds", (System.currentTimeMillis() - jvmStart) / 1e3);
    out.put("peak_heap_mb", ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed()).sum() / 1e6);
    System.out.println(Json.write(out));
  }

  /**
   * {@code scale-run JDBC_URL USER PASSWORD S3_ENDPOINT BUCKET TIMEOUT_SECONDS}: one run with the
   * default settings as the train function does it, its time budget the function's timeout from
   * this JVM's start; then what the run's JSON report says about its data.
   */
  private static void scaleRun(String[] args, long jvmStart, ObjectNode out) throws Exception {
    Env env = Env.of(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY, "AWS_ENDPOINT_URL_S3", args[4]));
    var settings = new Database.Settings(args[1], args[2].isEmpty() ? null : args[2], args[3].isEmpty() ? null : args[3], 1);
    Instant deadline = Instant.ofEpochMilli(jvmStart).plusSeconds(Long.parseLong(args[6]));
    try (Database database = new Database(settings, "train-benchmark");
         var s3 = S3Clients.create(AwsSettings.fromEnv(env))) {
      S3ModelStore store = new S3ModelStore(s3, args[5]);
      Clock clock = Clock.systemUTC();
      var pipeline = new TrainingPipeline(database, store, store, TrainingSettings.DEFAULTS, clock,
          TrainingPipeline.StageListener.NONE, Runtime.getRuntime().availableProcessors());
      TrainingService service = new TrainingService(database, pipeline, clock);
      RunOutcome outcome = service.trigger(service.request(RunOptions.DEFAULTS, Trigger.CLI, Optional.empty(),
          Optional.empty()), () -> Duration.between(Instant.now(), deadline));
      out.put("run_id", outcome.runId().toString());
      out.put("status", outcome.status());
      out.put("deployed", outcome.deployed());
      out.put("reason", outcome.reason());
      outcome.f1().ifPresentOrElse(v -> out.put("f1", v), () -> out.putNull("f1"));
      out.set("stages", Json.MAPPER.valueToTree(outcome.stageSeconds()));
      out.put("run_seconds", outcome.durationSeconds());
      if (outcome.completed()) {
        JsonNode report = Json.MAPPER.readTree(s3.getObjectAsBytes(b -> b.bucket(args[5])
            .key("reports/" + outcome.runId() + ".json")).asByteArray());
        out.set("dataset", report.path("dataset"));
        out.put("judged_on", report.path("judging").path("judged_on").asText());
        out.put("features", report.path("model").path("config").path("features").asInt());
      }
    }
  }

  /**
   * {@code core BANKING77_CSV SAMPLES}: the ML core alone on {@code SAMPLES} samples of the scale
   * data (as a run holds them after cleaning): a 70/15/15 split ({@link DatasetSplitter}), training with the
   * default profile, evaluation on the test part. The samples are in the heap throughout, as in a run.
   */
  private static void core(Path csv, int n, ObjectNode out) throws Exception {
    List<TrainingSample> samples = new ScaleData(DatasetFiles.read(csv, CsvFormat.Columns.auto()), ScaleData.SEED,
        Instant.now()).samples(n);
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    out.put("samples_heap_mib", (runtime.totalMemory() - runtime.freeMemory()) / (1024.0 * 1024));
    long start = System.nanoTime();
    DatasetSplitter.Split split = DatasetSplitter.split(samples, TrainingSettings.DEFAULTS.seed());
    long trainStart = System.nanoTime();
    IntentModel model = new Trainer(TrainingSettings.DEFAULTS.profile(), Clock.systemUTC(), runtime.availableProcessors())
        .train(split.train(), split.validation(), TrainingSettings.DEFAULTS.seed()).model();
    long evaluateStart = System.nanoTime();
    Evaluation evaluation = Evaluator.evaluate(model, split.test());
    long end = System.nanoTime();
    out.put("samples", samples.size());
    out.put("train", split.train().size());
    out.put("validation", split.validation().size());
    out.put("test", split.test().size());
    out.put("features", model.featureCount());
    out.put("f1", evaluation.f1Macro());
    out.put("split_seconds", (trainStart - start) / 1e9);
    out.put("train_seconds", (evaluateStart - trainStart) / 1e9);
    out.put("evaluate_seconds", (end - evaluateStart) / 1e9);
    out.put("total_seconds", (end - start) / 1e9);
  }
}
