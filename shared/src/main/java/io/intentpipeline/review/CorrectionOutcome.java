package io.intentpipeline.review;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.UUID;

/**
 * What a submitted correction did: the audit row ({@code correctionId}), the intent the bot had
 * detected and the one a human set, whether they differ, whether the corrected intent is new (no
 * other interaction was ever detected as or corrected to it: accepted, but a typo shows), and
 * whether this exact correction had been submitted before (then nothing changed).
 *
 * @param notice said only for a new intent: what {@code newIntent} means for the reviewer
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CorrectionOutcome(
    UUID correctionId,
    UUID trainingDataId,
    String originalIntent,
    String correctedIntent,
    boolean wasMismatch,
    boolean newIntent,
    @JsonInclude(JsonInclude.Include.NON_NULL) String notice,
    boolean duplicate) {

  /** The outcome, with the notice a new intent gets. */
  public static CorrectionOutcome of(UUID correctionId, UUID trainingDataId, String originalIntent,
                                     String correctedIntent, boolean wasMismatch, boolean newIntent, boolean duplicate) {
    String notice = newIntent
        ? "correct_intent is a new intent: no other interaction was ever detected as or corrected to it."
            + " The correction is recorded; if the name is a typo, correct the sample again with the intended name"
        : null;
    return new CorrectionOutcome(correctionId, trainingDataId, originalIntent, correctedIntent, wasMismatch,
        newIntent, notice, duplicate);
  }
}
