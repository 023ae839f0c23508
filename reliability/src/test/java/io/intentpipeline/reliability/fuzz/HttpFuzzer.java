package io.intentpipeline.reliability.fuzz;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.testing.Invocations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the HTTP API routes of one function: starts from real API Gateway (payload 2.0) events
 * of {@code events/}, mutates what a caller controls (body, query string, content type, method,
 * path, base64 flag), invokes the handler with the event's JSON bytes as the Lambda runtime does,
 * and checks the answer: a 2xx, or a 4xx whose JSON body names the problem
 * ({@code {"error": {"code", "message"}}}); never a 5xx, never an exception out of the handler.
 */
final class HttpFuzzer {
  /** One answered request: the status, the parsed JSON body, and the request body as the handler read it. */
  record Answer(int status, JsonNode body, String requestBody, ObjectNode event) {
    boolean accepted() {
      return status >= 200 && status < 300;
    }
  }

  static final String[] DATES = {"2026-02-30", "2026-13-01", "9999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z",
      "+1000000000-01-01T00:00:00Z", "2026-01-01T00:00:00+25:00", "1970-01-01", "0000-01-01", "2026-01-01T24:00:00Z",
      "2026-03-01T00:00:00Z", "2026-01-01", "last tuesday", "1e10", "2026-1-1", "2026-01-01T00:00:00.123456789Z",
      "294277-01-01T00:00:00Z", "-4713-11-24T00:00:00Z", "4714-11-24BC"};

  private final Fuzz fuzz;
  private final RequestStreamHandler handler;
  private final List<ObjectNode> seeds = new ArrayList<>();
  private final Map<String, List<String>> hints;
  private final List<String> parameters;

  /**
   * @param eventFiles files of {@code events/} to start from (valid and invalid ones)
   * @param hints per field or query parameter, values worth trying
   */
  HttpFuzzer(Fuzz fuzz, RequestStreamHandler handler, List<String> eventFiles, Map<String, List<String>> hints) {
    this.fuzz = fuzz;
    this.handler = handler;
    this.hints = hints;
    for (String file : eventFiles) {
      seeds.add((ObjectNode) Json.parseBody(Invocations.eventText(file)));
    }
    // Sorted: Map.of iterates in an order that changes from JVM to JVM, which would defeat replays.
    List<String> names = new ArrayList<>(new java.util.TreeSet<>(hints.keySet()));
    for (ObjectNode seed : seeds) {
      seed.path("queryStringParameters").fieldNames().forEachRemaining(n -> {
        if (!names.contains(n)) {
          names.add(n);
        }
      });
    }
    this.parameters = names;
  }

  /** Lambda refuses a synchronous invocation payload over 6 MB before any handler runs. */
  static final int MAX_PAYLOAD = 6 * 1024 * 1024;

  /**
   * A mutated copy of one of the seed events (now and then the seed itself, to be accepted), at
   * most {@link #MAX_PAYLOAD} long.
   */
  ObjectNode next() {
    while (true) {
      ObjectNode event = candidate();
      if (event.toString().length() <= MAX_PAYLOAD / 2 || event.toString().getBytes(StandardCharsets.UTF_8).length
          <= MAX_PAYLOAD) {
        return event;
      }
    }
  }

  private ObjectNode candidate() {
    ObjectNode event = fuzz.pick(seeds).deepCopy();
    if (fuzz.chance(0.08)) {
      return event;
    }
    int mutations = 1 + (fuzz.chance(0.3) ? 1 : 0);
    for (int m = 0; m < mutations; m++) {
      mutate(event);
    }
    return event;
  }

  private void mutate(ObjectNode event) {
    String body = event.path("body").isTextual() ? event.get("body").asText() : null;
    boolean hasBody = body != null && !body.isEmpty();
    int roll = fuzz.nextInt(100);
    if (hasBody && roll < 45) {
      JsonNode parsed = tryParse(body);
      if (parsed != null && parsed.isContainerNode() && fuzz.chance(0.8)) {
        event.put("body", fuzz.write(fuzz.mutate(parsed, hints)));
      } else {
        event.put("body", fuzz.damage(body));
      }
    } else if (roll < 55) {
      byte[] bytes = fuzz.chance(0.5) ? fuzz.randomBytes(300) : fuzz.invalidUtf8(body == null ? "{}" : body);
      event.put("body", Fuzz.base64(bytes));
      event.put("isBase64Encoded", true);
    } else if (roll < 58) {
      event.put("body", fuzz.pick(new String[] {"%%%not base64", "AAA", "====", "YWJj\u0000", "\uD800"}));
      event.put("isBase64Encoded", true);
    } else if (roll < 63) {
      switch (fuzz.nextInt(4)) {
        case 0 -> event.remove("body");
        case 1 -> event.put("body", "");
        case 2 -> event.putNull("body");
        default -> event.put("body", fuzz.nastyText());
      }
    } else if (roll < 85) {
      mutateQuery(event);
    } else if (roll < 92) {
      ObjectNode headers = event.has("headers") && event.get("headers").isObject()
          ? (ObjectNode) event.get("headers") : event.putObject("headers");
      if (fuzz.chance(0.2)) {
        headers.remove("content-type");
      } else {
        headers.put(fuzz.chance(0.8) ? "content-type" : "Content-Type", fuzz.contentType());
      }
    } else if (roll < 96) {
      String method = fuzz.pick(new String[] {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "get"});
      ObjectNode http = child(child(event, "requestContext"), "http");
      http.put("method", method);
      event.put("routeKey", method + " " + event.path("rawPath").asText());
    } else {
      String path = event.path("rawPath").asText();
      String changed = switch (fuzz.nextInt(5)) {
        case 0 -> path + "/";
        case 1 -> path.toUpperCase();
        case 2 -> path + "/extra";
        case 3 -> "/$default" + path;
        default -> path.replace("training", "train%69ng");
      };
      event.put("rawPath", changed);
      (child(child(event, "requestContext"), "http")).put("path", changed);
    }
  }

  private void mutateQuery(ObjectNode event) {
    Map<String, String> query = new LinkedHashMap<>();
    JsonNode params = event.path("queryStringParameters");
    params.fieldNames().forEachRemaining(name -> query.put(name, params.get(name).asText()));
    int n = 1 + fuzz.nextInt(3);
    for (int i = 0; i < n; i++) {
      String name = fuzz.chance(0.85) && !parameters.isEmpty() ? fuzz.pick(parameters) : fuzz.pick(new String[] {
          "unknown", "LIMIT", "limit ", "", "a[b]", "\u00e9", "callback"});
      switch (fuzz.nextInt(8)) {
        case 0 -> query.remove(name);
        case 1 -> query.put(name, fuzz.nastyText());
        case 2 -> query.put(name, fuzz.oddNumber());
        case 3 -> query.put(name, fuzz.pick(DATES));
        case 4 -> query.put(name, "");
        case 5 -> query.put(name, fuzz.uuidish());
        case 6 -> {
          List<String> values = hints.get(name);
          query.put(name, values == null ? fuzz.oddIntent() : fuzz.pick(values));
        }
        default -> query.put(name, (query.getOrDefault(name, "1")) + "," + fuzz.oddNumber());
      }
    }
    if (query.isEmpty()) {
      event.remove("queryStringParameters");
    } else {
      event.set("queryStringParameters", Json.MAPPER.valueToTree(query));
    }
    StringBuilder raw = new StringBuilder();
    query.forEach((k, v) -> raw.append(raw.length() == 0 ? "" : "&").append(k).append('=').append(v));
    event.put("rawQueryString", raw.toString());
  }

  /** {@code text} after the trip through UTF-8 bytes that every invocation payload makes. */
  static String delivered(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }

  private static ObjectNode child(ObjectNode parent, String name) {
    return parent.get(name) instanceof ObjectNode object ? object : parent.putObject(name);
  }

  private static JsonNode tryParse(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      return null;
    }
  }

  /** {@code n} fuzzed requests (the entry point's default; {@code -Dfuzz.iterations} overrides), each answer to {@code seen}. */
  Tally run(String entryPoint, int n, java.util.function.Consumer<Answer> seen) {
    Tally tally = new Tally(entryPoint, fuzz.seed);
    int count = fuzz.iterations(n);
    for (int i = 0; i < count; i++) {
      Answer answer = invoke(i, next(), tally);
      if (answer != null) {
        seen.accept(answer);
      }
    }
    return tally;
  }

  /**
   * Invokes the handler with {@code event} and checks the answer; counts it in {@code tally}.
   * Returns the answer when it was a clear one, else null (a failure, already counted).
   */
  Answer invoke(int i, ObjectNode event, Tally tally) {
    String payload = event.toString();
    String response;
    try {
      var out = new ByteArrayOutputStream();
      handler.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out, null);
      response = out.toString(StandardCharsets.UTF_8);
    } catch (Throwable e) {
      tally.failed(i, "exception escaped the handler: " + e, payload);
      return null;
    }
    return check(i, payload, event, response, tally);
  }

  static Answer check(int i, String payload, ObjectNode event, String response, Tally tally) {
    JsonNode node;
    JsonNode body;
    try {
      node = Json.MAPPER.readTree(response);
      String bodyText = node.path("body").asText("");
      body = bodyText.isEmpty() ? Json.MAPPER.missingNode() : Json.MAPPER.readTree(bodyText);
    } catch (Exception e) {
      tally.failed(i, "the answer is not an HTTP API response with a JSON body: " + response, payload);
      return null;
    }
    int status = node.path("statusCode").asInt(-1);
    if (status >= 200 && status < 300) {
      tally.answered(true, Integer.toString(status));
      return new Answer(status, body, requestBody(event), event);
    }
    if (status >= 400 && status < 500) {
      String code = body.path("error").path("code").asText("");
      String message = body.path("error").path("message").asText("");
      if (code.isBlank() || message.isBlank()) {
        tally.failed(i, status + " without {\"error\": {\"code\", \"message\"}}: " + body, payload);
        return null;
      }
      tally.answered(false, status + " " + code);
      return new Answer(status, body, requestBody(event), event);
    }
    tally.failed(i, "status " + status + ": " + body, payload);
    return null;
  }

  /** The request body as the handler received it (the payload's UTF-8 bytes turn a lone surrogate into '?'). */
  private static String requestBody(ObjectNode event) {
    String body = event.path("body").isTextual() ? delivered(event.get("body").asText()) : null;
    if (body != null && event.path("isBase64Encoded").asBoolean(false)) {
      try {
        return new String(java.util.Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return body;
  }
}
