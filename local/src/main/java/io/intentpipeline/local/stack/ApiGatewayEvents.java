package io.intentpipeline.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.json.Json;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Translates between HTTP and the API Gateway HTTP API payload format 2.0: the request event the
 * real API sends a function, and the function's response back to status, headers and body.
 */
final class ApiGatewayEvents {
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private ApiGatewayEvents() {}

  /** An HTTP request as received: header names as sent, in order, repeated names repeated. */
  record Request(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers,
                 byte[] body, String sourceIp, String protocol) {}

  /** An HTTP response to write. */
  record Response(int status, List<Map.Entry<String, String>> headers, byte[] body) {}

  /** The event API Gateway sends for {@code request} on {@code match}. */
  static ObjectNode event(Request request, RouteTable.Match match, String requestId, Instant now, String domainName) {
    ObjectNode event = Json.MAPPER.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", match.route().routeKey());
    event.put("rawPath", request.rawPath());
    event.put("rawQueryString", request.rawQuery() == null ? "" : request.rawQuery());

    Map<String, String> headers = new LinkedHashMap<>();
    List<String> cookies = new ArrayList<>();
    for (Map.Entry<String, String> header : request.headers()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (name.equals("cookie")) {
        for (String cookie : header.getValue().split(";")) {
          if (!cookie.isBlank()) {
            cookies.add(cookie.strip());
          }
        }
        continue;
      }
      headers.merge(name, header.getValue(), (a, b) -> a + "," + b);
    }
    headers.putIfAbsent("x-forwarded-for", request.sourceIp());
    headers.putIfAbsent("x-forwarded-proto", "http");
    if (!cookies.isEmpty()) {
      ArrayNode array = event.putArray("cookies");
      cookies.forEach(array::add);
    }
    ObjectNode headerNode = event.putObject("headers");
    headers.forEach(headerNode::put);

    Map<String, String> query = queryParameters(request.rawQuery());
    if (!query.isEmpty()) {
      ObjectNode queryNode = event.putObject("queryStringParameters");
      query.forEach(queryNode::put);
    }
    if (!match.pathParameters().isEmpty()) {
      ObjectNode params = event.putObject("pathParameters");
      match.pathParameters().forEach(params::put);
    }

    ObjectNode context = event.putObject("requestContext");
    context.put("accountId", Resolver.ACCOUNT);
    context.put("apiId", "local");
    context.put("domainName", domainName);
    context.put("domainPrefix", domainName.split("[.:]", 2)[0]);
    ObjectNode http = context.putObject("http");
    http.put("method", request.method());
    http.put("path", request.rawPath());
    http.put("protocol", request.protocol());
    http.put("sourceIp", request.sourceIp());
    http.put("userAgent", headers.getOrDefault("user-agent", ""));
    context.put("requestId", requestId);
    context.put("routeKey", match.route().routeKey());
    context.put("stage", "$default");
    context.put("time", REQUEST_TIME.format(now));
    context.put("timeEpoch", now.toEpochMilli());

    byte[] body = request.body();
    if (body != null && body.length > 0) {
      String text = isText(headers.get("content-type")) ? utf8(body) : null;
      if (text != null) {
        event.put("body", text);
        event.put("isBase64Encoded", false);
      } else {
        event.put("body", Base64.getEncoder().encodeToString(body));
        event.put("isBase64Encoded", true);
      }
    } else {
      event.put("isBase64Encoded", false);
    }
    return event;
  }

  /**
   * The query string decoded into parameters; a repeated name gets its values joined with
   * commas, as API Gateway does ({@code ?a=1&a=2} gives {@code a=1,2}).
   */
  static Map<String, String> queryParameters(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.merge(name, value, (a, b) -> a + "," + b);
    }
    return params;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text; // a malformed escape reaches the function as sent
    }
  }

  /**
   * Whether API Gateway passes a body of {@code contentType} as text: {@code text/*}, JSON, XML,
   * JavaScript, form data; no content type counts as text when the bytes are valid UTF-8.
   */
  static boolean isText(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return true;
    }
    String type = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].strip();
    return type.startsWith("text/") || type.endsWith("/json") || type.endsWith("+json") || type.endsWith("/xml")
        || type.endsWith("+xml") || type.equals("application/javascript")
        || type.equals("application/x-www-form-urlencoded");
  }

  /** The bytes as text, or null when they are not valid UTF-8 (then they travel base64-encoded). */
  private static String utf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * The HTTP response for a function's output: a 2.0 response object ({@code statusCode},
   * {@code headers}, {@code multiValueHeaders}, {@code cookies}, {@code body},
   * {@code isBase64Encoded}), or, for any other output, 200 with the output as a JSON body.
   */
  static Response response(byte[] output) {
    JsonNode node = null;
    try {
      node = Json.MAPPER.readTree(output);
    } catch (IOException e) {
      // not JSON: passed on as the body below
    }
    if (node == null || !node.isObject() || !node.has("statusCode")) {
      return new Response(200, List.of(Map.entry("content-type", "application/json")), output);
    }
    int status = node.path("statusCode").asInt(0);
    if (status < 100 || status > 599) {
      return error(502, "Internal Server Error");
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    node.path("headers").fields().forEachRemaining(e -> headers.add(Map.entry(e.getKey(), e.getValue().asText())));
    node.path("multiValueHeaders").fields().forEachRemaining(e -> e.getValue()
        .forEach(v -> headers.add(Map.entry(e.getKey(), v.asText()))));
    node.path("cookies").forEach(c -> headers.add(Map.entry("set-cookie", c.asText())));
    JsonNode bodyNode = node.path("body");
    byte[] body;
    if (bodyNode.isMissingNode() || bodyNode.isNull()) {
      body = new byte[0];
    } else if (node.path("isBase64Encoded").asBoolean(false)) {
      try {
        body = Base64.getDecoder().decode(bodyNode.asText());
      } catch (IllegalArgumentException e) {
        return error(502, "Internal Server Error");
      }
    } else {
      body = (bodyNode.isTextual() ? bodyNode.textValue() : Json.write(bodyNode)).getBytes(StandardCharsets.UTF_8);
    }
    return new Response(status, headers, body);
  }

  /**
   * A wrong method on a path the template routes: 405 with {@code Allow} and the error body the
   * functions' routers give ({@code method_not_allowed}), as the README documents. (API Gateway
   * itself would answer 404 {@code {"message":"Not Found"}}: an HTTP API route is a method and a
   * path; docs/LOCAL_STACK.md.)
   */
  static Response methodNotAllowed(String method, String path, java.util.SortedSet<String> allowed) {
    String methods = String.join(", ", allowed);
    Map<String, Object> error = new java.util.LinkedHashMap<>();
    error.put("code", "method_not_allowed");
    error.put("message", "Method " + method + " not allowed on " + path + "; allowed: " + methods);
    byte[] body = Json.write(Map.of("error", error)).getBytes(StandardCharsets.UTF_8);
    return new Response(405, List.of(Map.entry("content-type", "application/json; charset=utf-8"),
        Map.entry("allow", methods)), body);
  }

  /** API Gateway's own error answer: {@code {"message": "..."}}. */
  static Response error(int status, String message) {
    byte[] body = Json.write(Map.of("message", message)).getBytes(StandardCharsets.UTF_8);
    return new Response(status, List.of(Map.entry("content-type", "application/json")), body);
  }
}
