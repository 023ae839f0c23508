package io.intentpipeline.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.testing.TestStack;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * get_ai_training_metrics: every figure, on a seeded random fixture whose expected values are
 * computed here from the fixture rows themselves.
 */
class GetAiTrainingMetricsIT {
  // Letters only, so that every collation sorts them as Java does.
  static final String[] INTENTS = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
      "india", "juliet", "kilo", "lima"};

  /** What the test knows of a fixture row. */
  record Fixture(String detected, String correct, Integer confidence, boolean escalated, Instant occurredAt) {}

  static TestStack stack;
  static final List<Fixture> FIXTURE = new ArrayList<>();
  static Instant fixtureTime;

  @BeforeAll
  static void fixture() throws SQLException {
    stack = TestStack.create("metrics");
    Random random = new Random(77);
    fixtureTime = Instant.now();
    try (Connection c = stack.connect()) {
      for (int k = 0; k < 400; k++) {
        // Skewed choice, so that counts differ and some tie.
        String detected = random.nextInt(25) == 0 ? null : INTENTS[Math.min(random.nextInt(8) + random.nextInt(6), 11)];
        String correct = null;
        if (random.nextInt(3) == 0) {
          correct = random.nextInt(3) == 0 ? INTENTS[random.nextInt(4)] : (detected == null ? "alpha" : detected);
        }
        Integer confidence = random.nextInt(10) == 0 ? null : random.nextInt(101);
        boolean escalated = random.nextInt(5) == 0;
        Duration age = switch (random.nextInt(10)) {
          case 0 -> Duration.ofDays(7).plusHours(1 + random.nextInt(24 * 20)); // 7-28 days ago
          case 1 -> Duration.ofDays(31 + random.nextInt(30));                  // beyond 30 days
          case 2 -> Duration.ofHours(-1 - random.nextInt(48));                 // in the future
          default -> Duration.ofMinutes(5 + random.nextInt(7 * 24 * 60 - 70)); // inside the last 7 days
        };
        Instant occurred = fixtureTime.minus(age);
        Fixture row = new Fixture(detected, correct, confidence, escalated, occurred);
        FIXTURE.add(row);
        Row.of("m-" + k).detected(detected).correct(correct).confidence(confidence).escalated(escalated)
            .occurred(occurred).insert(c);
      }
    }
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static JsonNode metrics(Integer days) throws SQLException {
    try (Connection c = stack.connect();
         PreparedStatement s = c.prepareStatement("SELECT get_ai_training_metrics(?)::text")) {
      s.setObject(1, days, java.sql.Types.INTEGER);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return Json.parseBody(rs.getString(1));
      }
    }
  }

  private static BigDecimal percent(long part, long whole) {
    return whole == 0 ? null : BigDecimal.valueOf(100L * part).divide(BigDecimal.valueOf(whole), 2, RoundingMode.HALF_UP);
  }

  private static void assertDecimal(JsonNode node, BigDecimal expected) {
    if (expected == null) {
      assertThat(node.isNull()).as("expected null, got %s", node).isTrue();
    } else {
      assertThat(node.decimalValue()).isEqualByComparingTo(expected);
    }
  }

  /** Checks every figure of {@code m} against the fixture rows in its window; returns how many there were. */
  private static long assertFiguresFor(int days, JsonNode m) {
    // The window is [now - days, now) of the query; the fixture keeps clear of both edges.
    Instant now = Instant.now();
    Instant from = now.minus(Duration.ofDays(days));
    List<Fixture> window = FIXTURE.stream()
        .filter(f -> !f.occurredAt().isBefore(from) && f.occurredAt().isBefore(now)).toList();
    long total = window.size();
    long escalated = window.stream().filter(Fixture::escalated).count();
    List<Integer> scores = window.stream().map(Fixture::confidence).filter(Objects::nonNull).toList();
    BigDecimal avg = scores.isEmpty() ? null
        : BigDecimal.valueOf(scores.stream().mapToLong(Integer::longValue).sum())
            .divide(BigDecimal.valueOf(scores.size()), 2, RoundingMode.HALF_UP);
    long reviewed = window.stream().filter(f -> f.correct() != null).count();
    long misclassified = window.stream().filter(f -> f.correct() != null && !f.correct().equals(f.detected())).count();

    Map<String, Long> perIntent = new HashMap<>();
    window.stream().filter(f -> f.detected() != null).forEach(f -> perIntent.merge(f.detected(), 1L, Long::sum));
    Map<String, Long> topIntents = new LinkedHashMap<>();
    perIntent.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(10).forEach(e -> topIntents.put(e.getKey(), e.getValue()));

    Map<List<String>, Long> confusions = new HashMap<>();
    window.stream().filter(f -> f.correct() != null && !f.correct().equals(f.detected()))
        .forEach(f -> confusions.merge(java.util.Arrays.asList(f.detected(), f.correct()), 1L, Long::sum));
    List<String> topMisclassified = confusions.entrySet().stream()
        .sorted(Comparator.<Map.Entry<List<String>, Long>, Long>comparing(Map.Entry::getValue).reversed()
            .thenComparing(e -> e.getKey().get(0), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(e -> e.getKey().get(1)))
        .limit(10)
        .map(e -> e.getKey().get(0) + "->" + e.getKey().get(1) + "=" + e.getValue())
        .toList();

    assertThat(m.get("total_messages").asLong()).isEqualTo(total);
    assertThat(m.get("escalated").asLong()).isEqualTo(escalated);
    assertThat(m.get("ai_resolved").asLong()).isEqualTo(total - escalated);
    assertDecimal(m.get("escalation_rate"), percent(escalated, total));
    assertDecimal(m.get("avg_confidence"), avg);
    assertThat(m.get("reviewed").asLong()).isEqualTo(reviewed);
    assertThat(m.get("misclassified").asLong()).isEqualTo(misclassified);
    assertDecimal(m.get("intent_accuracy"), percent(reviewed - misclassified, reviewed));
    assertDecimal(m.get("misclassification_rate"), percent(misclassified, reviewed));
    assertDecimal(m.get("correction_rate"), percent(misclassified, total));
    Map<String, Long> actualTop = new HashMap<>();
    m.get("top_intents").fields().forEachRemaining(e -> actualTop.put(e.getKey(), e.getValue().asLong()));
    assertThat(actualTop).isEqualTo(topIntents);
    List<String> actualMisclassified = new ArrayList<>();
    for (JsonNode entry : m.get("top_misclassified")) {
      actualMisclassified.add((entry.get("detected_intent").isNull() ? null : entry.get("detected_intent").asText())
          + "->" + entry.get("correct_intent").asText() + "=" + entry.get("count").asLong());
    }
    assertThat(actualMisclassified).containsExactlyElementsOf(topMisclassified);
    assertThat(java.time.OffsetDateTime.parse(m.get("period_end").asText()).toInstant()).isBefore(now.plusSeconds(1));
    return misclassified;
  }

  @Test
  void everyFigureOfTheLastSevenDaysMatchesTheFixture() throws Exception {
    JsonNode m = metrics(7);

    long misclassified = assertFiguresFor(7, m);
    // The fixture must exercise the figures: enough rows, reviews and errors in the window.
    assertThat(m.get("total_messages").asLong()).isGreaterThan(200);
    assertThat(misclassified).isGreaterThan(10);
    assertThat(m.get("top_misclassified").size()).isEqualTo(10);
    assertThat(m.get("top_intents").size()).isEqualTo(10);
  }

  @Test
  void theWindowFollowsTheNumberOfDays() throws Exception {
    JsonNode thirty = metrics(30);
    JsonNode one = metrics(1);

    assertFiguresFor(30, thirty);
    assertFiguresFor(1, one);
    assertThat(thirty.get("total_messages").asLong()).isGreaterThan(metrics(7).get("total_messages").asLong());
  }

  @Test
  void anEmptyWindowHasZeroCountsAndNullRates() throws Exception {
    try (Connection c = stack.connect(); var s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT ai_training_metrics_between('1990-01-01', '1990-01-02')::text")) {
      rs.next();
      JsonNode m = Json.parseBody(rs.getString(1));

      assertThat(m.get("total_messages").asInt()).isZero();
      assertThat(m.get("escalation_rate").isNull()).isTrue();
      assertThat(m.get("avg_confidence").isNull()).isTrue();
      assertThat(m.get("intent_accuracy").isNull()).isTrue();
      assertThat(m.get("top_intents").size()).isZero();
      assertThat(m.get("top_misclassified").size()).isZero();
    }
  }

  @Test
  void theModelIsTheNewestDeployedCompletedRun() throws Exception {
    JsonNode before = metrics(7).get("model");
    try (Connection c = stack.connect(); var s = c.createStatement()) {
      s.execute("""
          INSERT INTO ai_training_runs (run_name, status, deployed, intent_accuracy, intent_f1_score, model_version, completed_at)
          VALUES ('old', 'completed', TRUE, 0.70, 0.68, 'v1', now() - interval '3 days'),
                 ('current', 'completed', TRUE, 0.91, 0.89, 'v2', now() - interval '1 day'),
                 ('kept-out', 'completed', FALSE, 0.99, 0.99, 'v3', now() - interval '1 hour'),
                 ('broken', 'failed', NULL, NULL, NULL, NULL, now() - interval '30 minutes')""");
      s.execute("INSERT INTO ai_training_runs (run_name) VALUES ('in-progress')");
    }
    try {
      JsonNode after = metrics(7).get("model");

      assertThat(before.isNull()).isTrue();
      assertThat(after.get("run_name").asText()).isEqualTo("current");
      assertThat(after.get("model_version").asText()).isEqualTo("v2");
      assertThat(after.get("accuracy").decimalValue()).isEqualByComparingTo("0.91");
      assertThat(after.get("f1").decimalValue()).isEqualByComparingTo("0.89");
      assertThat(after.get("run_id").asText()).hasSize(36);
      assertThat(after.get("completed_at").asText()).isNotEmpty();
    } finally {
      try (Connection c = stack.connect(); var s = c.createStatement()) {
        s.execute("DELETE FROM ai_training_runs");
      }
    }
  }

  @Test
  void daysOutsideOneTo3660AreRefused() {
    for (Integer days : new Integer[] {0, -1, 3661, null}) {
      assertThatThrownBy(() -> metrics(days))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"));
    }
  }
}
