package io.intentpipeline.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.http.ApiException;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PredictRequestTest {
  @Test
  void aQueryGivesTheTextAndTopKWithTopKThreeByDefault() {
    assertThat(PredictRequest.fromQuery(Map.of("text", "where is my card", "top_k", "5")))
        .isEqualTo(new PredictRequest("where is my card", 5));
    assertThat(PredictRequest.fromQuery(Map.of("text", "where is my card")).topK()).isEqualTo(3);
    assertThat(PredictRequest.fromQuery(Map.of("text", "x", "top_k", " 20 ")).topK()).isEqualTo(20);
  }

  @Test
  void aJsonBodyGivesTheTextAndTopK() {
    assertThat(PredictRequest.fromJson("{\"text\": \"where is my card\", \"top_k\": 1}"))
        .isEqualTo(new PredictRequest("where is my card", 1));
    assertThat(PredictRequest.fromJson("{\"text\": \"x\", \"top_k\": null}").topK()).isEqualTo(3);
  }

  @Test
  void theTextIsCheckedAsRecordChecksAUserMessage() {
    String longest = "\ud83d\ude00".repeat(PredictRequest.MAX_TEXT);

    assertThat(new PredictRequest(longest, 3).text()).hasSize(2 * PredictRequest.MAX_TEXT);
    assertRefused(() -> new PredictRequest(longest + "a", 3), "text", "at most 10000 characters");
    assertRefused(() -> new PredictRequest("a\u0000b", 3), "text", "NUL");
    assertRefused(() -> new PredictRequest("a\ud800b", 3), "text", "lone surrogate");
    assertRefused(() -> new PredictRequest("a\uffffb", 3), "text", "noncharacters");
    assertRefused(() -> new PredictRequest(" \t\n", 3), "text", "blank");
    assertRefused(() -> new PredictRequest(null, 3), "text", "required");
  }

  @Test
  void topKMustBeAnIntegerFromOneToTwenty() {
    for (String raw : new String[] {"0", "21", "-1", "1.5", "two", "99999999999", "+3"}) {
      assertRefused(() -> PredictRequest.fromQuery(Map.of("text", "x", "top_k", raw)), "top_k", "from 1 to 20");
    }
    for (String raw : new String[] {"0", "21", "-1", "1.5", "2e0", "\"2\"", "true", "[2]", "12345678901234567890"}) {
      assertRefused(() -> PredictRequest.fromJson("{\"text\": \"x\", \"top_k\": " + raw + "}"), "top_k",
          "from 1 to 20");
    }
  }

  @Test
  void unknownFieldsAreRefusedNamingThem() {
    Map<String, String> query = new HashMap<>(Map.of("text", "x", "q", "y"));
    assertRefused(() -> PredictRequest.fromQuery(query), "q", "accepts: text, top_k, min_confidence");
    assertRefused(() -> PredictRequest.fromJson("{\"text\": \"x\", \"topK\": 2}"), "topK", "accepts: text, top_k, min_confidence");
  }

  @Test
  void aMissingQueryOrNonStringTextIsRefused() {
    assertRefused(() -> PredictRequest.fromQuery(null), "text", "required");
    assertRefused(() -> PredictRequest.fromJson("{\"text\": [\"x\"]}"), "text", "must be a string");
    assertRefused(() -> PredictRequest.fromJson("{}"), "text", "required");
  }

  private static void assertRefused(Runnable request, String field, String message) {
    assertThatThrownBy(request::run).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
      assertThat(ApiException.badRequest(e).status()).isEqualTo(400);
      assertThat(e.field()).isEqualTo(field);
      assertThat(e.getMessage()).contains(message);
    });
  }

  @Test
  void minConfidenceIsANumberFromZeroToOneAndOptional() {
    assertThat(PredictRequest.fromQuery(Map.of("text", "x")).minConfidence()).isNaN();
    assertThat(PredictRequest.fromQuery(Map.of("text", "x", "min_confidence", "0.8")).minConfidence()).isEqualTo(0.8);
    assertThat(PredictRequest.fromQuery(Map.of("text", "x", "min_confidence", "1")).minConfidence()).isEqualTo(1.0);
    assertThat(PredictRequest.fromJson("{\"text\": \"x\", \"min_confidence\": 0.5}").minConfidence()).isEqualTo(0.5);
    assertThat(PredictRequest.fromJson("{\"text\": \"x\", \"min_confidence\": 0}").minConfidence()).isZero();
    assertThat(PredictRequest.fromJson("{\"text\": \"x\", \"min_confidence\": null}").minConfidence()).isNaN();
    for (String raw : new String[] {"1.5", "-0.1", "abc", "NaN", "1e-3", "0.5.5"}) {
      assertRefused(() -> PredictRequest.fromQuery(Map.of("text", "x", "min_confidence", raw)), "min_confidence",
          "from 0 to 1");
    }
    for (String raw : new String[] {"1.5", "-0.1", "\"0.5\"", "true", "[]"}) {
      assertRefused(() -> PredictRequest.fromJson("{\"text\": \"x\", \"min_confidence\": " + raw + "}"),
          "min_confidence", "from 0 to 1");
    }
  }
}
