package io.intentpipeline.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.aws.S3Clients;
import io.intentpipeline.aws.S3UploadStream;
import io.intentpipeline.json.Json;
import io.intentpipeline.http.PageRequest;
import io.intentpipeline.metrics.MetricsService;
import io.intentpipeline.metrics.PeriodType;
import io.intentpipeline.storage.Database;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.Invocations.HttpResult;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TestStackExtension;
import io.intentpipeline.testing.TrainingRows;
import io.intentpipeline.testing.TrainingRows.Row;
import io.intentpipeline.transfer.DatasetExporter;
import io.intentpipeline.transfer.DatasetImporter;
import io.intentpipeline.transfer.ExportBucket;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The snapshot function end to end: the events of events/ and built requests, real PostgreSQL. */
class SnapshotHandlerIT {
  /** "Now" for snapshot requests without a time: the POST event freezes 2026-03-01. */
  static final Instant CLOCK = Instant.parse("2026-03-02T10:00:00Z");
  @RegisterExtension
  static final TestStackExtension STACK = TestStackExtension.withDatabase("snapshothandler").emptyingTrainingRows();
  static TestStack stack;
  static Database database;
  static MetricsService metrics;
  static SnapshotHandler handler;

  @BeforeAll
  static void start() {
    stack = STACK.stack();
    database = STACK.database();
    metrics = new MetricsService(database);
    Clock clock = Clock.fixed(CLOCK, ZoneOffset.UTC);
    var exports = new ExportBucket(stack.s3(), S3Clients.presigner(stack.aws()), stack.bucket(),
        ExportBucket.DEFAULT_URL_TTL, false, S3UploadStream.MIN_PART_SIZE);
    handler = new SnapshotHandler(metrics, new DatasetExporter(database, exports, clock),
        new DatasetImporter(database, clock), clock);
  }

  private static void insert(List<Row> rows) throws SQLException {
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, rows);
    }
  }

  private static UUID run(String name, boolean deployed, float f1, Instant completed, String perIntent)
      throws SQLException {
    try (Connection c = stack.connect()) {
      return TrainingRows.run(c, name, deployed, f1, completed, perIntent);
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = stack.connect(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** {@code 100 * part / whole} rounded to 2 decimals as PostgreSQL's round() does; null for 0 / 0. */
  private static BigDecimal percent(long part, long whole) {
    return whole == 0 ? null
        : BigDecimal.valueOf(100 * part).divide(BigDecimal.valueOf(whole), 2, RoundingMode.HALF_UP);
  }

  private static void assertDecimal(JsonNode node, BigDecimal expected) {
    if (expected == null) {
      assertThat(node.isNull()).as("expected null, got " + node).isTrue();
    } else {
      assertThat(node.decimalValue()).isEqualByComparingTo(expected);
    }
  }

  // ---------------------------------------------------------------------------------- live metrics

  /** A fixture row as the test reasons about it. */
  record Spec(String detected, String correct, Integer confidence, boolean escalated) {
    Row row(Instant at) {
      return Row.detected(detected).correct(correct).confidence(confidence).escalated(escalated).at(at);
    }

    boolean reviewed() {
      return correct != null;
    }

    boolean misclassified() {
      return correct != null && !correct.equals(detected);
    }
  }

  @Test
  void theMetricsEventAnswersEveryFigureOfTheLast24HoursAndTheAlertsTheyRaise() throws Exception {
    // Arrange
    List<Spec> window = List.of(
        new Spec("card_arrival", null, 90, false),
        new Spec("card_arrival", null, 80, true),
        new Spec("card_arrival", "card_linking", 40, false),
        new Spec("card_linking", "card_linking", 70, false),
        new Spec("exchange_rate", null, null, true),
        new Spec(null, "pin_blocked", 10, false),
        new Spec("exchange_rate", "card_arrival", 55, false),
        new Spec("card_arrival", "card_arrival", 100, false));
    Instant now = Instant.now();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < window.size(); i++) {
      rows.add(window.get(i).row(now.minus(10 + 60L * i, ChronoUnit.MINUTES)));
    }
    rows.add(new Spec("card_arrival", "pin_blocked", 0, true).row(now.minus(25, ChronoUnit.HOURS))); // outside
    insert(rows);
    UUID model = run("deployed", true, 0.85f, now.minus(1, ChronoUnit.DAYS), null);
    // Expected figures, worked out from the fixture list above.
    long total = window.size();
    long escalated = window.stream().filter(Spec::escalated).count();
    List<Integer> confidences = window.stream().map(Spec::confidence).filter(Objects::nonNull).toList();
    BigDecimal avgConfidence = BigDecimal.valueOf(confidences.stream().mapToInt(Integer::intValue).sum())
        .divide(BigDecimal.valueOf(confidences.size()), 2, RoundingMode.HALF_UP);
    long reviewed = window.stream().filter(Spec::reviewed).count();
    long misclassified = window.stream().filter(Spec::misclassified).count();
    Map<String, Long> topIntents = window.stream().filter(s -> s.detected() != null)
        .collect(Collectors.groupingBy(Spec::detected, TreeMap::new, Collectors.counting()));

    // Act
    HttpResult result = Invocations.httpFile(handler, "snapshot-metrics.json");

    // Assert
    assertThat(result.status()).isEqualTo(200);
    JsonNode body = result.body();
    assertThat(body.path("hours").asInt()).isEqualTo(24);
    assertThat(body.path("total_messages").asLong()).isEqualTo(total).isEqualTo(8);
    assertThat(body.path("escalated").asLong()).isEqualTo(escalated).isEqualTo(2);
    assertThat(body.path("ai_resolved").asLong()).isEqualTo(total - escalated);
    assertDecimal(body.path("escalation_rate"), percent(escalated, total));               // 25.00
    assertDecimal(body.path("avg_confidence"), avgConfidence);                             // 445 / 7 = 63.57
    assertThat(body.path("reviewed").asLong()).isEqualTo(reviewed).isEqualTo(5);
    assertThat(body.path("misclassified").asLong()).isEqualTo(misclassified).isEqualTo(3);
    assertDecimal(body.path("intent_accuracy"), percent(reviewed - misclassified, reviewed)); // 40.00
    assertDecimal(body.path("misclassification_rate"), percent(misclassified, reviewed));     // 60.00
    assertDecimal(body.path("correction_rate"), percent(misclassified, total));               // 37.50
    assertThat(Json.MAPPER.convertValue(body.path("top_intents"), Map.class))
        .isEqualTo(topIntents.entrySet().stream().collect(
            Collectors.toMap(Map.Entry::getKey, e -> e.getValue().intValue())));
    assertThat(body.path("top_misclassified").toString()).isEqualTo(
        "[{\"count\":1,\"correct_intent\":\"pin_blocked\",\"detected_intent\":null},"
            + "{\"count\":1,\"correct_intent\":\"card_linking\",\"detected_intent\":\"card_arrival\"},"
            + "{\"count\":1,\"correct_intent\":\"card_arrival\",\"detected_intent\":\"exchange_rate\"}]");
    assertThat(body.path("model").path("run_id").asText()).isEqualTo(model.toString());
    List<String> alerts = new ArrayList<>();
    body.path("alerts").forEach(a -> alerts.add(a.path("metric").asText()));
    assertThat(alerts).containsExactly("intent_accuracy", "misclassification_rate");
    JsonNode accuracyAlert = body.path("alerts").get(0);
    assertDecimal(accuracyAlert.path("value"), new BigDecimal("40.00"));
    assertDecimal(accuracyAlert.path("limit"), new BigDecimal("70"));
    assertThat(accuracyAlert.path("message").asText()).isEqualTo("Intent accuracy 40 % is below 70 %");
  }

  @Test
  void theInvalidMetricsEventIsA400NamingHours() {
    HttpResult result = Invocations.httpFile(handler, "snapshot-metrics.invalid.json");

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.errorField()).isEqualTo("hours");
  }

  @Test
  void theWindowIsTheNumberOfHoursAsked() throws Exception {
    Instant now = Instant.now();
    insert(List.of(Row.detected("a1").at(now.minus(30, ChronoUnit.MINUTES)),
        Row.detected("a1").at(now.minus(90, ChronoUnit.MINUTES)),
        Row.detected("a1").at(now.minus(30, ChronoUnit.HOURS))));

    assertThat(Invocations.get(handler, "/ai/training/metrics", Map.of("hours", "1")).body()
        .path("total_messages").asInt()).isEqualTo(1);
    assertThat(Invocations.get(handler, "/ai/training/metrics", Map.of()).body()
        .path("total_messages").asInt()).isEqualTo(2);
    assertThat(Invocations.get(handler, "/ai/training/metrics", Map.of("hours", "48")).body()
        .path("total_messages").asInt()).isEqualTo(3);
  }

  // ---------------------------------------------------------------------- alerts on both sides

  /** The metrics of the last 24 hours over {@code n} rows: which alerts fire. */
  private static List<String> alertsFor(int n, int escalated, int reviewed, int wrong) throws SQLException {
    Instant now = Instant.now();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Row row = Row.detected("card_arrival").escalated(i < escalated).at(now.minusSeconds(60 + i));
      if (i < reviewed) {
        row.correct(i < wrong ? "card_linking" : "card_arrival");
      }
      rows.add(row);
    }
    insert(rows);
    HttpResult result = Invocations.get(handler, "/ai/training/metrics", Map.of("hours", "24"));
    assertThat(result.status()).isEqualTo(200);
    List<String> alerts = new ArrayList<>();
    result.body().path("alerts").forEach(a -> alerts.add(a.path("metric").asText()));
    return alerts;
  }

  @Test
  void escalationRateOfExactly30PercentRaisesNothingAndAboveItAlerts() throws Exception {
    assertThat(alertsFor(1000, 300, 0, 0)).isEmpty();                 // 30.00 %
    STACK.emptyTrainingRows();
    assertThat(alertsFor(1000, 301, 0, 0)).containsExactly("escalation_rate"); // 30.10 %
  }

  @Test
  void intentAccuracyOfExactly70PercentRaisesNothingAndBelowItAlerts() throws Exception {
    // Accuracy 70 % is a misclassification rate of 30 %: that alert fires on both sides.
    assertThat(alertsFor(1000, 0, 1000, 300)).containsExactly("misclassification_rate");               // 70.00 %
    STACK.emptyTrainingRows();
    assertThat(alertsFor(1000, 0, 1000, 301)).containsExactly("intent_accuracy", "misclassification_rate"); // 69.90 %
  }

  @Test
  void misclassificationRateOfExactly15PercentRaisesNothingAndAboveItAlerts() throws Exception {
    assertThat(alertsFor(1000, 0, 1000, 150)).isEmpty();                               // 15.00 %
    STACK.emptyTrainingRows();
    assertThat(alertsFor(1000, 0, 1000, 151)).containsExactly("misclassification_rate"); // 15.10 %
  }

  @Test
  void deployedModelF1Of070RaisesNothingAndBelowItAlerts() throws Exception {
    Instant now = Instant.now();
    run("newer but not deployed", false, 0.10f, now.minus(1, ChronoUnit.HOURS), null);
    run("deployed", true, 0.70f, now.minus(2, ChronoUnit.HOURS), null);
    assertThat(alertsFor(10, 0, 0, 0)).isEmpty();

    run("deployed later", true, 0.69f, now.minus(90, ChronoUnit.MINUTES), null);
    HttpResult result = Invocations.get(handler, "/ai/training/metrics", Map.of());

    assertThat(result.body().path("alerts")).hasSize(1);
    JsonNode alert = result.body().path("alerts").get(0);
    assertThat(alert.path("metric").asText()).isEqualTo("f1");
    assertDecimal(alert.path("value"), new BigDecimal("0.69"));
    assertDecimal(alert.path("limit"), new BigDecimal("0.70"));
  }

  // ------------------------------------------------------------------------------- snapshots

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "snapshot-schedule-hourly.json,  hourly,  2026-03-01T13:00:00Z, 2026-03-01T14:00:00Z",
      "snapshot-schedule-daily.json,   daily,   2026-03-01T00:00:00Z, 2026-03-02T00:00:00Z",
      "snapshot-schedule-weekly.json,  weekly,  2026-02-23T00:00:00Z, 2026-03-02T00:00:00Z",
      "snapshot-schedule-monthly.json, monthly, 2026-02-01T00:00:00Z, 2026-03-01T00:00:00Z"})
  void eachScheduleFreezesTheLastCompletePeriodBeforeItFired(String file, String type, Instant start, Instant end)
      throws Exception {
    // Arrange: the first and last second of the period count, the seconds around it do not
    insert(List.of(
        Row.detected("card_arrival").at(start).escalated(true),
        Row.detected("card_arrival").at(end.minusSeconds(1)),
        Row.detected("card_arrival").at(start.minusSeconds(1)).escalated(true),
        Row.detected("card_arrival").at(end).escalated(true)));

    // Act
    JsonNode snapshot = Json.MAPPER.readTree(Invocations.invokeFile(handler, file));

    // Assert
    assertThat(snapshot.path("period_type").asText()).isEqualTo(type);
    assertThat(Instant.parse(snapshot.path("period_start").asText())).isEqualTo(start);
    assertThat(Instant.parse(snapshot.path("period_end").asText())).isEqualTo(end);
    assertThat(snapshot.path("total_messages").asInt()).isEqualTo(2);
    assertThat(snapshot.path("escalated").asInt()).isEqualTo(1);
    assertDecimal(snapshot.path("escalation_rate"), percent(1, 2));
    assertThat(snapshot.path("metrics").path("total_messages").asInt()).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM ai_metrics_snapshots WHERE period_type = '" + type + "'"
        + " AND period_start = '" + start + "' AND total_messages = 2")).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"snapshot-schedule-hourly.invalid.json", "snapshot-schedule-daily.invalid.json",
      "snapshot-schedule-weekly.invalid.json", "snapshot-schedule-monthly.invalid.json"})
  void aScheduleWithABadPeriodFailsNamingTheFieldAndStoresNothing(String file) throws Exception {
    assertThatThrownBy(() -> Invocations.invokeFile(handler, file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("detail.period_type");
    assertThat(count("SELECT count(*) FROM ai_metrics_snapshots")).isZero();
  }

  @Test
  void aDirectInvocationWithAPeriodTypeTakesASnapshot() throws Exception {
    insert(List.of(Row.detected("card_arrival").at(Instant.parse("2026-03-01T13:30:00Z"))));

    JsonNode snapshot = Json.MAPPER.readTree(Invocations.invoke(handler,
        "{\"period_type\": \"hourly\", \"at\": \"2026-03-01T14:05:00Z\"}"));

    assertThat(snapshot.path("period_start").asText()).isEqualTo("2026-03-01T13:00:00Z");
    assertThat(snapshot.path("total_messages").asInt()).isEqualTo(1);
  }

  @Test
  void theSnapshotEventFreezesYesterdayAndTakingItAgainReplacesIt() throws Exception {
    // Arrange: the handler's clock says 2026-03-02T10:00Z, so the daily period is 2026-03-01
    insert(List.of(Row.detected("card_arrival").at(Instant.parse("2026-03-01T08:00:00Z")).escalated(true),
        Row.detected("card_arrival").at(Instant.parse("2026-03-01T09:00:00Z"))));
    HttpResult first = Invocations.httpFile(handler, "snapshot-create.json");
    insert(List.of(Row.detected("card_linking").at(Instant.parse("2026-03-01T23:59:00Z")))); // arrived late

    // Act
    HttpResult second = Invocations.httpFile(handler, "snapshot-create.json");

    // Assert
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body().path("period_start").asText()).isEqualTo("2026-03-01T00:00:00Z");
    assertThat(first.body().path("total_messages").asInt()).isEqualTo(2);
    assertDecimal(first.body().path("escalation_rate"), new BigDecimal("50.00"));
    assertThat(first.body().path("alerts").get(0).path("metric").asText()).isEqualTo("escalation_rate");
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.body().path("id")).isEqualTo(first.body().path("id"));
    assertThat(second.body().path("total_messages").asInt()).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM ai_metrics_snapshots")).isEqualTo(1);
  }

  @Test
  void badSnapshotRequestsAre400sNamingTheField() {
    HttpResult invalidEvent = Invocations.httpFile(handler, "snapshot-create.invalid.json");
    HttpResult future = Invocations.http(handler, "POST", "/ai/training/snapshot", Map.of(),
        "{\"period_type\": \"hourly\", \"at\": \"2026-03-02T10:00:01Z\"}");
    HttpResult unknown = Invocations.http(handler, "POST", "/ai/training/snapshot", Map.of(),
        "{\"period_type\": \"hourly\", \"period\": \"x\"}");
    HttpResult missing = Invocations.http(handler, "POST", "/ai/training/snapshot", Map.of(), "{}");

    assertThat(invalidEvent.status()).isEqualTo(400);
    assertThat(invalidEvent.errorField()).isEqualTo("period_type");
    assertThat(future.errorField()).isEqualTo("at");
    assertThat(unknown.errorField()).isEqualTo("period");
    assertThat(missing.errorField()).isEqualTo("period_type");
  }

  // --------------------------------------------------------------------------------- history

  @Test
  void theHistoryEventListsTheDailySnapshotsOfFebruaryNewestFirst() throws Exception {
    // Arrange: daily snapshots of 2026-01-30 to 2026-03-01, and a few weekly ones
    for (Instant day = Instant.parse("2026-01-31T00:05:00Z"); !day.isAfter(Instant.parse("2026-03-02T00:05:00Z"));
         day = day.plus(1, ChronoUnit.DAYS)) {
      metrics.snapshot(PeriodType.DAILY, day);
    }
    metrics.snapshot(PeriodType.WEEKLY, Instant.parse("2026-02-16T00:05:00Z"));
    metrics.snapshot(PeriodType.WEEKLY, Instant.parse("2026-02-23T00:05:00Z"));

    // Act
    HttpResult result = Invocations.httpFile(handler, "snapshot-metrics-history.json");

    // Assert
    assertThat(result.status()).isEqualTo(200);
    List<String> starts = new ArrayList<>();
    result.body().path("items").forEach(item -> {
      assertThat(item.path("period_type").asText()).isEqualTo("daily");
      starts.add(item.path("period_start").asText());
    });
    List<String> expected = new ArrayList<>();
    for (int day = 28; day >= 1; day--) {
      expected.add("2026-02-%02dT00:00:00Z".formatted(day));
    }
    assertThat(starts).containsExactlyElementsOf(expected);
    assertThat(result.body().path("next_cursor").isNull()).isTrue();
  }

  @Test
  void historyPagesCoverEverySnapshotOnceNewestFirst() throws Exception {
    // Arrange: periods of several types starting at the same instants, so the id breaks ties
    for (int day = 1; day <= 9; day++) {
      Instant at = Instant.parse("2026-02-%02dT00:05:00Z".formatted(day));
      metrics.snapshot(PeriodType.DAILY, at);
      metrics.snapshot(PeriodType.HOURLY, at.minus(23, ChronoUnit.HOURS));
    }
    metrics.snapshot(PeriodType.MONTHLY, Instant.parse("2026-02-01T00:05:00Z"));
    var all = metrics.history(io.intentpipeline.metrics.HistoryFilter.none(), PageRequest.first(200)).items();

    // Act
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Map<String, String> query = new LinkedHashMap<>(Map.of("limit", "4"));
      if (cursor != null) {
        query.put("cursor", cursor);
      }
      HttpResult page = Invocations.get(handler, "/ai/training/metrics/history", query);
      assertThat(page.status()).isEqualTo(200);
      page.body().path("items").forEach(item -> seen.add(item.path("id").asText()));
      cursor = page.body().path("next_cursor").isNull() ? null : page.body().path("next_cursor").asText();
    } while (cursor != null);

    // Assert
    assertThat(all).hasSize(19)
        .isSortedAccordingTo(Comparator.comparing(io.intentpipeline.metrics.Snapshot::periodStart).reversed());
    assertThat(seen).containsExactlyElementsOf(all.stream().map(s -> s.id().toString()).toList());
  }

  @Test
  void theInvalidHistoryEventIsA400NamingThePeriodType() {
    HttpResult result = Invocations.httpFile(handler, "snapshot-metrics-history.invalid.json");

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.errorField()).isEqualTo("period_type");
  }

  // ------------------------------------------------------------------------- intent performance

  @Test
  void intentPerformancePutsReviewedAccuracyBesideTheDeployedRunsFigures() throws Exception {
    // Arrange
    Instant now = Instant.now();
    run("older deployed", true, 0.5f, now.minus(3, ChronoUnit.DAYS),
        "{\"card_arrival\": {\"precision\": 0.1, \"recall\": 0.1, \"f1\": 0.1, \"support\": 1}}");
    UUID deployed = run("deployed", true, 0.82f, now.minus(2, ChronoUnit.DAYS), """
        {"card_arrival": {"precision": 0.9, "recall": 0.8, "f1": 0.847, "support": 40},
         "card_linking": {"precision": 0.5, "recall": 0.75, "f1": 0.6, "support": 12},
         "exchange_rate": {"precision": 1.0, "recall": 0.95, "f1": 0.974, "support": 20}}""");
    run("rejected candidate", false, 0.4f, now.minus(1, ChronoUnit.DAYS),
        "{\"card_arrival\": {\"precision\": 0.2, \"recall\": 0.2, \"f1\": 0.2, \"support\": 1}}");
    insert(List.of(
        Row.detected("card_arrival").correct("card_arrival"), Row.detected("card_arrival").correct("card_arrival"),
        Row.detected("card_arrival").correct("card_arrival"), Row.detected("card_arrival").correct("card_linking"),
        Row.detected("card_linking").correct("card_linking"), Row.detected("card_linking").correct("pin_blocked"),
        Row.detected("card_linking").correct("card_arrival"),
        Row.detected("pin_blocked").correct("pin_blocked"), Row.detected("pin_blocked").correct("pin_blocked"),
        Row.detected("exchange_rate"), Row.detected("card_arrival")));                // not reviewed

    // Act
    HttpResult result = Invocations.httpFile(handler, "snapshot-intent-performance.json");

    // Assert
    assertThat(result.status()).isEqualTo(200);
    assertThat(result.body().path("run").path("run_id").asText()).isEqualTo(deployed.toString());
    Map<String, JsonNode> byIntent = new LinkedHashMap<>();
    result.body().path("intents").forEach(i -> byIntent.put(i.path("intent").asText(), i));
    assertThat(byIntent.keySet()).containsExactly("card_arrival", "card_linking", "exchange_rate", "pin_blocked");
    JsonNode arrival = byIntent.get("card_arrival");
    assertThat(arrival.path("reviewed").asInt()).isEqualTo(4);
    assertThat(arrival.path("correct").asInt()).isEqualTo(3);
    assertDecimal(arrival.path("accuracy"), new BigDecimal("0.7500"));   // 3 / 4
    assertDecimal(arrival.path("precision"), new BigDecimal("0.9"));
    assertDecimal(arrival.path("recall"), new BigDecimal("0.8"));
    assertDecimal(arrival.path("f1"), new BigDecimal("0.847"));
    assertThat(arrival.path("support").asInt()).isEqualTo(40);
    assertDecimal(byIntent.get("card_linking").path("accuracy"), new BigDecimal("0.3333")); // 1 / 3
    assertThat(byIntent.get("exchange_rate").path("reviewed").asInt()).isZero();
    assertThat(byIntent.get("exchange_rate").path("accuracy").isNull()).isTrue();
    assertDecimal(byIntent.get("exchange_rate").path("f1"), new BigDecimal("0.974"));
    assertDecimal(byIntent.get("pin_blocked").path("accuracy"), new BigDecimal("1.0000"));  // 2 / 2
    assertThat(byIntent.get("pin_blocked").path("f1").isNull()).isTrue();                   // unknown to the run
  }

  @Test
  void intentPerformanceBeforeAnyDeployHasNoRunFigures() throws Exception {
    insert(List.of(Row.detected("card_arrival").correct("card_arrival")));

    HttpResult result = Invocations.get(handler, "/ai/training/intent-performance", Map.of());

    assertThat(result.body().path("run").isNull()).isTrue();
    assertThat(result.body().path("intents")).hasSize(1);
    assertThat(result.body().path("intents").get(0).path("precision").isNull()).isTrue();
  }

  @Test
  void theInvalidIntentPerformanceEventIsA400NamingTheParameter() {
    HttpResult result = Invocations.httpFile(handler, "snapshot-intent-performance.invalid.json");

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.errorField()).isEqualTo("run");
  }

  // ------------------------------------------------------------------------------ dataset stats

  /** A stats fixture row: its detected and corrected intent, source and status. */
  record Sample(String detected, String correct, String source, String status) {
    String intent() {
      return correct != null ? correct : detected;
    }
  }

  @Test
  void datasetStatsCountIntentsSourcesStatusesAndTheShareCorrected() throws Exception {
    // Arrange
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      samples.add(new Sample("card_arrival", null, "live", "pending"));
    }
    samples.add(new Sample("card_arrival", "card_linking", "live", "reviewed"));
    samples.add(new Sample("card_arrival", "card_linking", "live", "reviewed"));
    samples.add(new Sample("card_arrival", "card_arrival", "live", "reviewed"));
    samples.add(new Sample("exchange_rate", null, "imported", "approved"));
    samples.add(new Sample("card_linking", null, "synthetic", "used_in_training"));
    samples.add(new Sample(null, null, "live", "rejected"));
    insert(samples.stream().map(s -> Row.detected(s.detected()).correct(s.correct()).source(s.source())
        .status(s.status()).confidence("imported".equals(s.source()) ? null : 80)).toList());
    long total = samples.size();
    long corrected = samples.stream().filter(s -> s.correct() != null).count();
    Map<String, List<Sample>> byIntent = samples.stream().filter(s -> s.intent() != null)
        .collect(Collectors.groupingBy(Sample::intent));

    // Act
    HttpResult result = Invocations.httpFile(handler, "snapshot-dataset-stats.json");

    // Assert
    assertThat(result.status()).isEqualTo(200);
    JsonNode body = result.body();
    assertThat(body.path("total_samples").asLong()).isEqualTo(total).isEqualTo(11);
    assertThat(body.path("corrected").asLong()).isEqualTo(corrected).isEqualTo(3);
    assertDecimal(body.path("corrected_rate"), percent(corrected, total));           // 27.27
    assertThat(body.path("unlabelled").asInt()).isEqualTo(1);
    assertThat(body.path("total_intents").asInt()).isEqualTo(byIntent.size()).isEqualTo(3);
    List<String> order = new ArrayList<>();
    body.path("intents").forEach(i -> {
      String intent = i.path("intent").asText();
      order.add(intent);
      List<Sample> of = byIntent.get(intent);
      long ofCorrected = of.stream().filter(s -> s.correct() != null).count();
      assertThat(i.path("samples").asLong()).as(intent).isEqualTo(of.size());
      assertThat(i.path("corrected").asLong()).as(intent).isEqualTo(ofCorrected);
      assertDecimal(i.path("corrected_rate"), percent(ofCorrected, of.size()));
    });
    assertThat(order).containsExactly("card_arrival", "card_linking", "exchange_rate"); // 6, 3, 1 samples
    assertThat(Json.MAPPER.convertValue(body.path("sources"), Map.class))
        .isEqualTo(Map.of("live", 9, "imported", 1, "synthetic", 1));
    assertThat(Json.MAPPER.convertValue(body.path("statuses"), Map.class))
        .isEqualTo(Map.of("pending", 5, "reviewed", 3, "approved", 1, "rejected", 1, "used_in_training", 1));
  }

  @Test
  void datasetStatsOfAnEmptyTableAreZeros() {
    HttpResult result = Invocations.get(handler, "/ai/training/dataset/stats", Map.of());

    assertThat(result.body().path("total_samples").asInt()).isZero();
    assertThat(result.body().path("corrected_rate").isNull()).isTrue();
    assertThat(result.body().path("intents")).isEmpty();
    assertThat(result.body().path("sources").path("live").asInt()).isZero();
  }

  @Test
  void theInvalidDatasetStatsEventIsA400NamingTheParameter() {
    HttpResult result = Invocations.httpFile(handler, "snapshot-dataset-stats.invalid.json");

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.errorField()).isEqualTo("intent");
  }
}
