package io.intentpipeline.interaction;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Turns JSON into {@link Interaction}s, checking everything the database would refuse and more,
 * so that nothing invalid ever reaches the queue or a table.
 *
 * <p>Field names are those of the API ({@code user_message}, {@code confidence_score}, ...).
 * A failure is an {@link InvalidInteractionException} naming the field by its path and saying
 * what is expected, without repeating the value.
 */
public final class InteractionReader {
  /** Most interactions one request may carry (the original system's buffer size). */
  public static final int MAX_BATCH = 500;
  /** Longest user message, in characters (Unicode code points, as PostgreSQL counts). */
  public static final int MAX_USER_MESSAGE = 10_000;
  /** Longest answer, in characters. */
  public static final int MAX_AI_RESPONSE = 50_000;
  /** Longest category, in characters. */
  public static final int MAX_CATEGORY = 100;
  /** Most alternatives in {@code top_intents}. */
  public static final int MAX_TOP_INTENTS = 20;
  /** How far in the future {@code occurred_at} may be (clocks differ). */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofDays(1);
  /** The earliest {@code occurred_at} accepted. */
  public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  // The intent_name domain of db/V1, the response_source check, and the interaction id rule.
  static final Pattern INTENT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/?!-]{0,99}");
  static final Pattern RESPONSE_SOURCE = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
  static final Pattern INTERACTION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
  private static final Set<String> SOURCES = Set.of("live", "imported", "synthetic");

  static final Set<String> FIELDS = Set.of(
      "interaction_id", "user_message", "detected_intent", "confidence_score", "ai_response",
      "escalated", "response_source", "category", "conversation_id", "message_id", "user_id",
      "top_intents", "occurred_at", "source");
  private static final Set<String> TOP_INTENT_FIELDS = Set.of("intent", "confidence");

  private final Clock clock;
  private final Supplier<String> newIds;

  /** A reader that dates missing {@code occurred_at} with {@code clock} and names new ids with {@code newIds}. */
  public InteractionReader(Clock clock, Supplier<String> newIds) {
    this.clock = clock;
    this.newIds = newIds;
  }

  /** The system clock and random UUIDs. */
  public static InteractionReader system() {
    return new InteractionReader(Clock.systemUTC(), () -> UUID.randomUUID().toString());
  }

  /**
   * Reads the body of {@code POST /ai/training/interactions}: one interaction object, or
   * {@code {"interactions": [...]}} with 1 to {@link #MAX_BATCH} of them. Missing ids and times
   * are assigned. All are checked before any is returned.
   */
  public List<Interaction> readRequest(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new InvalidInteractionException("body",
          "body must be a JSON object: one interaction, or {\"interactions\": [...]}");
    }
    if (!body.has("interactions")) {
      return List.of(read(body, "", false, Set.of()));
    }
    Iterator<String> names = body.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!name.equals("interactions")) {
        throw new InvalidInteractionException(name,
            "unknown field beside interactions; a batch is {\"interactions\": [...]} only");
      }
    }
    JsonNode array = body.get("interactions");
    if (!array.isArray()) {
      throw new InvalidInteractionException("interactions", "interactions must be an array of interaction objects");
    }
    if (array.isEmpty() || array.size() > MAX_BATCH) {
      throw new InvalidInteractionException("interactions",
          "interactions must hold 1 to " + MAX_BATCH + " interactions, got " + array.size());
    }
    List<Interaction> result = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String path = "interactions[" + i + "]";
      JsonNode item = array.get(i);
      if (!item.isObject()) {
        throw new InvalidInteractionException(path, path + " must be an interaction object");
      }
      result.add(read(item, path, false, Set.of()));
    }
    return result;
  }

  /**
   * Reads one complete interaction (a queued or stored one): {@code interaction_id} and
   * {@code occurred_at} are required. {@code extraFields} are tolerated and ignored.
   */
  public Interaction readComplete(JsonNode node, Set<String> extraFields) {
    if (node == null || !node.isObject()) {
      throw new InvalidInteractionException("body", "an interaction must be a JSON object");
    }
    return read(node, "", true, extraFields);
  }

  private Interaction read(JsonNode node, String path, boolean complete, Set<String> extraFields) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!FIELDS.contains(name) && !extraFields.contains(name)) {
        throw new InvalidInteractionException(join(path, name), "unknown field " + join(path, name)
            + "; the fields are " + String.join(", ", new java.util.TreeSet<>(FIELDS)));
      }
    }
    String interactionId = optionalText(node, path, "interaction_id", 128);
    if (interactionId == null) {
      if (complete) {
        throw missing(path, "interaction_id");
      }
      interactionId = newIds.get();
    } else if (!INTERACTION_ID.matcher(interactionId).matches()) {
      throw new InvalidInteractionException(join(path, "interaction_id"), join(path, "interaction_id")
          + " must be 1-128 characters: letters, digits and . _ : - (a letter or digit first)");
    }

    String userMessage = optionalText(node, path, "user_message", MAX_USER_MESSAGE);
    if (userMessage == null) {
      throw missing(path, "user_message");
    }
    if (userMessage.isBlank()) {
      throw new InvalidInteractionException(join(path, "user_message"), join(path, "user_message") + " must not be blank");
    }
    String detectedIntent = optionalText(node, path, "detected_intent", 100);
    if (detectedIntent == null) {
      throw missing(path, "detected_intent");
    }
    requireIntentName(detectedIntent, join(path, "detected_intent"));
    JsonNode confidenceNode = node.get("confidence_score");
    if (confidenceNode == null || confidenceNode.isNull()) {
      throw missing(path, "confidence_score");
    }
    if (!confidenceNode.isIntegralNumber() || !confidenceNode.canConvertToInt()
        || confidenceNode.intValue() < 0 || confidenceNode.intValue() > 100) {
      throw new InvalidInteractionException(join(path, "confidence_score"),
          join(path, "confidence_score") + " must be an integer from 0 to 100");
    }
    int confidence = confidenceNode.intValue();

    String aiResponse = optionalText(node, path, "ai_response", MAX_AI_RESPONSE);
    boolean escalated = false;
    JsonNode escalatedNode = node.get("escalated");
    if (escalatedNode != null && !escalatedNode.isNull()) {
      if (!escalatedNode.isBoolean()) {
        throw new InvalidInteractionException(join(path, "escalated"), join(path, "escalated") + " must be true or false");
      }
      escalated = escalatedNode.booleanValue();
    }
    String responseSource = optionalText(node, path, "response_source", 32);
    if (responseSource != null && !RESPONSE_SOURCE.matcher(responseSource).matches()) {
      throw new InvalidInteractionException(join(path, "response_source"), join(path, "response_source")
          + " must be 1-32 characters: lower-case letters, digits, _ and - (a letter first), e.g. faq, llm, cache");
    }
    String category = optionalText(node, path, "category", MAX_CATEGORY);
    UUID conversationId = optionalUuid(node, path, "conversation_id");
    UUID messageId = optionalUuid(node, path, "message_id");
    UUID userId = optionalUuid(node, path, "user_id");
    List<TopIntent> topIntents = topIntents(node, path);

    Instant occurredAt = optionalInstant(node, path, "occurred_at");
    if (occurredAt == null) {
      if (complete) {
        throw missing(path, "occurred_at");
      }
      occurredAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
    String source = optionalText(node, path, "source", 20);
    if (source == null) {
      source = "live";
    } else if (!SOURCES.contains(source)) {
      throw new InvalidInteractionException(join(path, "source"), join(path, "source") + " must be live, imported or synthetic");
    }
    return new Interaction(interactionId, userMessage, detectedIntent, confidence, aiResponse, escalated,
        responseSource, category, conversationId, messageId, userId, topIntents, occurredAt, source);
  }

  private List<TopIntent> topIntents(JsonNode node, String path) {
    JsonNode array = node.get("top_intents");
    String field = join(path, "top_intents");
    if (array == null || array.isNull()) {
      return List.of();
    }
    if (!array.isArray() || array.size() > MAX_TOP_INTENTS) {
      throw new InvalidInteractionException(field,
          field + " must be an array of at most " + MAX_TOP_INTENTS + " {\"intent\", \"confidence\"} objects");
    }
    List<TopIntent> result = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String itemPath = field + "[" + i + "]";
      JsonNode item = array.get(i);
      if (!item.isObject()) {
        throw new InvalidInteractionException(itemPath, itemPath + " must be an {\"intent\", \"confidence\"} object");
      }
      Iterator<String> names = item.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!TOP_INTENT_FIELDS.contains(name)) {
          throw new InvalidInteractionException(join(itemPath, name), "unknown field " + join(itemPath, name)
              + "; the fields are confidence, intent");
        }
      }
      String intent = optionalText(item, itemPath, "intent", 100);
      if (intent == null) {
        throw missing(itemPath, "intent");
      }
      requireIntentName(intent, join(itemPath, "intent"));
      JsonNode confidence = item.get("confidence");
      if (confidence == null || !confidence.isNumber()
          || !(confidence.doubleValue() >= 0.0 && confidence.doubleValue() <= 1.0)) {
        throw new InvalidInteractionException(join(itemPath, "confidence"),
            join(itemPath, "confidence") + " must be a number from 0 to 1");
      }
      result.add(new TopIntent(intent, confidence.doubleValue()));
    }
    return result;
  }

  private static void requireIntentName(String intent, String field) {
    if (!INTENT_NAME.matcher(intent).matches()) {
      throw new InvalidInteractionException(field, field
          + " must be an intent name: 1-100 characters, letters, digits and _ . : / ? ! - (a letter or digit first)");
    }
  }

  private static InvalidInteractionException missing(String path, String name) {
    return new InvalidInteractionException(join(path, name), join(path, name) + " is required");
  }

  /** The text of an optional string field, checked; null when absent or JSON null. */
  private static String optionalText(JsonNode node, String path, String name, int maxChars) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    String field = join(path, name);
    if (!value.isTextual()) {
      throw new InvalidInteractionException(field, field + " must be a string");
    }
    String text = value.textValue();
    TextRules.check(text, field, maxChars);
    return text;
  }

  private static UUID optionalUuid(JsonNode node, String path, String name) {
    String text = optionalText(node, path, name, 36);
    if (text == null) {
      return null;
    }
    if (!isUuidText(text)) {
      throw new InvalidInteractionException(join(path, name),
          join(path, name) + " must be a UUID such as 123e4567-e89b-12d3-a456-426614174000");
    }
    return UUID.fromString(text);
  }

  /** 8-4-4-4-12 hexadecimal digits (checked by hand: a regex costs more than the rest of a UUID). */
  static boolean isUuidText(String text) {
    if (text.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = text.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : Character.digit(c, 16) < 0 || c > 'f') {
        return false;
      }
    }
    return true;
  }

  private Instant optionalInstant(JsonNode node, String path, String name) {
    String text = optionalText(node, path, name, 64);
    if (text == null) {
      return null;
    }
    String field = join(path, name);
    Instant instant;
    try {
      instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidInteractionException(field,
          field + " must be an ISO-8601 time with offset, e.g. 2026-11-27T14:05:00Z");
    }
    if (instant.isBefore(EARLIEST) || instant.isAfter(clock.instant().plus(MAX_CLOCK_SKEW))) {
      throw new InvalidInteractionException(field,
          field + " must be between 2000-01-01 and one day from now");
    }
    return instant.truncatedTo(ChronoUnit.MICROS);
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
