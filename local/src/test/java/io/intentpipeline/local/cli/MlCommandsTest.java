package io.intentpipeline.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline ML commands end to end through Main, on the handmade fixture of the shared tests. */
class MlCommandsTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream savedOut;
  private PrintStream savedErr;

  @BeforeEach
  void capture() {
    savedOut = System.out;
    savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(savedOut);
    System.setErr(savedErr);
  }

  private Path fixture(String name) throws IOException {
    Path file = dir.resolve(name);
    try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/ml/" + name), name)) {
      Files.copy(in, file);
    }
    return file;
  }

  @Test
  void trainEvaluateAndPredictWorkTogether() throws Exception {
    // Arrange
    Path train = fixture("fixture-train.jsonl");
    Path test = fixture("fixture-test.jsonl");
    Path model = dir.resolve("out/model.bin");
    Path metrics = dir.resolve("out/metrics.json");
    Path evaluation = dir.resolve("evaluation.json");
    Path predictions = dir.resolve("predictions.jsonl");

    // Act
    int trained = Main.execute("train", "--data", train.toString(), "--test", test.toString(), "--profile", "seed",
        "--model-out", model.toString(), "--metrics-out", metrics.toString());
    int evaluated = Main.execute("evaluate", "--model", model.toString(), "--data", test.toString(),
        "--metrics-out", evaluation.toString());
    int predictedOne = Main.execute("predict", "--model", model.toString(), "--text", "my card has not arrived");
    int predictedAll = Main.execute("predict", "--model", model.toString(), "--data", test.toString(),
        "--out", predictions.toString(), "--top", "2");

    // Assert
    assertThat(List.of(trained, evaluated, predictedOne, predictedAll)).containsOnly(0);
    JsonNode m = Json.MAPPER.readTree(metrics.toFile());
    assertThat(m.fieldNames()).toIterable().contains("accuracy", "f1_macro", "precision_macro", "recall_macro", "ece",
        "fit_seconds", "model_bytes", "intents", "train_samples", "test_samples", "per_intent");
    assertThat(m.get("accuracy").asDouble()).isGreaterThanOrEqualTo(0.8);
    assertThat(m.get("model_bytes").asLong()).isEqualTo(Files.size(model));
    assertThat(m.get("test_samples").asInt()).isEqualTo(18);
    assertThat(Json.MAPPER.readTree(evaluation.toFile()).get("accuracy").asDouble())
        .isEqualTo(m.get("accuracy").asDouble());
    List<String> lines = Files.readAllLines(predictions);
    assertThat(lines).hasSize(18);
    JsonNode first = Json.MAPPER.readTree(lines.get(0));
    assertThat(first.get("top_intents")).hasSize(2);
    assertThat(first.get("confidence").asDouble()).isBetween(0.0, 1.0);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains("{\"intent\":\"card_arrival\",\"confidence\":");
    // Every line says what to do; clarify names the two intents, the others name none
    for (String line : lines) {
      JsonNode p = Json.MAPPER.readTree(line);
      assertThat(p.get("action").asText()).isIn("answer", "clarify", "escalate");
      assertThat(p.has("clarify_intents")).isEqualTo("clarify".equals(p.get("action").asText()));
    }
    assertThat(m.get("answer_policy").get("held_out_samples").asInt()).isPositive();
    assertThat(m.get("answer_policy").get("target_accuracy").asDouble()).isEqualTo(0.97);
    assertThat(m.get("actions").get("in_scope_samples").asInt()).isEqualTo(18);
  }

  @Test
  void predictTakesARequestsOwnThresholdAndRefusesOneOutsideZeroToOne() throws Exception {
    // Arrange
    Path model = dir.resolve("model.bin");
    assertThat(Main.execute("train", "--data", fixture("fixture-train.jsonl").toString(), "--test",
        fixture("fixture-test.jsonl").toString(), "--model-out", model.toString())).isZero();
    out.reset();

    // Act
    int never = Main.execute("predict", "--model", model.toString(), "--text", "my card has not arrived",
        "--min-confidence", "1");
    String strict = out.toString(StandardCharsets.UTF_8);
    out.reset();
    int always = Main.execute("predict", "--model", model.toString(), "--text", "my card has not arrived",
        "--min-confidence", "0");
    String lenient = out.toString(StandardCharsets.UTF_8);
    int bad = Main.execute("predict", "--model", model.toString(), "--text", "hi", "--min-confidence", "1.5");

    // Assert
    assertThat(List.of(never, always)).containsOnly(0);
    assertThat(Json.MAPPER.readTree(strict).get("action").asText()).isIn("clarify", "escalate");
    assertThat(Json.MAPPER.readTree(lenient).get("action").asText()).isEqualTo("answer");
    assertThat(bad).isEqualTo(2);
  }

  @Test
  void trainWithoutTestSplitsTheData() throws Exception {
    // Arrange
    Path train = fixture("fixture-train.jsonl");
    Path metrics = dir.resolve("metrics.json");

    // Act
    int code = Main.execute("train", "--data", train.toString(), "--model-out", dir.resolve("m.bin").toString(),
        "--metrics-out", metrics.toString());

    // Assert: 72 samples, 12 per intent: 2 validation and 2 test each.
    assertThat(code).isZero();
    JsonNode m = Json.MAPPER.readTree(metrics.toFile());
    assertThat(m.get("test_samples").asInt()).isEqualTo(12);
    assertThat(m.get("validation_samples").asInt()).isEqualTo(12);
    assertThat(m.get("train_samples").asInt()).isEqualTo(48);
  }

  @Test
  void aBadFileIsReportedWithItsLineAndExitCode2() throws Exception {
    // Arrange
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"user_message\": \"hi\", \"intent\": \"greeting\"}\n{\"user_message\": \"x\"}\n");
    Path notAModel = dir.resolve("model.bin");
    Files.writeString(notAModel, "hello");

    // Act
    int badData = Main.execute("train", "--data", bad.toString(), "--model-out", dir.resolve("m").toString());
    int badModel = Main.execute("predict", "--model", notAModel.toString(), "--text", "hi");
    int badProfile = Main.execute("train", "--data", bad.toString(), "--profile", "fancy");
    int missing = Main.execute("evaluate", "--model", notAModel.toString(), "--data", dir.resolve("none.csv").toString());
    int usage = Main.execute("predict", "--model", notAModel.toString());

    // Assert
    assertThat(List.of(badData, badModel, badProfile, missing, usage)).containsOnly(2);
    String errors = err.toString(StandardCharsets.UTF_8);
    assertThat(errors).contains("bad.jsonl: line 2: field 'intent' is missing or empty");
    assertThat(errors).contains("not a model file");
    assertThat(errors).contains("unknown profile 'fancy'");
  }

  @Test
  void theBenchmarkSaysHowToInstallScikitLearnAndExits3() throws Exception {
    // Arrange: a datasets folder with the two files, and a Python that does not exist.
    Path banking = Files.createDirectories(dir.resolve("datasets/banking77"));
    Files.writeString(banking.resolve("train.csv"), "text,category\nhi,greeting\n");
    Files.writeString(banking.resolve("test.csv"), "text,category\nhi,greeting\n");

    // Act
    int code = Main.execute("benchmark", "classifier", "--datasets", dir.resolve("datasets").toString(),
        "--python", dir.resolve("no-python").toString());
    int noData = Main.execute("benchmark", "classifier", "--datasets", dir.resolve("nowhere").toString());

    // Assert
    assertThat(code).isEqualTo(3);
    assertThat(noData).isEqualTo(3);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("apt-get install -y python3-sklearn", "BANKING77 not found");
  }
}
