package io.intentpipeline.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TrainingRows;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * V4 rewrote ai_training_metrics_between for speed. Its answers must be exactly V2's: both are
 * run over the same generated data and windows and their JSON texts compared (without the two
 * figures V8 added, live_accuracy and intent_accuracy_basis, which V2 does not have).
 */
class MetricsBetweenEquivalenceIT {
  private static final Instant END = Instant.parse("2026-03-01T00:00:00Z");
  // More intents than the top 10, with few rows per window: ties at the cut are common, so the
  // tie-breaking order is compared too.
  private static final String[] INTENTS = {"card_arrival", "card_linking", "exchange_rate", "top_up_failed",
      "pin_blocked", "refund_not_showing_up", "lost_or_stolen_card", "cash_withdrawal_charge", "age_limit",
      "atm_support", "balance_not_updated", "change_pin", "country_support", "declined_transfer"};
  static TestStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = TestStack.create("metricsequiv");
    try (Connection c = stack.connect(); var s = c.createStatement()) {
      s.execute(v2FunctionRenamed());
    }
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  /** V2's text of the function, as migrated before V4 replaced it, under another name. */
  static String v2FunctionRenamed() throws IOException {
    String v2;
    try (InputStream in = MetricsBetweenEquivalenceIT.class.getResourceAsStream("/db/migration/V2__training_functions.sql")) {
      v2 = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int start = v2.indexOf("CREATE FUNCTION ai_training_metrics_between(");
    int end = v2.indexOf("\n$$;", start) + "\n$$;".length();
    return v2.substring(start, end)
        .replace("CREATE FUNCTION ai_training_metrics_between(", "CREATE FUNCTION ai_training_metrics_between_v2(");
  }

  private static List<TrainingRows.Row> generate(Random random, int count) {
    List<TrainingRows.Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String detected = random.nextInt(20) == 0 ? null : INTENTS[random.nextInt(INTENTS.length)];
      var row = TrainingRows.Row.detected(detected)
          .confidence(random.nextInt(10) == 0 ? null : random.nextInt(101))
          .escalated(random.nextInt(5) == 0)
          // whole minutes, so that many rows sit exactly on window boundaries
          .at(END.minus(random.nextInt(10 * 24 * 60), ChronoUnit.MINUTES));
      if (random.nextInt(10) < 3) {
        boolean right = detected != null && random.nextBoolean();
        row.correct(right ? detected : INTENTS[random.nextInt(INTENTS.length)]);
      }
      rows.add(row);
    }
    return rows;
  }

  @Test
  void answersExactlyAsTheV2DefinitionOnGeneratedData() throws SQLException {
    // Arrange
    var random = new Random(20260301L);
    try (Connection c = stack.connect()) {
      TrainingRows.clear(c);
      TrainingRows.insert(c, generate(random, 3000));
      TrainingRows.run(c, "old", true, 0.81f, END.minus(5, ChronoUnit.DAYS), null);
      TrainingRows.run(c, "newest-deployed", true, 0.77f, END.minus(2, ChronoUnit.DAYS), null);
      TrainingRows.run(c, "not-deployed", false, 0.99f, END.minus(1, ChronoUnit.DAYS), null);
      List<Instant[]> windows = new ArrayList<>();
      windows.add(new Instant[] {END.minus(30, ChronoUnit.DAYS), END});
      windows.add(new Instant[] {END.plus(1, ChronoUnit.DAYS), END.plus(2, ChronoUnit.DAYS)});
      windows.add(new Instant[] {END.minus(1, ChronoUnit.HOURS), END});
      for (int i = 0; i < 60; i++) {
        Instant from = END.minus(random.nextInt(11 * 24 * 60), ChronoUnit.MINUTES);
        windows.add(new Instant[] {from, from.plus(1 + random.nextInt(5 * 24 * 60), ChronoUnit.MINUTES)});
      }

      // Act
      List<String[]> answers = new ArrayList<>();
      try (var statement = c.prepareStatement(
          "SELECT (ai_training_metrics_between(?, ?) - 'live_accuracy' - 'intent_accuracy_basis')::text,"
              + " ai_training_metrics_between_v2(?, ?)::text")) {
        for (Instant[] window : windows) {
          var from = OffsetDateTime.ofInstant(window[0], ZoneOffset.UTC);
          var to = OffsetDateTime.ofInstant(window[1], ZoneOffset.UTC);
          statement.setObject(1, from);
          statement.setObject(2, to);
          statement.setObject(3, from);
          statement.setObject(4, to);
          try (var rs = statement.executeQuery()) {
            rs.next();
            answers.add(new String[] {rs.getString(1), rs.getString(2)});
          }
        }
      }

      // Assert
      for (String[] answer : answers) {
        assertThat(answer[0]).isEqualTo(answer[1]);
      }
      assertThat(answers.get(0)[0]).contains("\"top_misclassified\": [{").contains("newest-deployed");
      assertThat(answers.get(1)[0]).contains("\"total_messages\": 0");
    }
  }
}
