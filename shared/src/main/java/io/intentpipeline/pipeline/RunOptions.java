package io.intentpipeline.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a caller may ask of a run: {@code run_name}, {@code run_type}, {@code min_confidence},
 * {@code only_reviewed} and {@code limit}. Absent values take the defaults of the
 * {@link TrainingSettings} when the run starts.
 *
 * @param runName a name for people (1-200 characters); default {@code training_YYYYMMDD_HHMMSS}
 * @param runType what the run trains on; default {@link RunType#FULL}
 * @param minConfidence samples whose bot confidence is below this (0-100) are left out, unless a human corrected them
 * @param onlyReviewed only samples a human reviewed, corrected or approved
 * @param limit the most samples fetched, human-verified first, then newest first (1-1,000,000)
 * @param labelPolicy which unreviewed rows it trains on ({@link LabelPolicy}); default the setting's
 * @param answerTargetAccuracy the accuracy of answered messages its answer threshold is chosen for (0.5-1;
 *     docs/ANSWER_ACTIONS.md); default the setting's
 */
public record RunOptions(Optional<String> runName, RunType runType, Optional<Integer> minConfidence,
    boolean onlyReviewed, Optional<Integer> limit, Optional<LabelPolicy> labelPolicy,
    Optional<Double> answerTargetAccuracy) {

  /** The fields a request may carry. */
  public static final Set<String> FIELDS =
      Set.of("run_name", "run_type", "min_confidence", "only_reviewed", "limit", "label_policy",
          "answer_target_accuracy");
  /** The longest run name the runs table stores. */
  public static final int MAX_NAME_LENGTH = 200;

  /** Nothing asked: a full run with the defaults. */
  public static final RunOptions DEFAULTS =
      new RunOptions(Optional.empty(), RunType.FULL, Optional.empty(), false, Optional.empty(), Optional.empty(),
          Optional.empty());

  /** The same with a name. */
  public RunOptions withRunName(String name) {
    return new RunOptions(Optional.of(name), runType, minConfidence, onlyReviewed, limit, labelPolicy,
        answerTargetAccuracy);
  }

  /** The same with another type. */
  public RunOptions withRunType(RunType type) {
    return new RunOptions(runName, type, minConfidence, onlyReviewed, limit, labelPolicy, answerTargetAccuracy);
  }

  /**
   * Reads the options of {@code node} (an object; null or missing means the defaults with
   * {@code defaultType}). A field outside {@link #FIELDS} and {@code alsoAllowed}, or a value of the
   * wrong type or range, is a 400 naming the field as {@code prefix + name}.
   */
  public static RunOptions fromJson(JsonNode node, String prefix, RunType defaultType, Set<String> alsoAllowed) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return DEFAULTS.withRunType(defaultType);
    }
    if (!node.isObject()) {
      throw new InvalidRequestException(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
          (prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1)) + " must be a JSON object");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name) && !alsoAllowed.contains(name)) {
        var known = new TreeSet<>(FIELDS);
        known.addAll(alsoAllowed);
        throw new InvalidRequestException(prefix + name, "Unknown field '" + prefix + name + "'; expected: "
            + String.join(", ", known));
      }
    }
    Optional<String> name = text(node, prefix, "run_name");
    RunType type = text(node, prefix, "run_type").map(raw -> {
      try {
        return RunType.parse(raw);
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException(prefix + "run_type", prefix + "run_type must be one of full, incremental, intent_only");
      }
    }).orElse(defaultType);
    Optional<Integer> minConfidence = integer(node, prefix, "min_confidence", 0, 100);
    boolean onlyReviewed = bool(node, prefix, "only_reviewed").orElse(false);
    Optional<Integer> limit = integer(node, prefix, "limit", 1, 1_000_000);
    Optional<LabelPolicy> policy = text(node, prefix, "label_policy").map(raw -> {
      try {
        return LabelPolicy.parse(raw);
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException(prefix + "label_policy",
            prefix + "label_policy must be one of " + LabelPolicy.names());
      }
    });
    Optional<Double> target = present(node, "answer_target_accuracy").map(value -> {
      double v = value.isNumber() ? value.doubleValue() : Double.NaN;
      if (!(v >= 0.5 && v <= 1)) {
        throw new InvalidRequestException(prefix + "answer_target_accuracy",
            prefix + "answer_target_accuracy must be a number from 0.5 to 1");
      }
      return v;
    });
    return new RunOptions(name, type, minConfidence, onlyReviewed, limit, policy, target);
  }

  /** The options as the JSON fields they were read from (absent values left out). */
  public ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    runName.ifPresent(n -> node.put("run_name", n));
    node.put("run_type", runType.dbName());
    minConfidence.ifPresent(v -> node.put("min_confidence", v));
    node.put("only_reviewed", onlyReviewed);
    limit.ifPresent(v -> node.put("limit", v));
    labelPolicy.ifPresent(p -> node.put("label_policy", p.wireName()));
    answerTargetAccuracy.ifPresent(v -> node.put("answer_target_accuracy", v));
    return node;
  }

  private static Optional<JsonNode> present(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  private static Optional<String> text(JsonNode node, String prefix, String field) {
    return present(node, field).map(value -> {
      if (!value.isTextual()) {
        throw new InvalidRequestException(prefix + field, prefix + field + " must be a string");
      }
      String text = value.textValue();
      if (text.isBlank()) {
        throw new InvalidRequestException(prefix + field, prefix + field + " must not be blank");
      }
      int length = text.codePointCount(0, text.length());
      if (length > MAX_NAME_LENGTH) {
        throw new InvalidRequestException(prefix + field,
            prefix + field + " must be at most " + MAX_NAME_LENGTH + " characters, got " + length);
      }
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (Character.isISOControl(c)) {
          throw new InvalidRequestException(prefix + field, prefix + field + " must not contain control characters (at index " + i + ")");
        }
        if (c == '\uFFFE' || c == '\uFFFF') {
          // SQS refuses them, and the request travels through the retrain queue.
          throw new InvalidRequestException(prefix + field,
              prefix + field + " must not contain the noncharacters U+FFFE or U+FFFF (at index " + i + ")");
        }
        if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else if (Character.isSurrogate(c)) {
          throw new InvalidRequestException(prefix + field, prefix + field + " contains an unpaired surrogate (at index " + i + ")");
        }
      }
      return text;
    });
  }

  private static Optional<Integer> integer(JsonNode node, String prefix, String field, int min, int max) {
    return present(node, field).map(value -> {
      if (!value.isIntegralNumber() || !value.canConvertToInt()) {
        throw new InvalidRequestException(prefix + field, prefix + field + " must be an integer between " + min + " and " + max);
      }
      int v = value.intValue();
      if (v < min || v > max) {
        throw new InvalidRequestException(prefix + field, prefix + field + " must be between " + min + " and " + max + ", got " + v);
      }
      return v;
    });
  }

  private static Optional<Boolean> bool(JsonNode node, String prefix, String field) {
    return present(node, field).map(value -> {
      if (!value.isBoolean()) {
        throw new InvalidRequestException(prefix + field, prefix + field + " must be true or false");
      }
      return value.booleanValue();
    });
  }
}
