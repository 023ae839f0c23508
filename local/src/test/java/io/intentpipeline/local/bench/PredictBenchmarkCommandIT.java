package io.intentpipeline.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.dataset.JsonlFormat;
import io.intentpipeline.local.cli.Main;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.ml.Trainer;
import io.intentpipeline.ml.TrainingProfile;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./pipeline benchmark predict} end to end on a small model: fresh JVMs run the shaded
 * predict jar against the in-process S3Proxy, and the figures come out beside their targets.
 */
class PredictBenchmarkCommandIT {
  @TempDir
  Path dir;

  @Test
  void printsColdStartWarmLatencyAndHeapBesideTheirTargets() throws Exception {
    // Arrange
    Path datasets = Path.of(System.getProperty("datasets.dir", "../../shared/datasets"));
    Assumptions.assumeTrue(Files.isRegularFile(datasets.resolve("banking77/test.csv")),
        "BANKING77 is not in " + datasets + ": its test texts drive the warm requests");
    Assumptions.assumeTrue(Files.isRegularFile(Path.of("../functions/predict/target/lambda/predict-function.jar")),
        "the shaded predict jar is not built (mvn verify builds it before this module)");
    Path model = dir.resolve("small.model");
    try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
        getClass().getResourceAsStream("/ml/fixture-train.jsonl")), StandardCharsets.UTF_8))) {
      ModelCodec.write(new Trainer(TrainingProfile.DEFAULT).train(JsonlFormat.read(in), List.of(), 7).model(), model);
    }

    // Act
    String output = run("benchmark", "predict", "--model", model.toString(), "--runs", "5", "--requests", "500",
        "--warmup", "500", "--datasets", datasets.toString());

    // Assert
    assertThat(output).startsWith("0\n")
        .containsPattern("\\| cold start to first answer \\(ms, median\\) \\| \\d+ \\| <= 1000 \\| bare JVM start to main: \\d+ \\|")
        .containsPattern("\\| warm handler p50, event in, response out \\(µs\\) \\| [\\d.]+ \\| <= 100 \\|")
        .containsPattern("\\| heap used after load, after GC \\(MB\\) \\| [\\d.]+ \\| <= 64 \\|")
        .contains("| model bytes | " + Files.size(model) + " |")
        .containsPattern("\\[(met|NOT met)\\] cold start to first answer <= 1.0 s")
        .containsPattern("\\[(met|NOT met)\\] warm handler p50 <= 100 µs")
        .containsPattern("\\[(met|NOT met)\\] heap after load <= 64 MB")
        .containsPattern("cold starts \\(ms\\): \\[\\d+, \\d+, \\d+, \\d+, \\d+\\]");
  }

  @Test
  void badOptionsAreAUsageError() {
    assertThat(run("benchmark", "predict", "--runs", "3")).startsWith("2\n");
    assertThat(run("benchmark", "predict", "--requests", "many")).startsWith("2\n");
  }

  private static String run(String... args) {
    PrintStream original = System.out;
    var captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = Main.execute(args);
    } finally {
      System.setOut(original);
    }
    return exit + "\n" + captured.toString(StandardCharsets.UTF_8);
  }
}
