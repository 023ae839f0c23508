package io.intentpipeline.correction;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.review.ReviewOrder;
import io.intentpipeline.review.ReviewService;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.Invocations.HttpResult;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TestStackExtension;
import io.intentpipeline.testing.TrainingRows;
import io.intentpipeline.testing.TrainingRows.Row;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19's defects of a correction, on the submit event of events/ and real PostgreSQL: the
 * request body (not UTF-8, a repeated key, malformed JSON) is refused and nothing changes; a row
 * already used in training becomes reviewed; a never-seen intent is accepted and said to be new.
 */
class CorrectionSubmitIT {
  static final UUID EVENT_SAMPLE = CorrectionHandlerIT.EVENT_SAMPLE;
  @RegisterExtension
  static final TestStackExtension STACK = TestStackExtension.withDatabase("correctionsubmit").emptyingTrainingRows();
  static TestStack stack;
  static CorrectionHandler handler;

  @BeforeAll
  static void start() {
    stack = STACK.stack();
    handler = new CorrectionHandler(new ReviewService(STACK.database()), ReviewOrder.DEFAULT);
  }

  private static void insert(Row... rows) throws SQLException {
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, List.of(rows));
    }
  }

  private static Map<String, Object> dataRow(UUID id) throws SQLException {
    try (Connection c = stack.connect(); var s = c.prepareStatement(
        "SELECT correct_intent, dataset_status, corrected_by_human FROM ai_training_data WHERE id = ?")) {
      s.setObject(1, id);
      try (var rs = s.executeQuery()) {
        rs.next();
        var row = new java.util.HashMap<String, Object>();
        row.put("correct_intent", rs.getString(1));
        row.put("dataset_status", rs.getString(2));
        row.put("corrected_by_human", rs.getBoolean(3));
        return row;
      }
    }
  }

  /** The submit event of events/ with {@code body} as its bytes, base64-encoded as API Gateway sends bytes. */
  private static JsonNode submitBytes(byte[] body) {
    ObjectNode event = (ObjectNode) Json.parseBody(Invocations.eventText("correction-submit.json"));
    event.put("body", Base64.getEncoder().encodeToString(body));
    event.put("isBase64Encoded", true);
    return Json.parseBody(Invocations.invoke(handler, Json.write(event)));
  }

  private static String sampleBody() {
    return Json.parseBody(Invocations.eventText("correction-submit.json")).get("body").asText();
  }

  private static HttpResult correct(UUID id, String intent) {
    return Invocations.http(handler, "POST", "/ai/training/correction", Map.of(),
        "{\"training_data_id\": \"" + id + "\", \"correct_intent\": \"" + intent + "\"}");
  }

  @Test
  void aBodyThatIsNotUtf8IsRefusedAndTheSampleIsUntouched() throws Exception {
    // Arrange: the sample event's body with a Latin-1 'é' (one byte 0xE9) in the notes
    insert(Row.detected("card_linking").id(EVENT_SAMPLE));
    String body = sampleBody().replace("Asked about delivery", "Asked about délivery");

    // Act
    JsonNode refused = submitBytes(body.getBytes(StandardCharsets.ISO_8859_1));

    // Assert
    assertThat(refused.get("statusCode").asInt()).isEqualTo(400);
    JsonNode error = Invocations.body(refused).get("error");
    assertThat(error.get("field").asText()).isEqualTo("body");
    assertThat(error.get("message").asText()).contains("not valid UTF-8")
        .contains("offset " + (body.indexOf("délivery") + 1));
    assertThat(dataRow(EVENT_SAMPLE)).containsEntry("correct_intent", null).containsEntry("dataset_status", "pending");
  }

  @Test
  void aRepeatedKeyIsRefusedNamingItAndTheSampleIsUntouched() throws Exception {
    insert(Row.detected("card_linking").id(EVENT_SAMPLE));
    String body = sampleBody().replace("\"correct_intent\": \"card_arrival\"",
        "\"correct_intent\": \"card_arrival\", \"correct_intent\": \"card_linking\"");

    JsonNode refused = submitBytes(body.getBytes(StandardCharsets.UTF_8));

    assertThat(refused.get("statusCode").asInt()).isEqualTo(400);
    assertThat(Invocations.body(refused).get("error").get("field").asText()).isEqualTo("correct_intent");
    assertThat(Invocations.body(refused).get("error").get("message").asText()).contains("appears twice");
    assertThat(dataRow(EVENT_SAMPLE)).containsEntry("correct_intent", null);
  }

  @Test
  void malformedJsonSaysWhereWithoutRepeatingTheText() {
    JsonNode refused = submitBytes("{\"training_data_id\": SECRET123}".getBytes(StandardCharsets.UTF_8));

    assertThat(refused.get("statusCode").asInt()).isEqualTo(400);
    assertThat(Invocations.body(refused).get("error").get("message").asText())
        .isEqualTo("Request body is not valid JSON: unexpected character at line 1, column 22");
  }

  @Test
  void aCorrectionOfARowAlreadyUsedInTrainingMakesItReviewed() throws Exception {
    // Arrange: a row a run trained on (a pending row becomes used_in_training) and an approved one
    Row used = Row.detected("card_linking").status("used_in_training");
    Row approved = Row.detected("card_linking").status("approved");
    insert(used, approved);

    // Act
    HttpResult first = correct(used.id(), "card_arrival");
    HttpResult second = correct(approved.id(), "card_arrival");

    // Assert
    assertThat(first.status()).isEqualTo(201);
    assertThat(dataRow(used.id())).containsEntry("dataset_status", "reviewed").containsEntry("corrected_by_human", true);
    assertThat(second.status()).isEqualTo(201);
    assertThat(dataRow(approved.id())).containsEntry("dataset_status", "approved");
  }

  @Test
  void personalDataAReviewerTypesIsRedactedBeforeItIsStored() throws Exception {
    // Arrange
    Row sample = Row.detected("card_linking");
    insert(sample);

    // Act: the corrected answer and the notes carry an e-mail address and a card number
    HttpResult result = Invocations.http(handler, "POST", "/ai/training/correction", Map.of(),
        "{\"training_data_id\": \"" + sample.id() + "\", \"correct_intent\": \"card_arrival\","
            + " \"correct_response\": \"We wrote to jane.doe@example.com about it.\","
            + " \"notes\": \"Customer gave card 4111 1111 1111 1111 in chat\"}");

    // Assert: stored with placeholders, never the text
    assertThat(result.status()).isEqualTo(201);
    try (Connection c = stack.connect(); var s = c.prepareStatement(
        "SELECT corrected_response, notes FROM ai_intent_corrections WHERE training_data_id = ?")) {
      s.setObject(1, sample.id());
      try (var rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("We wrote to [EMAIL] about it.");
        assertThat(rs.getString(2)).isEqualTo("Customer gave card [CARD] in chat");
      }
    }
    try (Connection c = stack.connect(); var s = c.prepareStatement(
        "SELECT correct_response FROM ai_training_data WHERE id = ?")) {
      s.setObject(1, sample.id());
      try (var rs = s.executeQuery()) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("We wrote to [EMAIL] about it.");
      }
    }
  }

  @Test
  void aNeverSeenIntentIsAcceptedAndTheAnswerSaysItIsNew() throws Exception {
    // Arrange: the system knows card_linking and card_arrival
    Row sample = Row.detected("card_linking");
    insert(sample, Row.detected("card_arrival"), Row.detected("card_linking"));

    // Act
    HttpResult known = correct(sample.id(), "card_arrival");
    HttpResult typo = correct(sample.id(), "card_arival");
    HttpResult same = correct(sample.id(), "card_linking");

    // Assert
    assertThat(known.status()).isEqualTo(201);
    assertThat(known.body().path("new_intent").asBoolean()).isFalse();
    assertThat(known.body().has("notice")).isFalse();
    assertThat(typo.status()).isEqualTo(201);
    assertThat(typo.body().path("new_intent").asBoolean()).isTrue();
    assertThat(typo.body().path("notice").asText()).contains("new intent").contains("typo");
    assertThat(dataRow(sample.id())).containsEntry("correct_intent", "card_linking");
    assertThat(same.body().path("new_intent").asBoolean()).isFalse();
  }
}
