package io.intentpipeline.review;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.http.QueryParams;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A human correction of one stored interaction, validated: the fields
 * {@code submit_intent_correction} takes.
 *
 * @param trainingDataId the {@code ai_training_data} row corrected
 * @param correctIntent the intent the message really has
 * @param correctResponse the answer the bot should have given, if the reviewer wrote one
 * @param shouldEscalate whether the conversation should have gone to a human, if said
 * @param notes the reviewer's notes, if any
 * @param correctorId the reviewer's user id in the host application, if known
 */
public record CorrectionRequest(
    UUID trainingDataId,
    String correctIntent,
    Optional<String> correctResponse,
    Optional<Boolean> shouldEscalate,
    Optional<String> notes,
    Optional<UUID> correctorId) {

  /** The longest corrected answer the schema stores, in characters. */
  public static final int MAX_RESPONSE_LENGTH = 50_000;
  /** The longest notes the schema stores, in characters. */
  public static final int MAX_NOTES_LENGTH = 5_000;

  private static final Set<String> FIELDS = Set.of(
      "training_data_id", "correct_intent", "correct_response", "should_escalate", "notes", "corrector_id");

  /**
   * This correction with {@code redact} applied to the free text a reviewer wrote (the corrected
   * answer and the notes), so that personal data typed there is not stored either.
   */
  public CorrectionRequest redacted(java.util.function.UnaryOperator<String> redact) {
    return new CorrectionRequest(trainingDataId, correctIntent, correctResponse.map(redact), shouldEscalate,
        notes.map(redact), correctorId);
  }

  /** Reads and validates a request body; any problem is a 400 naming the field. */
  public static CorrectionRequest fromJson(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new InvalidRequestException("body", "Request body must be a JSON object");
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new InvalidRequestException(name, "Unknown field '" + name + "'; expected: "
            + String.join(", ", new java.util.TreeSet<>(FIELDS)));
      }
    }
    UUID id = uuid(body, "training_data_id").orElseThrow(
        () -> new InvalidRequestException("training_data_id", "training_data_id is required"));
    String intent = text(body, "correct_intent", 100).orElseThrow(
        () -> new InvalidRequestException("correct_intent", "correct_intent is required"));
    if (!QueryParams.isIntentName(intent)) {
      throw new InvalidRequestException("correct_intent", "correct_intent must be an intent name: 1-100 characters,"
          + " a letter or digit first, then letters, digits or _ . : / ? ! -");
    }
    // An admin form sends "" for a field left empty: that is no answer and no notes.
    return new CorrectionRequest(id, intent,
        text(body, "correct_response", MAX_RESPONSE_LENGTH).filter(t -> !t.isBlank()),
        bool(body, "should_escalate"),
        text(body, "notes", MAX_NOTES_LENGTH).filter(t -> !t.isBlank()),
        uuid(body, "corrector_id"));
  }

  private static Optional<JsonNode> present(JsonNode body, String field) {
    JsonNode value = body.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  static Optional<UUID> uuid(JsonNode body, String field) {
    return present(body, field).map(value -> {
      if (!value.isTextual()) {
        throw new InvalidRequestException(field, field + " must be a UUID string");
      }
      try {
        String text = value.asText();
        UUID id = UUID.fromString(text);
        // UUID.fromString accepts short groups ("1-1-1-1-1"); only the canonical form is an id.
        if (!id.toString().equalsIgnoreCase(text)) {
          throw new IllegalArgumentException(text);
        }
        return id;
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException(field, field + " must be a UUID such as 3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8a9b");
      }
    });
  }

  private static Optional<Boolean> bool(JsonNode body, String field) {
    return present(body, field).map(value -> {
      if (!value.isBoolean()) {
        throw new InvalidRequestException(field, field + " must be true or false");
      }
      return value.booleanValue();
    });
  }

  /** Text without NUL or unpaired surrogates (PostgreSQL refuses the first, JDBC mangles the second). */
  private static Optional<String> text(JsonNode body, String field, int maxLength) {
    return present(body, field).map(value -> {
      if (!value.isTextual()) {
        throw new InvalidRequestException(field, field + " must be a string");
      }
      String text = value.textValue();
      if (text.length() > maxLength) {
        throw new InvalidRequestException(field, field + " must be at most " + maxLength + " characters, got " + text.length());
      }
      checkCharacters(field, text);
      return text;
    });
  }

  static void checkCharacters(String field, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        throw new InvalidRequestException(field, field + " must not contain the NUL character (at index " + i + ")");
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        throw new InvalidRequestException(field, field + " contains an unpaired surrogate (at index " + i + ")");
      }
      if (Character.isLowSurrogate(c)) {
        throw new InvalidRequestException(field, field + " contains an unpaired surrogate (at index " + i + ")");
      }
    }
  }
}
