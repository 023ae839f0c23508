package io.intentpipeline.pipeline;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The deploy rule of the original system: the first model always deploys; after that a new model
 * deploys when {@code new_f1 >= baseline_f1 - margin} (macro F1 of both on the same test split).
 */
final class DeployGate {
  /** The reason for deploying when nothing was deployed before. */
  static final String FIRST_MODEL = "first model: no model was deployed";

  private DeployGate() {}

  /** Whether to deploy, and why, in words a person reads in the runs table. */
  public record Decision(boolean deploy, String reason) {
    /** The same decision, its reason saying which test set it was made on ({@code basis}). */
    public Decision judgedOn(String basis) {
      return new Decision(deploy, reason + " (" + basis + ")");
    }
  }

  /**
   * The decision for a new model of macro F1 {@code newF1} against the deployed model's
   * {@code baselineF1} (empty: nothing is deployed).
   */
  public static Decision decide(double newF1, OptionalDouble baselineF1, double margin) {
    if (baselineF1.isEmpty()) {
      return new Decision(true, FIRST_MODEL);
    }
    double base = baselineF1.getAsDouble();
    double floor = base - margin;
    // Compared at the precision the figures are shown with, so that the reason never reads
    // "0.8000 < 0.8000" for a difference in the 16th decimal.
    boolean deploy = round(newF1) >= round(floor);
    String comparison = String.format(Locale.ROOT, "new F1 %.4f %s baseline F1 %.4f - margin %.2f = %.4f",
        newF1, deploy ? ">=" : "<", base, margin, floor);
    return new Decision(deploy, deploy ? comparison : comparison + ": the deployed model stays");
  }

  private static double round(double value) {
    return Math.round(value * 1e9) / 1e9;
  }
}
