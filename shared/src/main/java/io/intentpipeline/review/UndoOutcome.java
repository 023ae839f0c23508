package io.intentpipeline.review;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.UUID;

/**
 * What an undo did ({@code undo_intent_correction}, db/V17).
 *
 * @param status {@code undone}, or why nothing changed: {@code already_undone}, {@code not_latest}
 *     (a later correction of the row exists), {@code no_previous_state} (recorded before V17),
 *     {@code trained_since} (a training run used the row after the correction)
 * @param correctIntent the row's correct intent now (null when it has none)
 * @param datasetStatus the row's dataset status now
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UndoOutcome(String status, UUID correctionId, UUID trainingDataId, String correctIntent,
                          String datasetStatus) {

  /** Whether the row was put back. */
  public boolean undone() {
    return "undone".equals(status);
  }
}
