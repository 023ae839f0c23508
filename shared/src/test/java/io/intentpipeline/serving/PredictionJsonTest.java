package io.intentpipeline.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.http.ApiException;
import io.intentpipeline.json.Json;
import io.intentpipeline.ml.Prediction;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionJsonTest {
  @Test
  void writesTheFourFieldsInOrderWithConfidencesAsNumbers() throws Exception {
    // Arrange
    Prediction prediction = new Prediction("card_arrival", 0.91,
        List.of(new Prediction.IntentScore("card_arrival", 0.91), new Prediction.IntentScore("card_\"lost\"", 1.0E-7)));

    // Act
    String json = PredictionJson.write(prediction, "intent_classifier_20261120_020000");

    // Assert
    JsonNode node = Json.MAPPER.readTree(json);
    assertThat(json).startsWith("{\"intent\":\"card_arrival\",\"confidence\":0.91,\"top_intents\":[");
    assertThat(node.get("top_intents")).hasSize(2);
    assertThat(node.get("top_intents").get(1).get("intent").asText()).isEqualTo("card_\"lost\"");
    assertThat(node.get("top_intents").get(1).get("confidence").asDouble()).isEqualTo(1.0E-7);
    assertThat(node.get("model_version").asText()).isEqualTo("intent_classifier_20261120_020000");
  }

  @Test
  void writesTheErrorBodyEveryRouteUses() throws Exception {
    JsonNode withField = Json.MAPPER.readTree(PredictionJson.error(ApiException.badRequest(new InvalidRequestException("top_k", "top_k must be..."))));
    JsonNode without = Json.MAPPER.readTree(PredictionJson.error(ApiException.unavailable("model_not_deployed", "none")));

    assertThat(withField.get("error").get("code").asText()).isEqualTo("invalid_request");
    assertThat(withField.get("error").get("field").asText()).isEqualTo("top_k");
    assertThat(without.get("error").has("field")).isFalse();
    assertThat(without.get("error").get("message").asText()).isEqualTo("none");
  }

  @Test
  void writesTheActionAndOnClarifyTheTwoIntentsToAskAbout() throws Exception {
    // Arrange
    List<Prediction.IntentScore> top = List.of(new Prediction.IntentScore("card_arrival", 0.5),
        new Prediction.IntentScore("card_delivery_estimate", 0.4));
    Prediction answer = new Prediction("card_arrival", 0.5, top);
    Prediction clarify = new Prediction("card_arrival", 0.5, top, io.intentpipeline.ml.Action.CLARIFY,
        List.of("card_arrival", "card_delivery_estimate"));
    Prediction escalate = new Prediction("card_arrival", 0.5, top, io.intentpipeline.ml.Action.ESCALATE, null);

    // Act
    JsonNode a = Json.MAPPER.readTree(PredictionJson.write(answer, "v"));
    JsonNode c = Json.MAPPER.readTree(PredictionJson.write(clarify, "v"));
    JsonNode e = Json.MAPPER.readTree(PredictionJson.write(escalate, "v"));

    // Assert: the same as Jackson writes the record (the CLI's JSONL), plus model_version
    assertThat(a.get("action").asText()).isEqualTo("answer");
    assertThat(a.has("clarify_intents")).isFalse();
    assertThat(c.get("action").asText()).isEqualTo("clarify");
    assertThat(c.get("clarify_intents")).hasSize(2);
    assertThat(c.get("clarify_intents").get(1).asText()).isEqualTo("card_delivery_estimate");
    assertThat(e.get("action").asText()).isEqualTo("escalate");
    for (Prediction p : List.of(answer, clarify, escalate)) {
      com.fasterxml.jackson.databind.node.ObjectNode byHand =
          (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(PredictionJson.write(p, "v"));
      byHand.remove("model_version");
      assertThat(byHand).isEqualTo(Json.MAPPER.readTree(Json.write(p)));
    }
  }
}
