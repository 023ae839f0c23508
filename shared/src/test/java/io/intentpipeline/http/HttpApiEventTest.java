package io.intentpipeline.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpApiEventTest {
  @Test
  void readsAnHttpApiEventAsApiGatewaySendsIt() {
    // Arrange
    String json = Invocations.eventText("record-interaction.json");

    // Act
    HttpApiEvent event = HttpApiEvent.parse(json);

    // Assert
    assertThat(event.method()).isEqualTo("POST");
    assertThat(event.path()).isEqualTo("/ai/training/interactions");
    assertThat(event.requestId()).isEqualTo("rec-single-1");
    assertThat(event.query()).isEmpty();
    assertThat(event.body()).startsWith("{\"interaction_id\": \"orc-7f3a9c2e-0001\"");
  }

  @Test
  void readsTheQueryAStagePrefixAndABase64Body() {
    // Arrange
    String json = "{\"version\": \"2.0\", \"rawPath\": \"/prod/ai/training/predict/\", \"queryStringParameters\":"
        + " {\"text\": \"hi there\", \"top_k\": \"2\"}, \"requestContext\": {\"stage\": \"prod\", \"http\": {\"method\":"
        + " \"post\"}}, \"body\": \"eyJhIjogMX0=\", \"isBase64Encoded\": true}";

    // Act
    HttpApiEvent event = HttpApiEvent.parse(json);

    // Assert
    assertThat(event.method()).isEqualTo("POST");
    assertThat(event.path()).isEqualTo("/ai/training/predict");
    assertThat(event.query()).containsExactly(Map.entry("text", "hi there"), Map.entry("top_k", "2"));
    assertThat(event.body()).isEqualTo("{\"a\": 1}");
    assertThat(event.requestId()).isEqualTo("-");
  }

  @Test
  void readsTheMethodAndPathOfPayloadFormat1() {
    HttpApiEvent event = HttpApiEvent.parse("{\"httpMethod\": \"GET\", \"path\": \"/ai/training/predict\"}");

    assertThat(event.method()).isEqualTo("GET");
    assertThat(event.path()).isEqualTo("/ai/training/predict");
  }

  @Test
  void anInvocationThatIsNotAnHttpEventIsA400OnTheEvent() {
    for (String json : new String[] {"[]", "{\"Records\": []}", "not json"}) {
      assertThatThrownBy(() -> HttpApiEvent.parse(json)).as(json)
          .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("event"));
    }
  }

  @Test
  void writesTheResponseApiGatewayExpects() throws Exception {
    // Arrange
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json; charset=utf-8");
    headers.put("retry-after", "60");

    // Act
    String json = HttpApiEvent.response(503, headers, "{\"error\": {\"message\": \"a \\\"quoted\\\" word\"}}");

    // Assert
    JsonNode response = Json.MAPPER.readTree(json);
    assertThat(response.get("statusCode").asInt()).isEqualTo(503);
    assertThat(response.get("headers").get("retry-after").asText()).isEqualTo("60");
    assertThat(response.get("isBase64Encoded").asBoolean()).isFalse();
    assertThat(Json.MAPPER.readTree(response.get("body").asText()).get("error").get("message").asText())
        .isEqualTo("a \"quoted\" word");
  }
}
