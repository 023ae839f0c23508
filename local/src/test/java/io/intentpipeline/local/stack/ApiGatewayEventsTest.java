package io.intentpipeline.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.http.HttpRequest;
import io.intentpipeline.json.Json;
import io.intentpipeline.testing.Events;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiGatewayEventsTest {
  private static final RouteTable.Match MATCH = new RouteTable.Match(
      new StackTemplate.HttpRoute("GET", "/ai/training/pending-review", "F", "E"), Map.of());

  private static ObjectNode event(String method, String query, List<Map.Entry<String, String>> headers, byte[] body) {
    var request = new ApiGatewayEvents.Request(method, "/ai/training/pending-review", query, headers, body,
        "127.0.0.1", "HTTP/1.1");
    return ApiGatewayEvents.event(request, MATCH, "req-1", Instant.parse("2026-03-02T14:05:06.789Z"), "127.0.0.1:8770");
  }

  @Test
  void buildsThePayloadFormat2EventApiGatewaySends() {
    // Act
    ObjectNode event = event("GET", "intent=a&limit=5&intent=b%20c&flag", List.of(
        Map.entry("Content-Type", "application/json"), Map.entry("X-Custom", "one"), Map.entry("x-custom", "two"),
        Map.entry("Cookie", "a=1; b=2"), Map.entry("User-Agent", "curl/8")), new byte[0]);

    // Assert
    assertThat(event.path("version").asText()).isEqualTo("2.0");
    assertThat(event.path("routeKey").asText()).isEqualTo("GET /ai/training/pending-review");
    assertThat(event.path("rawPath").asText()).isEqualTo("/ai/training/pending-review");
    assertThat(event.path("rawQueryString").asText()).isEqualTo("intent=a&limit=5&intent=b%20c&flag");
    assertThat(event.path("queryStringParameters").path("intent").asText()).isEqualTo("a,b c");
    assertThat(event.path("queryStringParameters").path("flag").asText()).isEmpty();
    assertThat(event.path("headers").path("x-custom").asText()).isEqualTo("one,two");
    assertThat(event.path("headers").path("content-type").asText()).isEqualTo("application/json");
    assertThat(event.path("headers").has("cookie")).isFalse();
    assertThat(event.path("cookies")).extracting(n -> n.asText()).containsExactly("a=1", "b=2");
    var context = event.path("requestContext");
    assertThat(context.path("stage").asText()).isEqualTo("$default");
    assertThat(context.path("requestId").asText()).isEqualTo("req-1");
    assertThat(context.path("http").path("method").asText()).isEqualTo("GET");
    assertThat(context.path("http").path("sourceIp").asText()).isEqualTo("127.0.0.1");
    assertThat(context.path("http").path("userAgent").asText()).isEqualTo("curl/8");
    assertThat(context.path("time").asText()).isEqualTo("02/Mar/2026:14:05:06 +0000");
    assertThat(context.path("timeEpoch").asLong()).isEqualTo(Instant.parse("2026-03-02T14:05:06.789Z").toEpochMilli());
    assertThat(event.path("isBase64Encoded").asBoolean()).isFalse();
    assertThat(event.has("body")).isFalse();
  }

  @Test
  void theEventReadsBackThroughTheLambdaRuntimeSerializerAndTheSharedRequestView() {
    // Arrange
    byte[] body = "{\"a\": \"é\"}".getBytes(StandardCharsets.UTF_8);
    ObjectNode event = event("POST", null, List.of(Map.entry("Content-Type", "application/json; charset=utf-8")), body);

    // Act
    APIGatewayV2HTTPEvent parsed = Events.fromJson(Json.write(event), APIGatewayV2HTTPEvent.class);
    HttpRequest request = new HttpRequest(parsed);

    // Assert
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/ai/training/pending-review");
    assertThat(request.body()).isEqualTo("{\"a\": \"é\"}");
    assertThat(parsed.getRequestContext().getStage()).isEqualTo("$default");
  }

  @Test
  void binaryBodiesTravelBase64Encoded() {
    // Arrange
    byte[] bytes = {(byte) 0xff, 0, 1, 2};

    // Act
    ObjectNode binary = event("POST", "", List.of(Map.entry("Content-Type", "application/octet-stream")), bytes);
    ObjectNode invalidUtf8 = event("POST", "", List.of(), bytes);

    // Assert
    assertThat(binary.path("isBase64Encoded").asBoolean()).isTrue();
    assertThat(Base64.getDecoder().decode(binary.path("body").asText())).isEqualTo(bytes);
    assertThat(invalidUtf8.path("isBase64Encoded").asBoolean()).isTrue();
  }

  @Test
  void readsTheFunctionsResponseBack() {
    // Arrange
    String structured = "{\"statusCode\": 201, \"headers\": {\"content-type\": \"text/plain\"},"
        + " \"multiValueHeaders\": {\"x-m\": [\"1\", \"2\"]}, \"cookies\": [\"s=1\"],"
        + " \"body\": \"" + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}) + "\", \"isBase64Encoded\": true}";

    // Act
    var response = ApiGatewayEvents.response(structured.getBytes(StandardCharsets.UTF_8));
    var inferred = ApiGatewayEvents.response("{\"hello\": 1}".getBytes(StandardCharsets.UTF_8));
    var badStatus = ApiGatewayEvents.response("{\"statusCode\": 42}".getBytes(StandardCharsets.UTF_8));

    // Assert
    assertThat(response.status()).isEqualTo(201);
    assertThat(response.body()).containsExactly(1, 2, 3);
    assertThat(response.headers()).contains(Map.entry("content-type", "text/plain"), Map.entry("x-m", "1"),
        Map.entry("x-m", "2"), Map.entry("set-cookie", "s=1"));
    assertThat(inferred.status()).isEqualTo(200);
    assertThat(new String(inferred.body(), StandardCharsets.UTF_8)).isEqualTo("{\"hello\": 1}");
    assertThat(badStatus.status()).isEqualTo(502);
  }
}
