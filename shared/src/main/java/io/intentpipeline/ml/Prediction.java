package io.intentpipeline.ml;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A prediction: the most probable intent, its calibrated confidence in [0, 1], and the
 * {@code top_intents} in decreasing confidence (the first is {@code intent}).
 */
public record Prediction(
    @JsonProperty("intent") String intent,
    @JsonProperty("confidence") double confidence,
    @JsonProperty("top_intents") List<IntentScore> topIntents) {

  /** An intent and its confidence in [0, 1]. */
  public record IntentScore(@JsonProperty("intent") String intent, @JsonProperty("confidence") double confidence) {}
}
