package io.intentpipeline.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.dataset.DatasetFiles;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.json.Json;
import io.intentpipeline.local.cli.demo.DemoDataset;
import io.intentpipeline.ml.Evaluation;
import io.intentpipeline.ml.Evaluator;
import io.intentpipeline.ml.ModelCodec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./pipeline simulate} on the sample dataset, two days, as its users read its output. */
class SimulateCommandIT {

  @Test
  void replaysTheCorpusDayByDayAndScoresEachDeployedModelOnTheGoldFile(@TempDir Path dir) throws Exception {
    // Arrange: the sample dataset, every fifth message of each intent held out as the gold test file.
    Path train = dir.resolve("train.jsonl");
    Path test = dir.resolve("test.jsonl");
    Map<String, Integer> seen = new HashMap<>();
    StringBuilder trainText = new StringBuilder();
    StringBuilder testText = new StringBuilder();
    for (List<TrainingSample> language : DemoDataset.load().values()) {
      for (TrainingSample s : language) {
        int n = seen.merge(s.intent(), 1, Integer::sum);
        (n % 5 == 0 ? testText : trainText).append(Json.write(Map.of("user_message", s.userMessage(), "intent", s.intent())))
            .append('\n');
      }
    }
    Files.writeString(train, trainText);
    Files.writeString(test, testText);
    Path out = dir.resolve("out");
    Path stackDir = dir.resolve("stack");
    var printed = new StringWriter();
    long start = System.nanoTime();

    // Act
    int exit;
    try (FreshDatabase database = PostgresServer.shared().createDatabase("simulate")) {
      exit = new CommandLine(new Main()).setOut(new PrintWriter(printed, true)).execute("simulate",
          "--train", train.toString(), "--test", test.toString(), "--days", "2", "--seed-share", "0.2",
          "--review-share", "0.25", "--strategy", "lowest_confidence", "--out", out.toString(),
          "--database-name", database.name(), "--data-dir", stackDir.toString());
    }
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    String text = printed.toString();

    // Assert: the file's shape and values.
    assertThat(exit).as(text).isZero();
    assertThat(seconds).as("the simulation's duration").isLessThan(90);
    JsonNode json = Json.MAPPER.readTree(out.resolve("simulation.json").toFile());
    assertThat(json.path("all_gold").path("accuracy").asDouble()).isBetween(0.5, 1.0);
    assertThat(json.path("all_gold").path("f1_macro").asDouble()).isBetween(0.5, 1.0);
    JsonNode days = json.path("days");
    assertThat(days).hasSize(3);
    int trainRows = trainText.toString().split("\n").length;
    int seedRows = (int) Math.round(0.2 * trainRows);
    int traffic = 0;
    for (int d = 0; d < 3; d++) {
      JsonNode day = days.get(d);
      assertThat(day.path("day").asInt()).isEqualTo(d);
      assertThat(day.path("strategy").asText()).isEqualTo("lowest_confidence");
      traffic += day.path("traffic").asInt();
      // The reviewer takes round(0.25 x the day's traffic) a day: within budget, one rounding a day at most.
      assertThat(day.path("reviewed_total").asInt()).as("day %d", d).isLessThanOrEqualTo((int) Math.round(0.25 * traffic) + d);
      assertThat(day.path("reviewed_share").asDouble()).isBetween(0.0, 0.26);
      assertThat(day.path("model_version").asText()).startsWith("intent_classifier_");
      for (String field : List.of("true_accuracy", "true_f1_macro", "reported_f1_macro")) {
        assertThat(day.path(field).asDouble()).as("day %d %s", d, field).isBetween(0.0, 1.0);
      }
      assertThat(day.has("deployed")).isTrue();
      // true_accuracy is the model in service re-evaluated on the gold file.
      Evaluation again = Evaluator.evaluate(ModelCodec.read(modelFile(stackDir, day.path("model_version").asText())),
          DatasetFiles.read(test, new io.intentpipeline.dataset.CsvFormat.Columns(null, null)));
      assertThat(day.path("true_accuracy").asDouble()).isCloseTo(again.accuracy(), within(1e-9));
      assertThat(day.path("true_f1_macro").asDouble()).isCloseTo(again.f1Macro(), within(1e-9));
    }
    assertThat(days.get(0).path("traffic").asInt()).isZero();
    assertThat(days.get(0).path("deployed").asBoolean()).isTrue();
    assertThat(traffic).isEqualTo(trainRows - seedRows);
    assertThat(days.get(2).path("reviewed_total").asInt()).isGreaterThan(0);

    // The page, one curve each, and the table as it went.
    String html = Files.readString(out.resolve("simulation.html"));
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").doesNotContain("<script").contains("class=\"all-gold\"");
    assertThat(html.split("class=\"true-f1\"", -1)).hasSize(2);
    assertThat(html.split("class=\"reported-f1\"", -1)).hasSize(2);
    assertThat(text).contains("all gold labels").contains("true_f1").contains("simulation.html");
    assertThat(text.lines().filter(l -> l.startsWith("lowest_confidence ")).count()).isEqualTo(3);
  }

  private static Path modelFile(Path stackDir, String version) throws Exception {
    try (Stream<Path> files = Files.walk(stackDir.resolve("s3"))) {
      return files.filter(p -> p.getFileName().toString().equals(version + ".model")).findFirst().orElseThrow();
    }
  }
}
