package io.intentpipeline.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The thresholds of the original system's Monitoring section, checked against a metrics object
 * (the JSON of {@code ai_training_metrics_between}). A threshold is crossed strictly: an accuracy
 * of exactly 70 % raises nothing. A figure that cannot be computed (null, e.g. nothing reviewed
 * yet, or no model deployed) raises nothing either.
 */
final class Alerts {
  /** Intent accuracy below this percentage: immediate review needed. */
  public static final BigDecimal MIN_INTENT_ACCURACY = new BigDecimal("70");
  /** Escalation rate above this percentage: the model is not confident enough. */
  public static final BigDecimal MAX_ESCALATION_RATE = new BigDecimal("30");
  /** Deployed model's macro F1 below this: retrain with more data. */
  public static final BigDecimal MIN_F1 = new BigDecimal("0.70");
  /** Misclassification rate above this percentage: review intents and prompts. */
  public static final BigDecimal MAX_MISCLASSIFICATION_RATE = new BigDecimal("15");

  private Alerts() {}

  /** Every threshold {@code metrics} crosses, in a fixed order. */
  public static List<Alert> check(JsonNode metrics) {
    List<Alert> alerts = new ArrayList<>(4);
    below(alerts, "intent_accuracy", metrics.path("intent_accuracy"), MIN_INTENT_ACCURACY, "percent",
        "Intent accuracy", "Immediate review needed");
    above(alerts, "escalation_rate", metrics.path("escalation_rate"), MAX_ESCALATION_RATE, "percent",
        "Escalation rate", "Model not confident enough");
    below(alerts, "f1", metrics.path("model").path("f1"), MIN_F1, "fraction",
        "Deployed model's F1", "Retrain with more data");
    above(alerts, "misclassification_rate", metrics.path("misclassification_rate"), MAX_MISCLASSIFICATION_RATE,
        "percent", "Misclassification rate", "Review intents and prompts");
    return List.copyOf(alerts);
  }

  private static void below(List<Alert> alerts, String metric, JsonNode value, BigDecimal limit, String unit,
                            String label, String action) {
    if (value.isNumber() && value.decimalValue().compareTo(limit) < 0) {
      alerts.add(new Alert(metric, value.decimalValue(), limit, "below", unit,
          label + " " + show(value.decimalValue(), unit) + " is below " + show(limit, unit), action));
    }
  }

  private static void above(List<Alert> alerts, String metric, JsonNode value, BigDecimal limit, String unit,
                            String label, String action) {
    if (value.isNumber() && value.decimalValue().compareTo(limit) > 0) {
      alerts.add(new Alert(metric, value.decimalValue(), limit, "above", unit,
          label + " " + show(value.decimalValue(), unit) + " is above " + show(limit, unit), action));
    }
  }

  private static String show(BigDecimal value, String unit) {
    return value.stripTrailingZeros().toPlainString() + ("percent".equals(unit) ? " %" : "");
  }
}
