package io.intentpipeline.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.S3Clients;
import io.intentpipeline.config.Env;
import io.intentpipeline.dataset.DatasetCleaner;
import io.intentpipeline.dataset.DatasetFiles;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.embedded.EmbeddedS3;
import io.intentpipeline.json.Json;
import io.intentpipeline.local.cli.CliSupport;
import io.intentpipeline.ml.IntentModel;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.ml.Trainer;
import io.intentpipeline.ml.TrainingProfile;
import io.intentpipeline.serving.S3ModelObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code ./pipeline benchmark predict}: the predict function's cold start (fresh JVM to first
 * answered prediction, model fetched from S3), warm handler latency, model bytes and heap after the
 * load, each beside its target and a reference measured in the same run.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, description = {
    "Cold start and warm latency of the predict function's shaded jar.",
    "Trains a BANKING77 model with the default profile (or takes --model), puts it in an S3Proxy",
    "in this process as models/intent_classifier_latest.model, then starts fresh JVMs with the flags",
    "of Lambda's Java runtime (-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC, heap",
    "85% of --memory) whose class path is the shaded jar and a probe class: each builds the handler",
    "as Lambda does (model from S3), invokes it with events/predict-get.json and prints; the time",
    "from process start to that line is the cold start. References",
    "in the same run: the same JVM printing at once (no handler), and the model's own predict.",
    "Exit codes: 0 ok (targets met or not: see the output), 1 a run failed, 3 jar or dataset missing."})
final class PredictBenchmarkCommand implements Callable<Integer> {
  static final double COLD_START_TARGET_MS = 1000;
  static final double WARM_P50_TARGET_US = 100;
  static final double HEAP_TARGET_MB = 64;

  @Option(names = "--runs", defaultValue = "7", description = "Fresh JVMs for the cold-start median (default: ${DEFAULT-VALUE}, at least 5)")
  int runs;

  @Option(names = "--requests", defaultValue = "20000", description = "Measured warm requests (default: ${DEFAULT-VALUE})")
  int requests;

  @Option(names = "--warmup", defaultValue = "20000", description = "Warm-up requests before measuring (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--memory", defaultValue = "256", description = "Function memory in MB; the heap is 85% of it (default: ${DEFAULT-VALUE})")
  int memory;

  @Option(names = "--model", paramLabel = "FILE", description = "Use this model file instead of training one on BANKING77")
  Path model;

  @Option(names = "--datasets", paramLabel = "DIR",
      description = "Folder holding banking77/ (default: -Ddatasets.dir, else ../shared/datasets next to the project)")
  Path datasets;

  @Override
  public Integer call() {
    if (runs < 5 || runs > 100 || requests < 100 || requests > 10_000_000 || warmup < 0 || warmup > 10_000_000
        || memory < 128 || memory > 10_240) {
      System.err.println("--runs must be 5..100, --requests 100..10000000, --warmup 0..10000000, --memory 128..10240");
      return CliSupport.BAD_INPUT;
    }
    return CliSupport.run("benchmark predict", this::benchmark);
  }

  private int benchmark() throws Exception {
    Path root = ClassifierBenchmarkCommand.projectRoot();
    Path jar = root.resolve("functions/predict/target/lambda/predict-function.jar");
    if (!Files.isRegularFile(jar)) {
      throw new CliSupport.CliException(CliSupport.UNAVAILABLE, "No " + jar
          + ": build it with mvn -B -q package -DskipTests -pl functions/predict -am");
    }
    Path data = (datasets != null ? datasets
        : System.getProperty("datasets.dir") != null ? Path.of(System.getProperty("datasets.dir"))
        : root.resolve("..").resolve("shared").resolve("datasets")).resolve("banking77").normalize();
    Path test = data.resolve("test.csv");
    if (!Files.isRegularFile(test) || (model == null && !Files.isRegularFile(data.resolve("train.csv")))) {
      throw new CliSupport.CliException(CliSupport.UNAVAILABLE, "BANKING77 not found in " + data
          + " (expected train.csv and test.csv); pass --datasets DIR");
    }
    Path work = Files.createTempDirectory("predict-benchmark");
    try (EmbeddedS3 s3Server = EmbeddedS3.inMemory(0)) {
      byte[] modelBytes = modelBytes(data);
      IntentModel loaded = ModelCodec.read(modelBytes);
      Path modelFile = work.resolve("model.model");
      Files.write(modelFile, modelBytes);
      Path texts = work.resolve("texts.txt");
      List<String> lines = new ArrayList<>();
      for (String text : DatasetFiles.readTexts(test, null)) {
        lines.add(text.replace('\n', ' ').replace('\r', ' '));
      }
      Files.write(texts, lines, StandardCharsets.UTF_8);
      Path event = root.resolve("events/predict-get.json");
      Path probeDir = probeClasses(work);

      Map<String, String> env = Map.of(
          "MODEL_BUCKET", "benchmark-models",
          "AWS_REGION", "us-east-1",
          "AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY,
          "AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY,
          "AWS_ENDPOINT_URL_S3", s3Server.endpoint().toString());
      try (S3Client s3 = S3Clients.create(AwsSettings.fromEnv(Env.of(env)))) {
        S3Clients.ensureBucket(s3, "benchmark-models");
        s3.putObject(b -> b.bucket("benchmark-models").key(S3ModelObject.LATEST_KEY), RequestBody.fromBytes(modelBytes));
      }
      String classPath = String.join(File.pathSeparator, jar.toString(), probeDir.toString());
      List<String> jvm = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
          "-Xmx" + (memory * 85 / 100) + "m");

      List<Double> bare = new ArrayList<>();
      List<Double> cold = new ArrayList<>();
      List<JsonNode> coldFigures = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        status("cold start " + (i + 1) + "/" + runs);
        bare.add(probe(jvm, classPath, env, List.of("noop")).millis());
        Probe run = probe(jvm, classPath, env, List.of("cold", event.toString()));
        if (run.figures().get("status").asInt() != 200) {
          throw new CliSupport.CliException(CliSupport.FAILED, "the first request answered "
              + run.figures().get("status").asInt() + " instead of 200");
        }
        cold.add(run.millis());
        coldFigures.add(run.figures());
      }
      status("warm latency: " + warmup + " warm-up + " + requests + " measured requests");
      JsonNode warm = probe(jvm, classPath, env, List.of("warm", event.toString(), texts.toString(),
          modelFile.toString(), Integer.toString(warmup), Integer.toString(requests))).figures();
      if (warm.get("ok").asInt() != warm.get("requests").asInt()) {
        throw new CliSupport.CliException(CliSupport.FAILED, (warm.get("requests").asInt() - warm.get("ok").asInt())
            + " warm requests did not answer 200");
      }
      System.out.print(report(jar, jvm, modelBytes.length, loaded, bare, cold, coldFigures, warm));
      return CliSupport.OK;
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private byte[] modelBytes(Path data) throws IOException {
    if (model != null) {
      return Files.readAllBytes(model);
    }
    status("training a BANKING77 model with the default profile (once; takes a while)");
    List<TrainingSample> samples = DatasetCleaner.clean(DatasetFiles.read(data.resolve("train.csv"),
        io.intentpipeline.dataset.CsvFormat.Columns.auto())).samples();
    IntentModel trained = new Trainer(TrainingProfile.DEFAULT).train(samples, List.of(), 42).model();
    return ModelCodec.write(trained);
  }

  private record Probe(double millis, JsonNode figures) {}

  /** Starts one fresh JVM and times it from its start to the line it prints. */
  private static Probe probe(List<String> jvm, String classPath, Map<String, String> env, List<String> args)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm);
    command.addAll(List.of("-cp", classPath, PredictProbe.class.getName()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().clear();
    builder.environment().putAll(env);
    long start = System.nanoTime();
    Process process = builder.start();
    List<String> output = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("PROBE ")) {
          double millis = (System.nanoTime() - start) / 1e6;
          JsonNode figures = Json.MAPPER.readTree(line.substring(6));
          out.transferTo(java.io.Writer.nullWriter());
          waitFor(process, command);
          return new Probe(millis, figures);
        }
        output.add(line);
      }
    }
    waitFor(process, command);
    throw new CliSupport.CliException(CliSupport.FAILED, "the probe JVM printed no result (exit "
        + process.exitValue() + "):\n" + String.join("\n", output));
  }

  private static void waitFor(Process process, List<String> command) throws InterruptedException {
    if (!process.waitFor(600, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new CliSupport.CliException(CliSupport.FAILED, "the probe JVM did not finish: " + command);
    }
  }

  /** Copies the probe's class file alone into a folder, so the child sees no other class of this module. */
  private static Path probeClasses(Path work) throws IOException {
    String name = PredictProbe.class.getName().replace('.', '/') + ".class";
    Path file = work.resolve("probe").resolve(name);
    Files.createDirectories(file.getParent());
    try (var in = PredictProbe.class.getClassLoader().getResourceAsStream(name)) {
      Files.write(file, in.readAllBytes());
    }
    return work.resolve("probe");
  }

  private static void status(String message) {
    System.err.println("benchmark: " + message);
  }

  private String report(Path jar, List<String> jvm, int modelBytes, IntentModel loaded, List<Double> bare,
      List<Double> cold, List<JsonNode> coldFigures, JsonNode warm) throws IOException {
    double coldMedian = median(cold);
    double bareMedian = median(bare);
    double construct = median(coldFigures.stream().map(f -> f.get("construct_ms").asDouble()).toList());
    double first = median(coldFigures.stream().map(f -> f.get("first_request_ms").asDouble()).toList());
    double p50 = warm.get("handler_p50_us").asDouble();
    double p99 = warm.get("handler_p99_us").asDouble();
    double heap = warm.get("heap_after_load_mb").asDouble();
    StringBuilder t = new StringBuilder();
    t.append(String.format("%npredict benchmark: BANKING77 model (%d intents, %d features, %s), jar %.1f MB, JVM %s %s, %d CPUs%n",
        loaded.intents().size(), loaded.featureCount(), loaded.metadata().profile(), Files.size(jar) / 1048576.0,
        System.getProperty("java.vm.version"), String.join(" ", jvm), Runtime.getRuntime().availableProcessors()));
    t.append(String.format("S3: S3Proxy in the benchmark process (plain HTTP on 127.0.0.1); cold start: median of %d fresh JVMs%n%n",
        cold.size()));
    t.append("| figure | measured | target | reference (same run) |\n| --- | ---: | ---: | --- |\n");
    t.append(String.format("| cold start to first answer (ms, median) | %.0f | <= %.0f | bare JVM start to main: %.0f |%n",
        coldMedian, COLD_START_TARGET_MS, bareMedian));
    t.append(String.format("| - of which handler construction, model from S3 (ms) | %.0f | | |%n", construct));
    t.append(String.format("| - of which first request, event bytes in, response bytes out (ms) | %.0f | | |%n", first));
    t.append(String.format("| warm handler p50, event in, response out (µs) | %.1f | <= %.0f | model.predict alone: %.1f |%n",
        p50, WARM_P50_TARGET_US, warm.get("model_p50_us").asDouble()));
    t.append(String.format("| warm handler p99 (µs) | %.1f | | model.predict alone: %.1f |%n", p99,
        warm.get("model_p99_us").asDouble()));
    t.append(String.format("| model bytes | %d | | |%n", modelBytes));
    t.append(String.format("| heap used after load, after GC (MB) | %.1f | <= %.0f | before the handler: %.1f |%n",
        heap, HEAP_TARGET_MB, warm.get("heap_before_mb").asDouble()));
    t.append(String.format("%ncold starts (ms): %s; bare JVM (ms): %s%n", values(cold), values(bare)));
    t.append(String.format("warm: %d requests after %d warm-up, half GET, half POST (events of ~%d bytes), BANKING77 test"
        + " texts, top_k 3; heap limit %.0f MB%n%n", warm.get("requests").asInt(), warmup, warm.get("event_bytes").asInt(),
        warm.get("max_heap_mb").asDouble()));
    t.append("targets:\n");
    target(t, "cold start to first answer <= 1.0 s", coldMedian <= COLD_START_TARGET_MS, String.format("%.0f ms", coldMedian));
    target(t, "warm handler p50 <= 100 µs", p50 <= WARM_P50_TARGET_US, String.format("%.1f µs", p50));
    target(t, "heap after load <= 64 MB", heap <= HEAP_TARGET_MB, String.format("%.1f MB", heap));
    return t.toString();
  }

  private static String values(List<Double> values) {
    return values.stream().map(v -> String.format("%.0f", v)).toList().toString();
  }

  static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static void target(StringBuilder t, String name, boolean met, String value) {
    t.append(String.format("  [%s] %s (%s)%n", met ? "met" : "NOT met", name, value));
  }
}
