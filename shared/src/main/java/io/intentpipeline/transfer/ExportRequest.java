package io.intentpipeline.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.http.QueryParams;
import io.intentpipeline.validation.InvalidRequestException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What to export: the rows {@code get_training_dataset(minConfidence, onlyReviewed, limit)} would
 * answer, optionally only those stored in [{@code from}, {@code to}), in the given format.
 * Without a limit, every such row.
 */
public record ExportRequest(
    DatasetFormat format,
    int minConfidence,
    boolean onlyReviewed,
    Optional<Instant> from,
    Optional<Instant> to,
    Optional<Integer> limit) {

  /** The query parameters of {@code GET /ai/training/dataset/export}. */
  public static final Set<String> PARAMETERS = Set.of("format", "min_confidence", "only_reviewed", "from", "to", "limit");
  /** The largest {@code limit}, as {@code get_training_dataset}'s. */
  public static final int MAX_LIMIT = 1_000_000;

  public ExportRequest {
    if (minConfidence < 0 || minConfidence > 100) {
      throw new InvalidRequestException("min_confidence", "min_confidence must be between 0 and 100, got " + minConfidence);
    }
    if (from.isPresent() && to.isPresent() && !to.get().isAfter(from.get())) {
      throw new InvalidRequestException("to", "to must be after from");
    }
    if (limit.isPresent() && (limit.get() < 1 || limit.get() > MAX_LIMIT)) {
      throw new InvalidRequestException("limit", "limit must be between 1 and " + MAX_LIMIT + ", got " + limit.get());
    }
  }

  /** Every exportable row in {@code format}. */
  public static ExportRequest all(DatasetFormat format) {
    return new ExportRequest(format, 0, false, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Reads the request from the query string; bad values are 400s naming the parameter. */
  public static ExportRequest from(QueryParams query) {
    return new ExportRequest(
        query.string("format").map(value -> DatasetFormat.parse("format", value)).orElse(DatasetFormat.JSONL),
        query.integer("min_confidence", 0, 0, 100),
        query.choice("only_reviewed", Set.of("true", "false")).map(Boolean::parseBoolean).orElse(false),
        query.instant("from"),
        query.instant("to"),
        query.optionalInteger("limit", 1, MAX_LIMIT));
  }

  /**
   * Reads a direct invocation's {@code {"export": {"format": "csv", ...}}}, whose object holds the
   * route's query parameters as strings, numbers or booleans; a problem names the field.
   */
  public static ExportRequest fromInvocation(JsonNode payload) {
    for (Iterator<String> names = payload.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("export")) {
        throw new InvalidRequestException(name, "An export invocation holds only the field export");
      }
    }
    JsonNode parameters = payload.path("export");
    if (!parameters.isObject()) {
      throw new InvalidRequestException("export", "export must be an object of the route's query parameters");
    }
    Map<String, String> values = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = parameters.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getValue().isValueNode() || field.getValue().isNull()) {
        throw new InvalidRequestException("export." + field.getKey(), field.getKey() + " must be a string, number or boolean");
      }
      values.put(field.getKey(), field.getValue().asText());
    }
    return from(QueryParams.of(values, PARAMETERS));
  }
}
