package io.intentpipeline.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A read-only view of an API Gateway HTTP API (payload 2.0) request. */
public final class HttpRequest {
  private final APIGatewayV2HTTPEvent event;

  public HttpRequest(APIGatewayV2HTTPEvent event) {
    this.event = event;
  }

  public APIGatewayV2HTTPEvent event() {
    return event;
  }

  /** The HTTP method in upper case. */
  public String method() {
    var context = event.getRequestContext();
    if (context != null && context.getHttp() != null && context.getHttp().getMethod() != null) {
      return context.getHttp().getMethod().toUpperCase(Locale.ROOT);
    }
    String routeKey = event.getRouteKey();
    if (routeKey != null && routeKey.indexOf(' ') > 0) {
      return routeKey.substring(0, routeKey.indexOf(' ')).toUpperCase(Locale.ROOT);
    }
    return "GET";
  }

  /** The request path without stage prefix or query string. */
  public String path() {
    String path = event.getRawPath();
    var context = event.getRequestContext();
    if ((path == null || path.isEmpty()) && context != null && context.getHttp() != null) {
      path = context.getHttp().getPath();
    }
    if (path == null || path.isEmpty()) {
      return "/";
    }
    String stage = context == null ? null : context.getStage();
    if (stage != null && !"$default".equals(stage) && path.startsWith("/" + stage + "/")) {
      path = path.substring(stage.length() + 1);
    }
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** A query string parameter, if present and not blank. */
  public Optional<String> query(String name) {
    Map<String, String> params = event.getQueryStringParameters();
    if (params == null) {
      return Optional.empty();
    }
    String value = params.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  /** A header, matched without regard to case. */
  public Optional<String> header(String name) {
    Map<String, String> headers = event.getHeaders();
    if (headers == null) {
      return Optional.empty();
    }
    for (var entry : headers.entrySet()) {
      if (entry.getKey().equalsIgnoreCase(name)) {
        return Optional.ofNullable(entry.getValue());
      }
    }
    return Optional.empty();
  }

  /** The body as text, decoded from base64 when API Gateway encoded it; bytes that are not UTF-8 are a 400. */
  public String body() {
    String body = event.getBody();
    if (body == null) {
      return "";
    }
    if (event.getIsBase64Encoded()) {
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(body);
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("body", "Request body is marked base64 but is not valid base64");
      }
      return Utf8Body.decode(bytes);
    }
    return body;
  }

  /** The body parsed as JSON; 400 when absent or malformed. */
  public JsonNode jsonBody() {
    return Json.parseBody(body());
  }

  /** The request id API Gateway assigned, for logs. */
  public String requestId() {
    var context = event.getRequestContext();
    return context == null || context.getRequestId() == null ? "-" : context.getRequestId();
  }
}
