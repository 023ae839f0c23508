package io.intentpipeline.review;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.UUID;

/**
 * A reviewed interaction whose detected intent was wrong ({@code intent_correct = FALSE}): what the
 * bot detected against what a human said it is, with both answers.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ClassificationError(
    UUID id,
    String interactionId,
    String userMessage,
    String detectedIntent,
    String correctIntent,
    Integer confidenceScore,
    String aiResponse,
    String correctResponse,
    boolean escalated,
    Boolean shouldEscalate,
    UUID correctedBy,
    @JsonSerialize(using = ToStringSerializer.class) Instant correctedAt,
    @JsonSerialize(using = ToStringSerializer.class) Instant occurredAt) {}
