package io.intentpipeline.testing;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

/**
 * Invokes a {@link RequestStreamHandler} the way the Lambda runtime does: the invocation's JSON
 * bytes in, the response's JSON bytes out.
 */
public final class Invocations {
  private Invocations() {}

  /** An HTTP API response as a caller sees it: status, headers and the parsed JSON body. */
  public record HttpResult(int status, Map<String, String> headers, JsonNode body) {
    /** The {@code field} of the error body, or null. */
    public String errorField() {
      return body.path("error").path("field").isMissingNode() ? null : body.path("error").path("field").asText();
    }
  }

  /** The raw JSON the handler writes for {@code payload}. */
  public static String invoke(RequestStreamHandler handler, String payload) {
    var out = new ByteArrayOutputStream();
    try {
      handler.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The handler's response to {@code event}, serialised as the runtime would send it, parsed. */
  public static <T> JsonNode invoke(RequestStreamHandler handler, T event, Class<T> type) {
    return Json.parseBody(invoke(handler, Events.toJson(event, type)));
  }

  /** The JSON body of an HTTP API response. */
  public static JsonNode body(JsonNode response) {
    return Json.parseBody(response.get("body").asText());
  }

  /** The handler's answer to {@code events/<file>}, unparsed. */
  public static String invokeFile(RequestStreamHandler handler, String file) {
    return invoke(handler, eventText(file));
  }

  /** The text of {@code events/<file>}. */
  public static String eventText(String file) {
    try {
      return Files.readString(Events.projectRoot().resolve("events").resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The HTTP answer to {@code events/<file>}. */
  public static HttpResult httpFile(RequestStreamHandler handler, String file) {
    return parse(invokeFile(handler, file));
  }

  /** The HTTP answer to a request built here (payload format 2.0, as API Gateway sends it). */
  public static HttpResult http(RequestStreamHandler handler, String method, String path,
                                Map<String, String> query, String body) {
    ObjectNode event = Json.MAPPER.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", method + " " + path);
    event.put("rawPath", path);
    if (!query.isEmpty()) {
      event.set("queryStringParameters", Json.MAPPER.valueToTree(query));
    }
    ObjectNode context = event.putObject("requestContext");
    context.put("requestId", "test-request");
    context.put("stage", "$default");
    context.putObject("http").put("method", method).put("path", path);
    if (body != null) {
      event.put("body", body);
    }
    event.put("isBase64Encoded", false);
    return parse(invoke(handler, Json.write(event)));
  }

  /** {@link #http} without a body. */
  public static HttpResult get(RequestStreamHandler handler, String path, Map<String, String> query) {
    return http(handler, "GET", path, query, null);
  }

  private static HttpResult parse(String response) {
    try {
      JsonNode node = Json.MAPPER.readTree(response);
      Map<String, String> headers = Json.MAPPER.convertValue(node.path("headers"),
          new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
      String body = node.path("body").asText("");
      return new HttpResult(node.path("statusCode").asInt(), headers,
          body.isEmpty() ? Json.MAPPER.missingNode() : Json.MAPPER.readTree(body));
    } catch (IOException e) {
      throw new UncheckedIOException("Handler wrote something that is not an HTTP API response: " + response, e);
    }
  }
}
