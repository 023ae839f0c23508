package io.intentpipeline.testing;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Invokes a {@link RequestStreamHandler} as the Lambda runtime does: JSON bytes in, JSON bytes out. */
public final class StreamHandlers {
  private StreamHandlers() {}

  /** The handler's response to the invocation payload {@code json}. */
  public static String invoke(RequestStreamHandler handler, String json) {
    var out = new ByteArrayOutputStream();
    try {
      handler.handleRequest(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The handler's response to {@code event}, serialised as the runtime would send it. */
  public static <T> JsonNode invoke(RequestStreamHandler handler, T event, Class<T> type) {
    return Json.parseBody(invoke(handler, Events.toJson(event, type)));
  }

  /** The JSON body of an HTTP API response. */
  public static JsonNode body(JsonNode response) {
    return Json.parseBody(response.get("body").asText());
  }
}
