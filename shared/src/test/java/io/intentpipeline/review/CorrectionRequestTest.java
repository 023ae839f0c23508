package io.intentpipeline.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.http.ApiException;
import io.intentpipeline.json.Json;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CorrectionRequestTest {
  private static final String ID = "0b8f2f4e-6a35-4c1e-9d3a-5f0e7c2b9a41";

  @Test
  void readsEveryField() {
    var request = CorrectionRequest.fromJson(Json.parseBody("""
        {"training_data_id": "%s", "correct_intent": "card_arrival", "correct_response": "Soon.",
         "should_escalate": true, "notes": "n", "corrector_id": "7d2c9e41-1f6b-4a8e-b3c5-9e0d8a7f6b12"}
        """.formatted(ID)));

    assertThat(request.trainingDataId()).isEqualTo(UUID.fromString(ID));
    assertThat(request.correctIntent()).isEqualTo("card_arrival");
    assertThat(request.correctResponse()).contains("Soon.");
    assertThat(request.shouldEscalate()).contains(true);
    assertThat(request.notes()).contains("n");
    assertThat(request.correctorId()).contains(UUID.fromString("7d2c9e41-1f6b-4a8e-b3c5-9e0d8a7f6b12"));
  }

  @Test
  void optionalFieldsMayBeAbsentNullOrEmpty() {
    var request = CorrectionRequest.fromJson(Json.parseBody("""
        {"training_data_id": "%s", "correct_intent": "card_arrival", "correct_response": "", "notes": null}
        """.formatted(ID)));

    assertThat(request.correctResponse()).isEmpty();
    assertThat(request.notes()).isEmpty();
    assertThat(request.shouldEscalate()).isEmpty();
    assertThat(request.correctorId()).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> 400 on {1}")
  @CsvSource(delimiter = '|', value = {
      "{\"correct_intent\": \"a\"}                                              | training_data_id",
      "{\"training_data_id\": \"1-1-1-1-1\", \"correct_intent\": \"a\"}          | training_data_id",
      "{\"training_data_id\": 7, \"correct_intent\": \"a\"}                      | training_data_id",
      "{\"training_data_id\": \"" + ID + "\"}                                   | correct_intent",
      "{\"training_data_id\": \"" + ID + "\", \"correct_intent\": \"has space\"}  | correct_intent",
      "{\"training_data_id\": \"" + ID + "\", \"correct_intent\": \"_x\"}        | correct_intent",
      "{\"training_data_id\": \"" + ID + "\", \"correct_intent\": \"a\", \"should_escalate\": \"yes\"} | should_escalate",
      "{\"training_data_id\": \"" + ID + "\", \"correct_intent\": \"a\", \"notes\": 5}            | notes",
      "{\"training_data_id\": \"" + ID + "\", \"correct_intent\": \"a\", \"notes\": \"a\\u0000b\"} | notes",
      "{\"training_data_id\": \"" + ID + "\", \"correct_intent\": \"a\", \"correct_response\": \"\\ud800x\"} | correct_response",
      "{\"training_data_id\": \"" + ID + "\", \"correct_intent\": \"a\", \"corrector_id\": \"bob\"} | corrector_id",
      "{\"training_data_id\": \"" + ID + "\", \"correct_intent\": \"a\", \"correctintent\": \"b\"} | correctintent",
      "[1, 2]                                                                     | body",
  })
  void badInputIsA400NamingTheField(String body, String field) {
    assertThatThrownBy(() -> CorrectionRequest.fromJson(Json.parseBody(body)))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(ApiException.badRequest(e).status()).isEqualTo(400);
          assertThat(e.field()).isEqualTo(field);
        });
  }

  @Test
  void textsLongerThanTheSchemaAllowsAreRefused() {
    String notes = "n".repeat(CorrectionRequest.MAX_NOTES_LENGTH + 1);

    assertThatThrownBy(() -> CorrectionRequest.fromJson(Json.parseBody("""
        {"training_data_id": "%s", "correct_intent": "a", "notes": "%s"}""".formatted(ID, notes))))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("notes"));
  }
}
