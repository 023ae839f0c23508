package io.intentpipeline.interaction;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One interaction of the chatbot, validated and complete: it always has its id and the time it
 * happened. Optional parts are {@code null} when absent ({@link #topIntents()} is then empty).
 *
 * @param interactionId the idempotency key: storing the same id twice stores it once
 * @param confidenceScore the bot's confidence in {@code detectedIntent}, 0-100
 * @param source {@code live}, {@code imported} or {@code synthetic}
 * @param redactedKinds the kinds of personal data the record function replaced with placeholders
 *     ({@code card}, {@code iban}, {@code email}, {@code phone}, an operator's kind), empty when none
 */
public record Interaction(
    String interactionId,
    String userMessage,
    String detectedIntent,
    int confidenceScore,
    String aiResponse,
    boolean escalated,
    String responseSource,
    String category,
    UUID conversationId,
    UUID messageId,
    UUID userId,
    List<TopIntent> topIntents,
    Instant occurredAt,
    String source,
    List<String> redactedKinds) {

  public Interaction {
    topIntents = List.copyOf(topIntents);
    redactedKinds = List.copyOf(redactedKinds);
  }

  /** An interaction in which nothing was redacted. */
  public Interaction(String interactionId, String userMessage, String detectedIntent, int confidenceScore,
      String aiResponse, boolean escalated, String responseSource, String category, UUID conversationId,
      UUID messageId, UUID userId, List<TopIntent> topIntents, Instant occurredAt, String source) {
    this(interactionId, userMessage, detectedIntent, confidenceScore, aiResponse, escalated, responseSource,
        category, conversationId, messageId, userId, topIntents, occurredAt, source, List.of());
  }

  /** This interaction with its texts replaced by their redacted forms, and the kinds redacted. */
  public Interaction withRedacted(String redactedUserMessage, String redactedAiResponse, List<String> kinds) {
    return new Interaction(interactionId, redactedUserMessage, detectedIntent, confidenceScore, redactedAiResponse,
        escalated, responseSource, category, conversationId, messageId, userId, topIntents, occurredAt, source, kinds);
  }

  /**
   * The gap between the two highest confidences of {@link #topIntents()} (0..1), which marks an
   * uncertain answer; empty with fewer than two alternatives.
   */
  public Optional<Double> intentMargin() {
    if (topIntents.size() < 2) {
      return Optional.empty();
    }
    double first = Double.NEGATIVE_INFINITY;
    double second = Double.NEGATIVE_INFINITY;
    for (TopIntent t : topIntents) {
      if (t.confidence() > first) {
        second = first;
        first = t.confidence();
      } else if (t.confidence() > second) {
        second = t.confidence();
      }
    }
    return Optional.of(first - second);
  }
}
