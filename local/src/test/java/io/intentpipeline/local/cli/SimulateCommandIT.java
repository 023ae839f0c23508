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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./pipeline simulate} on the sample dataset, two days and two strategies, as its users read
 * its output; and what each strategy's reviewer took, read from its stack's database.
 */
class SimulateCommandIT {
  private static final List<String> STRATEGIES = List.of("lowest_confidence", "diverse");

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
    Map<String, List<Reviewed>> dayOne = new HashMap<>();
    try (FreshDatabase database = PostgresServer.shared().createDatabase("simulate")) {
      String second = database.name() + "_2";
      try {
        exit = new CommandLine(new Main()).setOut(new PrintWriter(printed, true)).execute("simulate",
            "--train", train.toString(), "--test", test.toString(), "--days", "2", "--seed-share", "0.2",
            "--review-share", "0.25", "--strategy", STRATEGIES.get(0), "--strategy", STRATEGIES.get(1),
            "--out", out.toString(), "--database-name", database.name(), "--data-dir", stackDir.toString());
        dayOne.put(STRATEGIES.get(0), dayOne(database.jdbcUrl(), database));
        dayOne.put(STRATEGIES.get(1), dayOne(database.jdbcUrl().replace(database.name(), second), database));
      } finally {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
          s.execute("DROP DATABASE IF EXISTS " + second + " WITH (FORCE)");
        }
      }
    }
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    String text = printed.toString();

    // Assert: the file's shape and values.
    assertThat(exit).as(text).isZero();
    assertThat(seconds).as("the simulation's duration").isLessThan(90L * STRATEGIES.size());
    JsonNode json = Json.MAPPER.readTree(out.resolve("simulation.json").toFile());
    assertThat(json.path("all_gold").path("accuracy").asDouble()).isBetween(0.5, 1.0);
    assertThat(json.path("all_gold").path("f1_macro").asDouble()).isBetween(0.5, 1.0);
    assertThat(json.path("settings").path("audit_share").asDouble()).isEqualTo(0.02);
    assertThat(json.path("settings").path("label_policy").asText()).isEqualTo("trusted");
    JsonNode days = json.path("days");
    assertThat(days).hasSize(3 * STRATEGIES.size());
    int trainRows = trainText.toString().split("\n").length;
    int seedRows = (int) Math.round(0.2 * trainRows);
    for (int k = 0; k < STRATEGIES.size(); k++) {
      Path strategyStack = k == 0 ? stackDir : stackDir.resolveSibling(stackDir.getFileName() + "-" + (k + 1));
      int traffic = 0;
      for (int d = 0; d < 3; d++) {
        JsonNode day = days.get(3 * k + d);
        assertThat(day.path("day").asInt()).isEqualTo(d);
        assertThat(day.path("strategy").asText()).isEqualTo(STRATEGIES.get(k));
        traffic += day.path("traffic").asInt();
        // The reviewer takes round(0.25 x the day's traffic) a day: within budget, one rounding a day at most.
        assertThat(day.path("reviewed_total").asInt()).as("day %d", d).isLessThanOrEqualTo((int) Math.round(0.25 * traffic) + d);
        assertThat(day.path("reviewed_share").asDouble()).isBetween(0.0, 0.26);
        assertThat(day.path("model_version").asText()).startsWith("intent_classifier_");
        for (String field : List.of("true_accuracy", "true_f1_macro", "reported_f1_macro")) {
          assertThat(day.path(field).asDouble()).as("day %d %s", d, field).isBetween(0.0, 1.0);
        }
        assertThat(day.has("deployed")).isTrue();
        // The sample's labelled test part is too small for a fair estimate: judged on all samples.
        assertThat(day.path("judged_on").asText()).as("day %d judged_on", d).isIn("verified", "all");
        // true_accuracy is the model in service re-evaluated on the gold file.
        Evaluation again = Evaluator.evaluate(ModelCodec.read(modelFile(strategyStack, day.path("model_version").asText())),
            DatasetFiles.read(test, new io.intentpipeline.dataset.CsvFormat.Columns(null, null)));
        assertThat(day.path("true_accuracy").asDouble()).isCloseTo(again.accuracy(), within(1e-9));
        assertThat(day.path("true_f1_macro").asDouble()).isCloseTo(again.f1Macro(), within(1e-9));
      }
      assertThat(days.get(3 * k).path("traffic").asInt()).isZero();
      assertThat(days.get(3 * k).path("deployed").asBoolean()).isTrue();
      assertThat(traffic).isEqualTo(trainRows - seedRows);
      assertThat(days.get(3 * k + 2).path("reviewed_total").asInt()).isGreaterThan(0);
    }

    // Each reviewer took the head of the queue: the audit sample (AUDIT_SHARE of the live traffic,
    // the stack's default), then the rest in its strategy's order (day 1: every sample was scored by
    // day 0's model when the reviewer came, so the bot's own figures are the queue's).
    int budget = days.get(1).path("reviewed_total").asInt();
    assertThat(days.get(4).path("reviewed_total").asInt()).isEqualTo(budget);
    List<Reviewed> lowest = dayOne.get("lowest_confidence");
    assertThat(lowest.stream().filter(Reviewed::reviewed).count()).isEqualTo(budget);
    assertThat(lowest).filteredOn(Reviewed::audited).as("the audit sample first").allMatch(Reviewed::reviewed);
    List<Reviewed> lowestOthers = lowest.stream().filter(r -> !r.audited()).toList();
    int highestReviewed = lowestOthers.stream().filter(Reviewed::reviewed).mapToInt(Reviewed::confidence).max()
        .orElseThrow();
    int lowestLeft = lowestOthers.stream().filter(r -> !r.reviewed()).mapToInt(Reviewed::confidence).min().orElseThrow();
    assertThat(highestReviewed).as("lowest_confidence reviews the least confident").isLessThanOrEqualTo(lowestLeft);
    List<Reviewed> diverse = dayOne.get("diverse");
    assertThat(diverse).filteredOn(Reviewed::audited).as("the audit sample first").allMatch(Reviewed::reviewed);
    long audited = diverse.stream().filter(Reviewed::audited).count();
    Map<String, Long> perConfusion = new HashMap<>();
    diverse.stream().filter(r -> r.reviewed() && !r.audited()).forEach(r -> perConfusion.merge(r.confusion(), 1L, Long::sum));
    long confusions = diverse.stream().filter(r -> !r.audited()).map(Reviewed::confusion).distinct().count();
    assertThat(perConfusion.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(budget - audited);
    assertThat(perConfusion.size()).as("diverse reviews one of each confusion before a second of any")
        .isEqualTo((int) Math.min(budget - audited, confusions));

    // The page, one curve each, and the table as it went.
    String html = Files.readString(out.resolve("simulation.html"));
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").doesNotContain("<script").contains("class=\"all-gold\"");
    assertThat(html.split("class=\"true-f1\"", -1)).hasSize(1 + STRATEGIES.size());
    assertThat(html.split("class=\"reported-f1\"", -1)).hasSize(1 + STRATEGIES.size());
    assertThat(text).contains("all gold labels").contains("true_f1").contains("simulation.html");
    for (String strategy : STRATEGIES) {
      assertThat(text.lines().filter(l -> l.startsWith(strategy + " ")).count()).isEqualTo(3);
    }
  }

  /**
   * A day-1 sample of a strategy's stack: whether the reviewer took it on day 1, whether it is in
   * the audit sample, the bot's confidence and confusion.
   */
  record Reviewed(boolean reviewed, boolean audited, int confidence, String confusion) {}

  /**
   * The day-1 samples of the database at {@code url} (a stack of the simulation); reviewed on day 1
   * means corrected before the day's run started (the second run).
   */
  private static List<Reviewed> dayOne(String url, FreshDatabase credentials) throws Exception {
    List<Reviewed> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, credentials.user(), credentials.password());
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT COALESCE(corrected_at < (SELECT started_at FROM ai_training_runs"
             + " ORDER BY started_at OFFSET 1 LIMIT 1), FALSE), confidence_score, detected_intent, top_intents::text,"
             + " review_reason IS NOT NULL FROM ai_training_data WHERE interaction_id LIKE 'sim-1-%'")) {
      while (rs.next()) {
        String detected = rs.getString(3);
        String alternative = null;
        double best = -1;
        for (JsonNode top : Json.MAPPER.readTree(rs.getString(4))) {
          String intent = top.path("intent").asText();
          double confidence = top.path("confidence").asDouble();
          if (!intent.equals(detected) && (confidence > best || confidence == best && intent.compareTo(alternative) < 0)) {
            alternative = intent;
            best = confidence;
          }
        }
        rows.add(new Reviewed(rs.getBoolean(1), rs.getBoolean(5), rs.getInt(2), detected + " -> " + alternative));
      }
    }
    assertThat(rows).as("day 1's samples in " + url).isNotEmpty();
    return rows;
  }

  private static Path modelFile(Path stackDir, String version) throws Exception {
    try (Stream<Path> files = Files.walk(stackDir.resolve("s3"))) {
      return files.filter(p -> p.getFileName().toString().equals(version + ".model")).findFirst().orElseThrow();
    }
  }
}
