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
    String source) {

  public Interaction {
    topIntents = List.copyOf(topIntents);
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
