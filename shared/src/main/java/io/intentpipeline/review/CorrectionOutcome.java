package io.intentpipeline.review;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.UUID;

/**
 * What a submitted correction did: the audit row ({@code correctionId}), the intent the bot had
 * detected and the one a human set, whether they differ, and whether this exact correction had
 * been submitted before (then nothing changed).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CorrectionOutcome(
    UUID correctionId,
    UUID trainingDataId,
    String originalIntent,
    String correctedIntent,
    boolean wasMismatch,
    boolean duplicate) {}
