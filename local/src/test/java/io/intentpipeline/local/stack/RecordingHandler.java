package io.intentpipeline.local.stack;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.config.Env;
import io.intentpipeline.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A handler of the test template that keeps every payload it receives; for an SQS batch it
 * reports as failed the messages whose body contains "fail".
 */
public final class RecordingHandler implements RequestStreamHandler {
  static final Queue<JsonNode> RECEIVED = new ConcurrentLinkedQueue<>();

  /** Needs nothing from {@code env}. */
  public RecordingHandler(Env env) {
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    JsonNode payload = Json.MAPPER.readTree(input);
    RECEIVED.add(payload);
    ObjectNode answer = Json.MAPPER.createObjectNode();
    ArrayNode failures = answer.putArray("batchItemFailures");
    for (JsonNode record : payload.path("Records")) {
      if (record.path("body").asText().contains("fail")) {
        failures.addObject().put("itemIdentifier", record.path("messageId").asText());
      }
    }
    Json.MAPPER.writeValue(output, answer);
  }
}
