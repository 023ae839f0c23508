package io.intentpipeline.ml;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.intentpipeline.json.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a model did on a labelled set: accuracy, macro-averaged precision/recall/F1 (over the
 * intents that are true or predicted at least once, as scikit-learn does), per-intent figures,
 * the confusion matrix (true intent -> predicted intent -> count, non-zero cells only), the
 * misclassified samples (at most {@link Evaluator#MAX_MISCLASSIFIED}; all are counted), the
 * expected calibration error (15 equal-width bins of the top confidence) and the multi-class
 * Brier score. Immutable; serialises to JSON with snake_case names.
 */
public record Evaluation(
    @JsonProperty("accuracy") double accuracy,
    @JsonProperty("precision_macro") double precisionMacro,
    @JsonProperty("recall_macro") double recallMacro,
    @JsonProperty("f1_macro") double f1Macro,
    @JsonProperty("ece") double ece,
    @JsonProperty("brier") double brier,
    @JsonProperty("total_samples") int totalSamples,
    @JsonProperty("total_intents") int totalIntents,
    @JsonProperty("per_intent") Map<String, IntentMetrics> perIntent,
    @JsonProperty("confusion_matrix") Map<String, Map<String, Integer>> confusionMatrix,
    @JsonProperty("misclassified_count") int misclassifiedCount,
    @JsonProperty("misclassified") List<Misclassified> misclassified) {

  /** Immutable copies that keep the order. */
  public Evaluation {
    perIntent = Collections.unmodifiableMap(new LinkedHashMap<>(perIntent));
    Map<String, Map<String, Integer>> matrix = new LinkedHashMap<>();
    confusionMatrix.forEach((k, v) -> matrix.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
    confusionMatrix = Collections.unmodifiableMap(matrix);
    misclassified = List.copyOf(misclassified);
  }

  /** Precision, recall, F1 (0 when undefined) and support (true samples) of one intent. */
  public record IntentMetrics(
      @JsonProperty("precision") double precision,
      @JsonProperty("recall") double recall,
      @JsonProperty("f1") double f1,
      @JsonProperty("support") int support) {}

  /** A sample the model got wrong, with the confidence of its (wrong) prediction. */
  public record Misclassified(
      @JsonProperty("text") String text,
      @JsonProperty("true_intent") String trueIntent,
      @JsonProperty("predicted_intent") String predictedIntent,
      @JsonProperty("confidence") double confidence) {}

  /**
   * Macro F1 over the intents the evaluated set holds (support above 0), the figure a training run
   * reports and its gate compares. {@link #f1Macro()} also averages the intents only predicted,
   * each an F1 of 0 whatever the model: on a test split smaller than the label set (a few hundred
   * human-verified samples over 77 intents) that average falls with the split's size, not the
   * model's quality. The same as {@link #f1Macro()} when every predicted intent is also true.
   */
  public double testedF1Macro() {
    return perIntent.values().stream().filter(m -> m.support() > 0).mapToDouble(IntentMetrics::f1).average()
        .orElse(0);
  }

  /** The whole evaluation as a JSON object. */
  public String toJson() {
    return Json.write(this);
  }

  /** {@code {"<intent>": {"precision": p, "recall": r, "f1": f, "support": n}, ...}}. */
  public String perIntentJson() {
    return Json.write(perIntent);
  }
}
