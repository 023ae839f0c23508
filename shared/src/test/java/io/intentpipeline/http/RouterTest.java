package io.intentpipeline.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.intentpipeline.json.Json;
import io.intentpipeline.testing.Events;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
  private final Router router = new Router()
      .route("GET", "/ai/training/ping", request -> ApiResponses.json(200, Map.of("pong", request.query("q").orElse(""))))
      .route("POST", "/ai/training/fail", request -> {
        throw new InvalidRequestException("text", "text is required");
      })
      .route("POST", "/ai/training/crash", request -> {
        throw new IllegalStateException("secret internal detail");
      });

  private static APIGatewayV2HTTPEvent request(String method, String path, Map<String, String> query) {
    return Events.fromJson("""
        {"version":"2.0","routeKey":"$default","rawPath":"%s","queryStringParameters":%s,
         "requestContext":{"requestId":"req-1","stage":"$default","http":{"method":"%s","path":"%s"}},
         "isBase64Encoded":false}
        """.formatted(path, io.intentpipeline.json.Json.write(query), method, path), APIGatewayV2HTTPEvent.class);
  }

  @Test
  void dispatchesByMethodAndPath() {
    var response = router.handle(request("GET", "/ai/training/ping", Map.of("q", "x")));

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(response.getBody()).isEqualTo("{\"pong\":\"x\"}");
    assertThat(response.getHeaders()).containsEntry("content-type", "application/json; charset=utf-8");
  }

  @Test
  void apiExceptionBecomesItsStatusWithTheFieldNamed() {
    var response = router.handle(request("POST", "/ai/training/fail", Map.of()));

    assertThat(response.getStatusCode()).isEqualTo(400);
    assertThat(response.getBody()).contains("\"field\":\"text\"").contains("text is required");
  }

  @Test
  void unexpectedFailureIs500WithoutInternalDetail() {
    var response = router.handle(request("POST", "/ai/training/crash", Map.of()));

    assertThat(response.getStatusCode()).isEqualTo(500);
    assertThat(response.getBody()).doesNotContain("secret internal detail").contains("req-1");
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405() {
    assertThat(router.handle(request("GET", "/nope", Map.of())).getStatusCode()).isEqualTo(404);
    var wrongMethod = router.handle(request("DELETE", "/ai/training/ping", Map.of()));
    assertThat(wrongMethod.getStatusCode()).isEqualTo(405);
    assertThat(wrongMethod.getHeaders()).containsEntry("allow", "GET");
  }
}
