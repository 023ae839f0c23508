package io.intentpipeline.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.validation.InvalidRequestException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.UUID;

/**
 * A message of the retrain queue, version 1. Two kinds:
 *
 * <ul>
 *   <li>{@code {"v":1,"reason":"new_samples","requested_at":"...","new_samples":100,"threshold":100}}: sent by
 *       the flush function ({@link io.intentpipeline.queue.RetrainQueue#request}) after enough new samples;
 *       a full run with the default options;
 *   <li>{@code {"v":1,"reason":"api","run_id":"...","requested_at":"...","run":{"run_type":"full",...}}}:
 *       a run asked for through {@code POST /ai/training/run}, with the id given to the caller and the
 *       options of the request ({@link RunOptions}).
 * </ul>
 */
public sealed interface RetrainMessage {
  /** When the run was asked for. */
  Instant requestedAt();

  /** The flush function's automatic request. */
  record NewSamples(Instant requestedAt) implements RetrainMessage {}

  /** A run asked for through the API, to be recorded under {@code runId}. */
  record ApiRun(UUID runId, Instant requestedAt, RunOptions options) implements RetrainMessage {
    /** The message body. */
    public String toJson() {
      ObjectNode node = Json.MAPPER.createObjectNode();
      node.put("v", 1);
      node.put("reason", "api");
      node.put("run_id", runId.toString());
      node.put("requested_at", requestedAt.toString());
      node.set("run", options.toJson());
      return Json.write(node);
    }
  }

  /** Reads a message body; anything else is an IllegalArgumentException saying what is wrong (never the body). */
  static RetrainMessage parse(String body) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body == null ? "" : body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("message is not JSON: " + Json.problem(e) + Json.column(e));
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("message is not a JSON object");
    }
    if (!node.path("v").isInt() || node.path("v").intValue() != 1) {
      throw new IllegalArgumentException("message version 'v' must be 1");
    }
    Instant requestedAt = instant(node, "requested_at");
    String reason = node.path("reason").asText("");
    switch (reason) {
      case "new_samples":
        return new NewSamples(requestedAt);
      case "api":
        UUID runId;
        try {
          runId = UUID.fromString(node.path("run_id").asText(""));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("field 'run_id' must be a UUID");
        }
        RunOptions options;
        try {
          options = RunOptions.fromJson(node.get("run"), "run.", RunType.FULL, Set.of());
        } catch (InvalidRequestException e) {
          throw new IllegalArgumentException(e.getMessage());
        }
        return new ApiRun(runId, requestedAt, options);
      default:
        throw new IllegalArgumentException("field 'reason' must be new_samples or api");
    }
  }

  private static Instant instant(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' must be an ISO-8601 instant");
    }
    try {
      return Instant.parse(value.textValue());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("field '" + field + "' must be an ISO-8601 instant");
    }
  }
}
