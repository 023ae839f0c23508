package io.intentpipeline.dataset;

import java.time.Instant;
import java.util.Objects;

/**
 * One labelled interaction, as the original system's {@code TrainingSample}: the user's message,
 * its intent and answer, the bot's confidence (0-100, or null when unknown), and how it came to
 * be (escalated, corrected by a human, source {@code live}, {@code imported} or {@code synthetic}).
 */
public record TrainingSample(
    String userMessage,
    String intent,
    String response,
    Integer confidenceScore,
    String category,
    boolean wasEscalated,
    boolean wasCorrected,
    String source,
    Instant createdAt) {

  /** The sources a sample may come from. */
  public static final java.util.Set<String> SOURCES = java.util.Set.of("live", "imported", "synthetic");

  /** Checks the invariants: a message and an intent are present, the source is known. */
  public TrainingSample {
    Objects.requireNonNull(userMessage, "userMessage");
    Objects.requireNonNull(intent, "intent");
    response = response == null ? "" : response;
    category = category == null ? "" : category;
    source = source == null ? "live" : source;
    if (!SOURCES.contains(source)) {
      throw new IllegalArgumentException("source must be one of live, imported, synthetic: " + source);
    }
    if (confidenceScore != null && (confidenceScore < 0 || confidenceScore > 100)) {
      throw new IllegalArgumentException("confidenceScore must be between 0 and 100: " + confidenceScore);
    }
  }

  /** A sample with only a message and an intent (an imported one, as from BANKING77). */
  public static TrainingSample of(String userMessage, String intent) {
    return new TrainingSample(userMessage, intent, "", null, "", false, false, "imported", null);
  }

  /** This sample with another message (the cleaner normalises whitespace). */
  public TrainingSample withUserMessage(String message) {
    return new TrainingSample(message, intent, response, confidenceScore, category, wasEscalated,
        wasCorrected, source, createdAt);
  }
}
