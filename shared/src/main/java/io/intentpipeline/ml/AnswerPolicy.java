package io.intentpipeline.ml;

/**
 * When a prediction is answered, clarified or escalated (docs/ANSWER_ACTIONS.md). Chosen at training
 * time on held-out samples by {@link AnswerPolicyFitter} and stored in the model file (section
 * {@code ACTN}); a model file without one gets {@link #NONE}: always answer, as before.
 *
 * <p>With p1 >= p2 the two best probabilities:
 * <ul>
 *   <li>the best intent is the reserved out-of-scope intent: {@code escalate};
 *   <li>the answer score reaches {@link #threshold()} (a request's {@code min_confidence}, when
 *       given, replaces the rule: p1 >= min_confidence): {@code answer};
 *   <li>else, the second is not out of scope, p2 >= {@link #clarifyCloseness()} * p1 and p1 + p2 >=
 *       {@link #clarifyThreshold()}: {@code clarify} (the two are close and together confident);
 *   <li>else {@code escalate}.
 * </ul>
 *
 * @param outOfScopeIntent the reserved intent that means "no intent the bot answers"
 * @param score what the threshold applies to
 * @param threshold the lowest answer score that is answered
 * @param clarifyThreshold the lowest p1 + p2 that is clarified (above 1: never)
 * @param clarifyCloseness the lowest p2 / p1 that is clarified
 * @param targetAccuracy the answered accuracy the threshold was chosen for (NaN when none)
 * @param expectedCoverage the share of held-out messages answered at the threshold (NaN when unknown)
 * @param expectedAccuracy the accuracy of those answered (NaN when unknown)
 * @param expectedClarify the share of held-out messages clarified (NaN when unknown)
 * @param expectedClarifyAccuracy the share of clarified ones whose intent is one of the two named
 * @param heldOutSamples how many held-out samples these figures come from (0: none)
 */
public record AnswerPolicy(String outOfScopeIntent, Score score, double threshold, double clarifyThreshold,
    double clarifyCloseness, double targetAccuracy, double expectedCoverage, double expectedAccuracy,
    double expectedClarify, double expectedClarifyAccuracy, int heldOutSamples) {

  /** The reserved intent's name when none is configured. */
  public static final String DEFAULT_OUT_OF_SCOPE = "out_of_scope";
  /** The answered accuracy a run targets when none is configured. */
  public static final double DEFAULT_TARGET_ACCURACY = 0.97;

  /** The policy of a model file that has none: always answer (except the out-of-scope intent). */
  public static final AnswerPolicy NONE = new AnswerPolicy(DEFAULT_OUT_OF_SCOPE, Score.TOP_CONFIDENCE, 0.0, 2.0,
      1.0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);

  /** What the answer threshold applies to. */
  public enum Score {
    /** p1, the confidence of the best intent. */
    TOP_CONFIDENCE("top_confidence"),
    /**
     * p1 / (p1 + p2), the best intent's share of the two best: in [0.5, 1], monotone in the gap
     * between the two best decision values (does not depend on the calibration's temperature).
     */
    TOP_OF_TWO("top_of_two");

    private final String json;

    Score(String json) {
      this.json = json;
    }

    /** Its name in JSON and reports. */
    public String json() {
      return json;
    }

    /** The score of a prediction whose two best probabilities are p1 >= p2. */
    public double of(double p1, double p2) {
      return this == TOP_CONFIDENCE ? p1 : p1 + p2 > 0 ? p1 / (p1 + p2) : 0.5;
    }

    /** The score named {@code json}. */
    public static Score named(String json) {
      for (Score s : values()) {
        if (s.json.equals(json)) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown answer score '" + json + "': use top_confidence or top_of_two");
    }
  }

  /** Checks the values. */
  public AnswerPolicy {
    if (outOfScopeIntent == null || outOfScopeIntent.isBlank()) {
      throw new IllegalArgumentException("the out-of-scope intent needs a name");
    }
    if (score == null) {
      throw new IllegalArgumentException("score is required");
    }
    if (!(threshold >= 0) || !(clarifyThreshold >= 0) || !(clarifyCloseness >= 0) || heldOutSamples < 0
        || Double.isInfinite(threshold) || Double.isInfinite(clarifyThreshold) || Double.isInfinite(clarifyCloseness)) {
      throw new IllegalArgumentException("thresholds must be finite and not negative");
    }
  }

  /** True when it can clarify at all. */
  public boolean clarifies() {
    return clarifyThreshold <= 1.0;
  }

  /** The same policy with another reserved intent name. */
  public AnswerPolicy withOutOfScopeIntent(String name) {
    return new AnswerPolicy(name, score, threshold, clarifyThreshold, clarifyCloseness, targetAccuracy,
        expectedCoverage, expectedAccuracy, expectedClarify, expectedClarifyAccuracy, heldOutSamples);
  }

  /**
   * The action for a prediction whose best intent is {@code first} (probability p1) and second
   * {@code second} (p2 <= p1; null when the model knows one intent). {@code minConfidence} in [0, 1]
   * replaces the learned rule by p1 >= minConfidence; NaN keeps it.
   */
  public Action decide(String first, double p1, String second, double p2, double minConfidence) {
    if (first.equals(outOfScopeIntent)) {
      return Action.ESCALATE;
    }
    boolean answered = Double.isNaN(minConfidence) ? score.of(p1, p2) >= threshold : p1 >= minConfidence;
    if (answered) {
      return Action.ANSWER;
    }
    if (second != null && !second.equals(outOfScopeIntent) && p2 >= clarifyCloseness * p1
        && p1 + p2 >= clarifyThreshold) {
      return Action.CLARIFY;
    }
    return Action.ESCALATE;
  }
}
