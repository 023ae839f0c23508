package io.intentpipeline.http;

import io.intentpipeline.json.JsonLite;
import io.intentpipeline.json.JsonStrings;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An API Gateway HTTP API request read from the invocation JSON with {@link JsonLite}, for
 * functions that keep a JSON library off their cold start. Payload format 2.0 (what an HTTP API
 * sends by default), and the method and path of format 1.0.
 *
 * @param method the HTTP method, upper case
 * @param path the path without stage prefix or trailing slash
 * @param query the query string parameters (repeated ones joined by commas, as API Gateway does)
 * @param body the body, decoded from base64 when API Gateway encoded it; null when there is none
 * @param requestId API Gateway's request id, for logs ({@code -} when absent)
 */
public record HttpApiEvent(String method, String path, Map<String, String> query, String body, String requestId) {

  /** Reads an invocation; JSON that is not an HTTP API event is a 400 on field {@code event}. */
  public static HttpApiEvent parse(String invocation) {
    Map<String, Object> root;
    try {
      root = JsonLite.parseObject(invocation);
    } catch (InvalidRequestException e) {
      throw new InvalidRequestException("event", "The invocation is not an HTTP API event: " + e.getMessage());
    }
    Map<String, Object> context = object(root.get("requestContext"));
    Map<String, Object> http = object(context.get("http"));
    String method = text(http.get("method"));
    if (method == null) {
      method = text(root.get("httpMethod"));
    }
    if (method == null) {
      String routeKey = text(root.get("routeKey"));
      method = routeKey != null && routeKey.indexOf(' ') > 0 ? routeKey.substring(0, routeKey.indexOf(' ')) : null;
    }
    if (method == null) {
      throw new InvalidRequestException("event", "The invocation is not an HTTP API event: it has no HTTP method");
    }
    String path = text(root.get("rawPath"));
    if (path == null || path.isEmpty()) {
      path = text(http.get("path"));
    }
    if (path == null || path.isEmpty()) {
      path = text(root.get("path"));
    }
    String stage = text(context.get("stage"));
    String requestId = text(context.get("requestId"));
    return new HttpApiEvent(method.toUpperCase(Locale.ROOT), normalisePath(path, stage),
        query(root.get("queryStringParameters")), body(root), requestId == null ? "-" : requestId);
  }

  private static String normalisePath(String path, String stage) {
    if (path == null || path.isEmpty()) {
      return "/";
    }
    if (stage != null && !"$default".equals(stage) && path.startsWith("/" + stage + "/")) {
      path = path.substring(stage.length() + 1);
    }
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static Map<String, String> query(Object value) {
    Map<String, Object> raw = object(value);
    Map<String, String> query = new LinkedHashMap<>();
    raw.forEach((name, v) -> query.put(name, v == null ? null : v instanceof String s ? s : String.valueOf(v)));
    return query;
  }

  private static String body(Map<String, Object> root) {
    String body = text(root.get("body"));
    if (body == null || !Boolean.TRUE.equals(root.get("isBase64Encoded"))) {
      return body;
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("body", "Request body is marked base64 but is not valid base64");
    }
    return Utf8Body.decode(bytes);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value) {
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  private static String text(Object value) {
    return value instanceof String s ? s : null;
  }

  /**
   * The invocation response API Gateway expects: {@code {"statusCode", "headers", "body",
   * "isBase64Encoded": false}}, {@code body} being JSON text.
   */
  public static String response(int status, Map<String, String> headers, String jsonBody) {
    StringBuilder out = new StringBuilder(jsonBody.length() + 160);
    out.append("{\"statusCode\":").append(status).append(",\"headers\":{");
    boolean first = true;
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      JsonStrings.quote(out, header.getKey());
      out.append(':');
      JsonStrings.quote(out, header.getValue());
    }
    out.append("},\"body\":");
    JsonStrings.quote(out, jsonBody);
    return out.append(",\"isBase64Encoded\":false}").toString();
  }
}
