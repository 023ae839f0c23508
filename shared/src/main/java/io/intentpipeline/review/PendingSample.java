package io.intentpipeline.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.UUID;

/**
 * A stored interaction waiting for a human: what the user asked, what the bot detected and how
 * sure it was ({@code confidenceScore} 0-100, {@code intentMargin} 0..1 between its two best
 * intents, null when unknown), what it answered, and why it is in the queue
 * ({@code reviewReason}: {@code audit} or {@code priority}); and, once a deploy re-scored it, how
 * the model then put into service scores it ({@code rescored}, null before), which the queue's
 * order reads.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PendingSample(
    UUID id,
    String interactionId,
    String userMessage,
    String detectedIntent,
    int confidenceScore,
    Float intentMargin,
    JsonNode topIntents,
    String aiResponse,
    boolean escalated,
    String responseSource,
    String category,
    String source,
    String datasetStatus,
    @JsonSerialize(using = ToStringSerializer.class) Instant occurredAt,
    ReviewReason reviewReason,
    Rescored rescored) {

  /**
   * The answer of the model {@code modelVersion} for this sample, scored when that model was
   * deployed ({@code scoredAt}), on the bot's scales: its best intent, {@code confidenceScore}
   * 0-100, {@code intentMargin} 0..1, its {@code topIntents} best first.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Rescored(
      String modelVersion,
      String intent,
      int confidenceScore,
      float intentMargin,
      JsonNode topIntents,
      @JsonSerialize(using = ToStringSerializer.class) Instant scoredAt) {}
}
