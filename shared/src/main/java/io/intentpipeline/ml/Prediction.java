package io.intentpipeline.ml;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A prediction: the most probable intent, its calibrated confidence in [0, 1], the
 * {@code top_intents} in decreasing confidence (the first is {@code intent}), the {@code action}
 * the model's {@link AnswerPolicy} advises, and, when that is {@code clarify}, the two intents to
 * ask about ({@code clarify_intents}, best first; absent otherwise).
 */
public record Prediction(
    @JsonProperty("intent") String intent,
    @JsonProperty("confidence") double confidence,
    @JsonProperty("top_intents") List<IntentScore> topIntents,
    @JsonProperty("action") Action action,
    @JsonProperty("clarify_intents") @JsonInclude(JsonInclude.Include.NON_NULL) List<String> clarifyIntents) {

  /** An answer ({@code action} answer, nothing to clarify). */
  public Prediction(String intent, double confidence, List<IntentScore> topIntents) {
    this(intent, confidence, topIntents, Action.ANSWER, null);
  }

  /** An intent and its confidence in [0, 1]. */
  public record IntentScore(@JsonProperty("intent") String intent, @JsonProperty("confidence") double confidence) {}
}
