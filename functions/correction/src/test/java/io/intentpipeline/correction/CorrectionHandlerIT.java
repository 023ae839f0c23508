package io.intentpipeline.correction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.log.Log;
import io.intentpipeline.review.ReviewOrder;
import io.intentpipeline.review.ReviewService;
import io.intentpipeline.storage.Database;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.Invocations.HttpResult;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TestStackExtension;
import io.intentpipeline.testing.TrainingRows;
import io.intentpipeline.testing.TrainingRows.Row;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The correction function end to end: the events of events/ and built requests, real PostgreSQL. */
class CorrectionHandlerIT {
  /** The sample the events of events/ refer to. */
  static final UUID EVENT_SAMPLE = UUID.fromString("0b8f2f4e-6a35-4c1e-9d3a-5f0e7c2b9a41");
  static final UUID REVIEWER = UUID.fromString("7d2c9e41-1f6b-4a8e-b3c5-9e0d8a7f6b12");
  @RegisterExtension
  static final TestStackExtension STACK = TestStackExtension.withDatabase("correctionhandler").emptyingTrainingRows();
  static TestStack stack;
  static Database database;
  static CorrectionHandler handler;

  @BeforeAll
  static void start() {
    stack = STACK.stack();
    database = STACK.database();
    handler = new CorrectionHandler(new ReviewService(database), ReviewOrder.DEFAULT);
  }

  private static void insert(Row... rows) throws SQLException {
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, List.of(rows));
    }
  }

  private static Map<String, Object> dataRow(UUID id) throws SQLException {
    try (Connection c = stack.connect(); var s = c.prepareStatement("SELECT correct_intent, correct_response,"
        + " intent_correct, corrected_by_human, dataset_status, corrected_by, should_escalate"
        + " FROM ai_training_data WHERE id = ?")) {
      s.setObject(1, id);
      try (var rs = s.executeQuery()) {
        rs.next();
        var row = new java.util.HashMap<String, Object>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
        }
        return row;
      }
    }
  }

  private static int corrections(UUID id) throws SQLException {
    try (Connection c = stack.connect();
         var s = c.prepareStatement("SELECT count(*) FROM ai_intent_corrections WHERE training_data_id = ?")) {
      s.setObject(1, id);
      try (var rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static String correction(UUID id, String intent) {
    return "{\"training_data_id\": \"" + id + "\", \"correct_intent\": \"" + intent + "\"}";
  }

  // ---------------------------------------------------------------------------------- correction

  @Test
  void theSubmitEventRecordsTheCorrectionAndTheTriggerMarksTheMismatch() throws Exception {
    // Arrange
    insert(Row.detected("card_linking").id(EVENT_SAMPLE).confidence(41));

    // Act
    HttpResult result = Invocations.httpFile(handler, "correction-submit.json");

    // Assert
    assertThat(result.status()).isEqualTo(201);
    assertThat(result.body().path("training_data_id").asText()).isEqualTo(EVENT_SAMPLE.toString());
    assertThat(result.body().path("original_intent").asText()).isEqualTo("card_linking");
    assertThat(result.body().path("corrected_intent").asText()).isEqualTo("card_arrival");
    assertThat(result.body().path("was_mismatch").asBoolean()).isTrue();
    assertThat(result.body().path("duplicate").asBoolean()).isFalse();
    assertThat(UUID.fromString(result.body().path("correction_id").asText())).isNotNull();
    assertThat(dataRow(EVENT_SAMPLE))
        .containsEntry("correct_intent", "card_arrival")
        .containsEntry("correct_response", "Cards usually arrive within 3 to 5 working days.")
        .containsEntry("intent_correct", false)
        .containsEntry("corrected_by_human", true)
        .containsEntry("dataset_status", "reviewed")
        .containsEntry("corrected_by", REVIEWER)
        .containsEntry("should_escalate", false);
    assertThat(corrections(EVENT_SAMPLE)).isEqualTo(1);
  }

  @Test
  void submittingTheSameCorrectionTwiceIsHarmless() throws Exception {
    // Arrange
    insert(Row.detected("card_linking").id(EVENT_SAMPLE));
    HttpResult first = Invocations.httpFile(handler, "correction-submit.json");

    // Act
    HttpResult second = Invocations.httpFile(handler, "correction-submit.json");

    // Assert
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.body().path("duplicate").asBoolean()).isTrue();
    assertThat(second.body().path("correction_id")).isEqualTo(first.body().path("correction_id"));
    assertThat(corrections(EVENT_SAMPLE)).isEqualTo(1);
  }

  @Test
  void confirmingTheDetectedIntentMarksTheSampleCorrect() throws Exception {
    // Arrange
    var row = Row.detected("card_arrival");
    insert(row);

    // Act
    HttpResult result = Invocations.http(handler, "POST", "/ai/training/correction", Map.of(),
        correction(row.id(), "card_arrival"));

    // Assert
    assertThat(result.status()).isEqualTo(201);
    assertThat(result.body().path("was_mismatch").asBoolean()).isFalse();
    assertThat(dataRow(row.id())).containsEntry("intent_correct", true).containsEntry("corrected_by_human", true);
  }

  @Test
  void theInvalidSubmitEventIsA400NamingTheFieldAndChangesNothing() throws Exception {
    // Arrange
    insert(Row.detected("card_linking").id(EVENT_SAMPLE));

    // Act
    HttpResult result = Invocations.httpFile(handler, "correction-submit.invalid.json");

    // Assert
    assertThat(result.status()).isEqualTo(400);
    assertThat(result.errorField()).isEqualTo("correct_intent");
    assertThat(result.body().path("error").path("code").asText()).isEqualTo("invalid_request");
    assertThat(corrections(EVENT_SAMPLE)).isZero();
    assertThat(dataRow(EVENT_SAMPLE)).containsEntry("corrected_by_human", false).containsEntry("dataset_status", "pending");
  }

  @Test
  void anUnknownSampleIsA404NamingTheId() {
    HttpResult result = Invocations.http(handler, "POST", "/ai/training/correction", Map.of(),
        correction(UUID.randomUUID(), "card_arrival"));

    assertThat(result.status()).isEqualTo(404);
    assertThat(result.errorField()).isEqualTo("training_data_id");
  }

  @Test
  void malformedBodiesAre400sNamingTheBody() {
    for (String body : List.of("", "{\"training_data_id\": ", "\"text\"")) {
      HttpResult result = Invocations.http(handler, "POST", "/ai/training/correction", Map.of(), body);

      assertThat(result.status()).as(body).isEqualTo(400);
      assertThat(result.errorField()).as(body).isEqualTo("body");
    }
  }

  @Test
  void theLogNamesIdsButNeverTheTextsOfTheCorrection() throws Exception {
    // Arrange
    insert(Row.detected("card_linking").id(EVENT_SAMPLE));
    var captured = new ByteArrayOutputStream();
    Log.to(new PrintStream(captured, true, StandardCharsets.UTF_8));

    // Act
    try {
      Invocations.httpFile(handler, "correction-submit.json");
    } finally {
      Log.to(System.out);
    }

    // Assert
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("correction_submitted").contains(EVENT_SAMPLE.toString())
        .doesNotContain("Cards usually arrive").doesNotContain("not activation");
  }

  // ------------------------------------------------------------------------------ pending review

  @Test
  void thePendingReviewEventListsTheMatchingSamplesLeastConfidentAndClosestFirst() throws Exception {
    // Arrange: the event asks for card_arrival in February 2026 with confidence 0-60
    Instant feb = Instant.parse("2026-02-10T12:00:00Z");
    var sure = Row.detected("card_arrival").confidence(60).margin(0.5f).at(feb).message("m-sure");
    var unsure = Row.detected("card_arrival").confidence(20).margin(0.4f).at(feb).message("m-unsure")
        .topIntents("[{\"intent\": \"card_arrival\", \"confidence\": 0.2}, {\"intent\": \"card_linking\", \"confidence\": 0.16}]");
    var closeCall = Row.detected("card_arrival").confidence(20).margin(0.05f).at(feb).message("m-close");
    var noMargin = Row.detected("card_arrival").confidence(20).at(feb).message("m-nomargin");
    insert(sure, unsure, closeCall, noMargin,
        Row.detected("card_linking").confidence(10).at(feb),                        // other intent
        Row.detected("card_arrival").confidence(61).at(feb),                        // too confident
        Row.detected("card_arrival").confidence(5).at(Instant.parse("2026-03-01T00:00:00Z")), // "to" is exclusive
        Row.detected("card_arrival").confidence(5).at(feb).correct("card_linking"), // already reviewed
        Row.detected("card_arrival").confidence(5).at(feb).status("rejected"),
        Row.detected("card_arrival").confidence(null).at(feb));                     // no prediction

    // Act
    HttpResult result = Invocations.httpFile(handler, "correction-pending-review.json");

    // Assert
    assertThat(result.status()).isEqualTo(200);
    JsonNode items = result.body().path("items");
    List<String> ids = new ArrayList<>();
    items.forEach(item -> ids.add(item.path("id").asText()));
    assertThat(ids).containsExactly(closeCall.id().toString(), unsure.id().toString(), noMargin.id().toString(),
        sure.id().toString());
    assertThat(result.body().path("next_cursor").isNull()).isTrue();
    JsonNode second = items.get(1);
    assertThat(second.path("user_message").asText()).isEqualTo("m-unsure");
    assertThat(second.path("detected_intent").asText()).isEqualTo("card_arrival");
    assertThat(second.path("confidence_score").asInt()).isEqualTo(20);
    assertThat(second.path("intent_margin").asDouble()).isEqualTo(0.4, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(second.path("top_intents").get(1).path("intent").asText()).isEqualTo("card_linking");
    assertThat(second.path("occurred_at").asText()).isEqualTo("2026-02-10T12:00:00Z");
    assertThat(second.path("dataset_status").asText()).isEqualTo("pending");
    assertThat(second.path("review_reason").asText()).isEqualTo("priority");
    assertThat(items.get(2).path("intent_margin").isNull()).isTrue();
  }

  @Test
  void theAuditedSamplesComeFirstAndTheAuditEventListsThemAlone() throws Exception {
    // Arrange: two audited samples, sure of themselves, and two unsure ordinary ones
    var auditedSure = Row.detected("card_arrival").confidence(95).audited(true)
        .id(UUID.fromString("00000000-0000-4000-8000-000000000001"));
    var auditedUnsure = Row.detected("card_arrival").confidence(70).audited(true)
        .id(UUID.fromString("00000000-0000-4000-8000-000000000002"));
    var unsure = Row.detected("card_linking").confidence(10);
    var lessUnsure = Row.detected("card_linking").confidence(30);
    insert(auditedSure, auditedUnsure, unsure, lessUnsure,
        Row.detected("card_arrival").confidence(5).audited(true).correct("card_arrival")); // reviewed already

    // Act
    HttpResult all = Invocations.get(handler, "/ai/training/pending-review", Map.of("limit", "3"));
    HttpResult rest = Invocations.get(handler, "/ai/training/pending-review",
        Map.of("limit", "3", "cursor", all.body().path("next_cursor").asText()));
    HttpResult audited = Invocations.httpFile(handler, "correction-pending-review-audit.json");
    HttpResult others = Invocations.get(handler, "/ai/training/pending-review", Map.of("reason", "priority"));

    // Assert: the audit sample first (by id, whatever the confidence), each item saying why it is there
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.body().path("items").findValuesAsText("id")).containsExactly(auditedSure.id().toString(),
        auditedUnsure.id().toString(), unsure.id().toString());
    assertThat(all.body().path("items").findValuesAsText("review_reason")).containsExactly("audit", "audit", "priority");
    assertThat(rest.body().path("items").findValuesAsText("id")).containsExactly(lessUnsure.id().toString());
    assertThat(rest.body().path("next_cursor").isNull()).isTrue();
    assertThat(audited.status()).isEqualTo(200);
    assertThat(audited.body().path("items").findValuesAsText("id")).containsExactly(auditedSure.id().toString(),
        auditedUnsure.id().toString());
    assertThat(others.body().path("items").findValuesAsText("review_reason")).containsExactly("priority", "priority");
  }

  @Test
  void theInvalidAuditEventIsA400NamingTheReason() {
    HttpResult result = Invocations.httpFile(handler, "correction-pending-review-audit.invalid.json");

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.errorField()).isEqualTo("reason");
    assertThat(result.body().path("error").path("message").asText()).isEqualTo("reason must be audit or priority");
  }

  @Test
  void thePendingReviewPagesFollowTheCursorWithoutRepeatsOrGaps() throws Exception {
    // Arrange
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      rows.add(Row.detected("card_arrival").confidence(i % 5 * 10).margin((i % 3) / 10f));
    }
    insert(rows.toArray(Row[]::new));

    // Act
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Map<String, String> query = cursor == null ? Map.of("limit", "5") : Map.of("limit", "5", "cursor", cursor);
      HttpResult page = Invocations.get(handler, "/ai/training/pending-review", query);
      assertThat(page.status()).isEqualTo(200);
      page.body().path("items").forEach(item -> seen.add(item.path("id").asText()));
      cursor = page.body().path("next_cursor").isNull() ? null : page.body().path("next_cursor").asText();
      pages++;
    } while (cursor != null);

    // Assert
    assertThat(pages).isEqualTo(5);
    assertThat(seen).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(rows.stream().map(r -> r.id().toString()).toList());
  }

  @Test
  void theInvalidPendingReviewEventIsA400NamingTheParameter() {
    HttpResult result = Invocations.httpFile(handler, "correction-pending-review.invalid.json");

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.errorField()).isEqualTo("max_confidence");
  }

  @Test
  void badQueryParametersAre400sNamingThem() {
    Map<Map<String, String>, String> cases = Map.of(
        Map.of("limit", "0"), "limit",
        Map.of("limit", "201"), "limit",
        Map.of("cursor", "garbage"), "cursor",
        Map.of("min_confidence", "70", "max_confidence", "60"), "max_confidence",
        Map.of("from", "2026-03-02", "to", "2026-03-01"), "to",
        Map.of("intent", "no spaces"), "intent",
        Map.of("reason", "AUDIT"), "reason",
        Map.of("order", "newest"), "order",
        Map.of("sort", "asc"), "sort");
    cases.forEach((query, field) -> {
      HttpResult result = Invocations.get(handler, "/ai/training/pending-review", query);

      assertThat(result.status()).as(query.toString()).isEqualTo(400);
      assertThat(result.errorField()).as(query.toString()).isEqualTo(field);
    });
  }

  @Test
  void anUnknownOrderIsA400ListingTheAcceptedOrders() {
    HttpResult result = Invocations.get(handler, "/ai/training/pending-review", Map.of("order", "random"));

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.body().path("error").path("code").asText()).isEqualTo("invalid_request");
    assertThat(result.body().path("error").path("message").asText())
        .isEqualTo("order must be one of diverse, lowest_confidence, smallest_margin");
  }

  @Test
  void everyOrderPagesTheQueueByItsOwnCursorWhichNoOtherOrderAccepts() throws Exception {
    // Arrange: 7 audited rows, so that the first page ends in the audit sample and the second crosses into the rest
    List<Row> rows = new ArrayList<>();
    List<String> audited = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      var row = Row.detected(i % 2 == 0 ? "card_arrival" : "card_linking").confidence(i % 5 * 10).margin((i % 3) / 10f)
          .topIntents("[{\"intent\": \"card_arrival\", \"confidence\": 0.5}, {\"intent\": \""
              + (i % 4 < 2 ? "card_linking" : "pin_blocked") + "\", \"confidence\": 0.3}]").audited(i % 3 == 0 && i < 20);
      rows.add(row);
      if (i % 3 == 0 && i < 20) {
        audited.add(row.id().toString());
      }
    }
    insert(rows.toArray(Row[]::new));
    java.util.Collections.sort(audited); // the audit sample's order: by id (lower-case hex sorts as PostgreSQL's UUIDs)

    for (String order : List.of("lowest_confidence", "smallest_margin", "diverse")) {
      // Act
      List<String> seen = new ArrayList<>();
      List<String> cursors = new ArrayList<>();
      String cursor = null;
      do {
        Map<String, String> query = new java.util.HashMap<>(Map.of("limit", "5", "order", order));
        if (cursor != null) {
          query.put("cursor", cursor);
          cursors.add(cursor);
        }
        HttpResult page = Invocations.get(handler, "/ai/training/pending-review", query);
        assertThat(page.status()).as(order).isEqualTo(200);
        page.body().path("items").forEach(item -> seen.add(item.path("id").asText()));
        cursor = page.body().path("next_cursor").isNull() ? null : page.body().path("next_cursor").asText();
      } while (cursor != null);

      // Assert: every row once, the audit sample first, by id
      assertThat(seen).as(order).doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(rows.stream().map(r -> r.id().toString()).toList());
      assertThat(seen.subList(0, audited.size())).as(order).containsExactlyElementsOf(audited);
      assertThat(cursors).as(order).hasSize(4);
      for (String other : List.of("lowest_confidence", "smallest_margin", "diverse")) {
        if (!other.equals(order)) {
          HttpResult refused = Invocations.get(handler, "/ai/training/pending-review",
              Map.of("order", other, "cursor", cursors.get(0)));
          assertThat(refused.status()).as(order + " cursor with order " + other).isEqualTo(400);
          assertThat(refused.errorField()).isEqualTo("cursor");
        }
      }
    }
  }

  @Test
  void theConfiguredOrderIsTheOneOfARequestThatNamesNoneAndEachItemSaysItsScores() throws Exception {
    // Arrange: one row re-scored by a deploy
    var sure = Row.detected("card_arrival").confidence(80).margin(0.01f);
    var unsure = Row.detected("card_arrival").confidence(10).margin(0.6f);
    var rescored = Row.detected("card_linking").confidence(95).margin(0.9f);
    insert(sure, unsure, rescored);
    try (Connection c = stack.connect()) {
      TrainingRows.rescore(c, rescored.id(), "intent_classifier_20260301_070000", "card_arrival", 5, 0.02f,
          "[{\"intent\": \"card_arrival\", \"confidence\": 0.05}, {\"intent\": \"card_linking\", \"confidence\": 0.03}]");
    }
    var byMargin = new CorrectionHandler(new ReviewService(database), ReviewOrder.SMALLEST_MARGIN);

    // Act
    HttpResult configured = Invocations.get(byMargin, "/ai/training/pending-review", Map.of());
    HttpResult asked = Invocations.get(byMargin, "/ai/training/pending-review", Map.of("order", "lowest_confidence"));

    // Assert: smallest margin first by default, lowest confidence when asked; the re-scored figures count
    assertThat(ids(configured)).containsExactly(sure.id().toString(), rescored.id().toString(), unsure.id().toString());
    assertThat(ids(asked)).containsExactly(rescored.id().toString(), unsure.id().toString(), sure.id().toString());
    JsonNode item = asked.body().path("items").get(0);
    assertThat(item.path("detected_intent").asText()).isEqualTo("card_linking");
    assertThat(item.path("confidence_score").asInt()).isEqualTo(95);
    JsonNode scores = item.path("rescored");
    assertThat(scores.path("model_version").asText()).isEqualTo("intent_classifier_20260301_070000");
    assertThat(scores.path("intent").asText()).isEqualTo("card_arrival");
    assertThat(scores.path("confidence_score").asInt()).isEqualTo(5);
    assertThat(scores.path("intent_margin").asDouble()).isCloseTo(0.02, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(scores.path("top_intents").get(1).path("intent").asText()).isEqualTo("card_linking");
    assertThat(scores.path("scored_at").asText()).isNotEmpty();
    assertThat(asked.body().path("items").get(1).path("rescored").isNull()).isTrue();
  }

  @Test
  void theReasonAndTheOrderCombine() throws Exception {
    // Arrange: the audit sample and the others, each with a close call and a sure answer
    var auditedClose = Row.detected("card_arrival").confidence(90).margin(0.01f).audited(true);
    var auditedUnsure = Row.detected("card_arrival").confidence(10).margin(0.8f).audited(true);
    var close = Row.detected("card_linking").confidence(90).margin(0.01f);
    var unsure = Row.detected("card_linking").confidence(10).margin(0.8f);
    insert(auditedClose, auditedUnsure, close, unsure);
    List<String> auditedById = java.util.stream.Stream.of(auditedClose, auditedUnsure).map(r -> r.id().toString())
        .sorted().toList();

    // Act
    HttpResult othersByMargin = Invocations.get(handler, "/ai/training/pending-review",
        Map.of("reason", "priority", "order", "smallest_margin"));
    HttpResult othersByConfidence = Invocations.get(handler, "/ai/training/pending-review",
        Map.of("reason", "priority", "order", "lowest_confidence"));
    HttpResult auditedByMargin = Invocations.get(handler, "/ai/training/pending-review",
        Map.of("reason", "audit", "order", "smallest_margin"));
    HttpResult allByMargin = Invocations.get(handler, "/ai/training/pending-review", Map.of("order", "smallest_margin"));

    // Assert: the order sorts the rest; the audit sample stays in id order, first
    assertThat(ids(othersByMargin)).containsExactly(close.id().toString(), unsure.id().toString());
    assertThat(ids(othersByConfidence)).containsExactly(unsure.id().toString(), close.id().toString());
    assertThat(ids(auditedByMargin)).containsExactlyElementsOf(auditedById);
    assertThat(ids(allByMargin)).containsExactly(auditedById.get(0), auditedById.get(1), close.id().toString(),
        unsure.id().toString());
  }

  private static List<String> ids(HttpResult result) {
    assertThat(result.status()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    result.body().path("items").forEach(item -> ids.add(item.path("id").asText()));
    return ids;
  }

  // ------------------------------------------------------------------------------------- errors

  @Test
  void theErrorsEventListsMisclassificationsOfTheIntentNewestFirst() throws Exception {
    // Arrange: the event asks for errors involving card_arrival, on either side
    Instant t = Instant.parse("2026-02-20T08:00:00Z");
    var detectedWrongly = Row.detected("card_arrival").correct("card_linking").at(t).confidence(33);
    var missed = Row.detected("exchange_rate").correct("card_arrival").at(t.plusSeconds(60));
    insert(detectedWrongly, missed,
        Row.detected("card_arrival").correct("card_arrival").at(t),   // right: not an error
        Row.detected("pin_blocked").correct("change_pin").at(t),      // another intent
        Row.detected("card_arrival").at(t));                         // not reviewed

    // Act
    HttpResult result = Invocations.httpFile(handler, "correction-errors.json");

    // Assert
    assertThat(result.status()).isEqualTo(200);
    JsonNode items = result.body().path("items");
    assertThat(items).hasSize(2);
    assertThat(items.get(0).path("id").asText()).isEqualTo(missed.id().toString());
    assertThat(items.get(0).path("detected_intent").asText()).isEqualTo("exchange_rate");
    assertThat(items.get(0).path("correct_intent").asText()).isEqualTo("card_arrival");
    assertThat(items.get(1).path("id").asText()).isEqualTo(detectedWrongly.id().toString());
    assertThat(items.get(1).path("confidence_score").asInt()).isEqualTo(33);
    assertThat(result.body().path("next_cursor").isNull()).isTrue();
  }

  @Test
  void theInvalidErrorsEventIsA400NamingTheParameter() {
    HttpResult result = Invocations.httpFile(handler, "correction-errors.invalid.json");

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.errorField()).isEqualTo("from");
  }

  // ------------------------------------------------------------------------------------- other

  @Test
  void wrongMethodsAndPathsAreRefused() {
    assertThat(Invocations.get(handler, "/ai/training/correction", Map.of()).status()).isEqualTo(405);
    assertThat(Invocations.get(handler, "/ai/training/nothing", Map.of()).status()).isEqualTo(404);
  }

  @Test
  void eventsOtherThanHttpRequestsAreRefused() {
    assertThatThrownBy(() -> Invocations.invokeFile(handler, "snapshot-schedule-daily.json"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HTTP API requests only");
  }

  @Test
  void anUnreachableDatabaseIsA503TheCallerCanRetry() {
    // Nothing listens on port 1: the connection is refused at once.
    try (var down = new Database(new Database.Settings("jdbc:postgresql://127.0.0.1:1/none", "u", null, 1), "test")) {
      var unreachable = new CorrectionHandler(new ReviewService(down), ReviewOrder.DEFAULT);

      HttpResult result = Invocations.get(unreachable, "/ai/training/errors", Map.of());

      assertThat(result.status()).isEqualTo(503);
      assertThat(result.body().path("error").path("code").asText()).isEqualTo("database_unavailable");
    }
  }
}
