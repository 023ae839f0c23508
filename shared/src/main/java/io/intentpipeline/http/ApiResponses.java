package io.intentpipeline.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.intentpipeline.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds API Gateway HTTP API responses with JSON bodies. */
public final class ApiResponses {
  private static final Map<String, String> JSON_HEADERS =
      Map.of("content-type", "application/json; charset=utf-8", "cache-control", "no-store");

  private ApiResponses() {}

  /** {@code status} with {@code body} serialised as JSON. */
  public static APIGatewayV2HTTPResponse json(int status, Object body) {
    return raw(status, Json.write(body));
  }

  /** {@code status} with a body that is already JSON text. */
  public static APIGatewayV2HTTPResponse raw(int status, String jsonBody) {
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(status)
        .withHeaders(new java.util.HashMap<>(JSON_HEADERS))
        .withBody(jsonBody)
        .withIsBase64Encoded(false)
        .build();
  }

  /** The error body every route uses: {@code {"error": {"code", "message", "field"?}}}. */
  public static APIGatewayV2HTTPResponse error(ApiException e) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", e.code());
    error.put("message", e.getMessage());
    e.field().ifPresent(field -> error.put("field", field));
    return json(e.status(), Map.of("error", error));
  }
}
