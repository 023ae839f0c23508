package io.intentpipeline.local.bench;

import io.intentpipeline.dataset.CsvFormat;
import io.intentpipeline.dataset.DatasetFiles;
import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.json.Json;
import io.intentpipeline.ml.Evaluation;
import io.intentpipeline.ml.Evaluator;
import io.intentpipeline.ml.IntentModel;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.ml.Trainer;
import io.intentpipeline.ml.TrainingProfile;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One side of the classifier benchmark, run in its own JVM so that its memory and cold start are
 * its own. {@code fit PROFILE TRAIN TEST MODEL [FITS]}: trains as {@code ./pipeline train --test}
 * does (no cleaning, so both sides see the same rows) FITS times in this JVM, and prints quality,
 * the first (cold JVM) fit's seconds and the last (warm JVM) fit's seconds.
 * {@code serve MODEL TEST}: loads the model first thing (cold), then measures one prediction's
 * latency and batch throughput. Both print one JSON object.
 */
final class ClassifierBenchmarkWorker {
  private ClassifierBenchmarkWorker() {}

  public static void main(String[] args) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    if (args[0].equals("fit")) {
      TrainingProfile profile = TrainingProfile.named(args[1]);
      List<TrainingSample> train = DatasetFiles.read(Path.of(args[2]), CsvFormat.Columns.auto());
      List<TrainingSample> test = DatasetFiles.read(Path.of(args[3]), CsvFormat.Columns.auto());
      int fits = args.length > 5 ? Integer.parseInt(args[5]) : 1;
      Trainer.Result result = null;
      double[] seconds = new double[fits];
      for (int i = 0; i < fits; i++) {
        long start = System.nanoTime();
        DatasetSplitter.Split split = DatasetSplitter.split(train, 0.15, 0.0, 42);
        result = new Trainer(profile).train(split.train(), split.validation(), 42);
        seconds[i] = (System.nanoTime() - start) / 1e9;
      }
      Evaluation evaluation = Evaluator.evaluate(result.model(), test);
      long bytes = ModelCodec.write(result.model(), Path.of(args[4]));
      out.put("accuracy", evaluation.accuracy());
      out.put("f1_macro", evaluation.f1Macro());
      out.put("ece", evaluation.ece());
      out.put("fit_seconds", seconds[0]);
      out.put("fit_seconds_warm", fits > 1 ? seconds[fits - 1] : seconds[0]);
      out.put("model_bytes", bytes);
      out.put("c", result.chosenC());
    } else {
      long start = System.nanoTime();
      IntentModel model = ModelCodec.read(Path.of(args[1]));
      double loadMs = (System.nanoTime() - start) / 1e6;
      System.gc();
      Runtime runtime = Runtime.getRuntime();
      double heapMb = (runtime.totalMemory() - runtime.freeMemory()) / 1048576.0;
      List<String> texts = DatasetFiles.readTexts(Path.of(args[2]), null);
      for (int i = 0; i < 30_000; i++) {
        model.predict(texts.get(i % texts.size()), 3);
      }
      long[] latency = new long[20_000];
      for (int i = 0; i < latency.length; i++) {
        String text = texts.get((i * 7) % texts.size());
        long t0 = System.nanoTime();
        model.predict(text, 3);
        latency[i] = System.nanoTime() - t0;
      }
      Arrays.sort(latency);
      long batchStart = System.nanoTime();
      for (String text : texts) {
        model.predict(text, 3);
      }
      double batchSeconds = (System.nanoTime() - batchStart) / 1e9;
      out.put("load_ms", loadMs);
      out.put("heap_after_load_mb", heapMb);
      out.put("predict_p50_us", latency[latency.length / 2] / 1e3);
      out.put("predict_p99_us", latency[latency.length * 99 / 100] / 1e3);
      out.put("batch_per_second", texts.size() / batchSeconds);
    }
    out.put("peak_memory_mb", peakRssMb());
    out.put("jvm", ManagementFactory.getRuntimeMXBean().getVmVersion());
    System.out.println(Json.write(out));
  }

  /** The process's peak resident memory (VmHWM), or -1 where /proc is not there. */
  static double peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
  }
}
