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
 * ({@code reviewReason}: {@code audit} or {@code priority}).
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
    ReviewReason reviewReason) {}
