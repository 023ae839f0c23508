package io.intentpipeline.interaction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.json.Json;
import java.util.Set;

/**
 * The body of an interactions queue message, version 1: the interaction's API fields, always
 * with {@code interaction_id} and {@code occurred_at}, plus {@code "v": 1}.
 *
 * <pre>{"v":1,"interaction_id":"...","user_message":"...","detected_intent":"...",
 *  "confidence_score":87,"escalated":false,"occurred_at":"2026-11-27T14:05:00Z","source":"live",...}</pre>
 *
 * <p>{@code "redacted": ["card", ...]}, when present, names the kinds of personal data the record
 * function replaced (docs/PRIVACY.md); a message without it had nothing redacted.
 *
 * <p>Decoding re-checks everything the record function checked: a message that did not come
 * from it (or from a different version) is rejected as poison, never stored half-right.
 */
public final class InteractionMessages {
  /** The version written by {@link #encode}. */
  public static final int VERSION = 1;
  /** The largest message body SQS accepts, in bytes of UTF-8. */
  public static final int MAX_BYTES = 262_144;

  private static final Set<String> ENVELOPE = Set.of("v", "redacted");
  private static final java.util.regex.Pattern KIND = java.util.regex.Pattern.compile("[a-z][a-z0-9_]{0,31}");

  private InteractionMessages() {}

  /** The message body for {@code interaction}. */
  public static String encode(Interaction interaction) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("v", VERSION);
    node.put("interaction_id", interaction.interactionId());
    node.put("user_message", interaction.userMessage());
    node.put("detected_intent", interaction.detectedIntent());
    node.put("confidence_score", interaction.confidenceScore());
    putIfPresent(node, "ai_response", interaction.aiResponse());
    node.put("escalated", interaction.escalated());
    putIfPresent(node, "response_source", interaction.responseSource());
    putIfPresent(node, "category", interaction.category());
    putIfPresent(node, "conversation_id", interaction.conversationId());
    putIfPresent(node, "message_id", interaction.messageId());
    putIfPresent(node, "user_id", interaction.userId());
    if (!interaction.topIntents().isEmpty()) {
      ArrayNode top = node.putArray("top_intents");
      for (TopIntent t : interaction.topIntents()) {
        top.addObject().put("intent", t.intent()).put("confidence", t.confidence());
      }
    }
    node.put("occurred_at", interaction.occurredAt().toString());
    node.put("source", interaction.source());
    if (!interaction.redactedKinds().isEmpty()) {
      ArrayNode kinds = node.putArray("redacted");
      interaction.redactedKinds().forEach(kinds::add);
    }
    return Json.write(node);
  }

  /**
   * The interaction of a message body. A body that is not JSON, has another version or holds an
   * invalid interaction throws {@link InvalidInteractionException} (field {@code body}, {@code v}
   * or the interaction's field).
   */
  public static Interaction decode(String body, InteractionReader reader) {
    if (body == null || body.isBlank()) {
      throw new InvalidInteractionException("body", "message body is empty");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidInteractionException("body", "message body is not JSON: " + Json.problem(e) + Json.column(e));
    }
    if (node == null || !node.isObject()) {
      throw new InvalidInteractionException("body", "message body must be a JSON object");
    }
    JsonNode version = node.get("v");
    if (version == null || !version.isIntegralNumber() || version.intValue() != VERSION) {
      throw new InvalidInteractionException("v", "message version must be " + VERSION);
    }
    Interaction interaction = reader.readComplete(node, ENVELOPE);
    JsonNode redacted = node.get("redacted");
    if (redacted == null) {
      return interaction;
    }
    if (!redacted.isArray() || redacted.size() > 20) {
      throw new InvalidInteractionException("redacted", "redacted must be an array of at most 20 kind names");
    }
    java.util.List<String> kinds = new java.util.ArrayList<>(redacted.size());
    for (JsonNode kind : redacted) {
      if (!kind.isTextual() || !KIND.matcher(kind.textValue()).matches()) {
        throw new InvalidInteractionException("redacted", "redacted must hold kind names such as card or email");
      }
      kinds.add(kind.textValue());
    }
    return interaction.withRedacted(interaction.userMessage(), interaction.aiResponse(), kinds);
  }

  /** The size of {@code body} in UTF-8 bytes, as SQS counts it. */
  public static int utf8Length(String body) {
    int bytes = 0;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < body.length() && Character.isLowSurrogate(body.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private static void putIfPresent(ObjectNode node, String name, Object value) {
    if (value != null) {
      node.put(name, value.toString());
    }
  }
}
