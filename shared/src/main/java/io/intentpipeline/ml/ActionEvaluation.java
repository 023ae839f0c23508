package io.intentpipeline.ml;

import io.intentpipeline.dataset.TrainingSample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model's actions do on labelled samples (docs/ANSWER_ACTIONS.md). In-scope samples (any
 * intent but the reserved out-of-scope one): how many are answered and how many of those right
 * (answered accuracy), how many clarified and how often the right intent is one of the two named,
 * how many escalated, and the share answered and right. Out-of-scope samples: how many escalated.
 */
public record ActionEvaluation(int inScope, int answered, int answeredRight, int clarified, int clarifiedRight,
    int escalated, int outOfScope, int outOfScopeEscalated, int outOfScopeAnswered) {

  /** Evaluates {@code model}'s actions on {@code samples} with its own policy. */
  public static ActionEvaluation of(IntentModel model, List<TrainingSample> samples) {
    String oos = model.policy().outOfScopeIntent();
    int inScope = 0;
    int answered = 0;
    int answeredRight = 0;
    int clarified = 0;
    int clarifiedRight = 0;
    int escalated = 0;
    int outOfScope = 0;
    int oosEscalated = 0;
    int oosAnswered = 0;
    for (TrainingSample sample : samples) {
      Prediction p = model.predict(sample.userMessage(), 1);
      String gold = sample.intent();
      if (gold.equals(oos)) {
        outOfScope++;
        oosEscalated += p.action() == Action.ESCALATE ? 1 : 0;
        oosAnswered += p.action() == Action.ANSWER ? 1 : 0;
        continue;
      }
      inScope++;
      switch (p.action()) {
        case ANSWER -> {
          answered++;
          answeredRight += p.intent().equals(gold) ? 1 : 0;
        }
        case CLARIFY -> {
          clarified++;
          clarifiedRight += p.clarifyIntents().contains(gold) ? 1 : 0;
        }
        case ESCALATE -> escalated++;
      }
    }
    return new ActionEvaluation(inScope, answered, answeredRight, clarified, clarifiedRight, escalated, outOfScope,
        oosEscalated, oosAnswered);
  }

  /** Answered in-scope samples over in-scope samples (NaN when none). */
  public double coverage() {
    return ratio(answered, inScope);
  }

  /** Right answers over answers (NaN when none). */
  public double answeredAccuracy() {
    return ratio(answeredRight, answered);
  }

  /** Answered and right over all in-scope samples. */
  public double answeredAndRight() {
    return ratio(answeredRight, inScope);
  }

  /** Clarified in-scope samples over in-scope samples. */
  public double clarifyShare() {
    return ratio(clarified, inScope);
  }

  /** Clarify answers naming the right intent over clarify answers (NaN when none). */
  public double clarifyAccuracy() {
    return ratio(clarifiedRight, clarified);
  }

  /** Escalated in-scope samples over in-scope samples. */
  public double escalateShare() {
    return ratio(escalated, inScope);
  }

  /** Escalated out-of-scope samples over out-of-scope samples (NaN when none). */
  public double outOfScopeEscalatedShare() {
    return ratio(outOfScopeEscalated, outOfScope);
  }

  /** The figures as a JSON-ready map (NaN as null). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("in_scope_samples", inScope);
    m.put("answered", answered);
    m.put("coverage", finite(coverage()));
    m.put("answered_accuracy", finite(answeredAccuracy()));
    m.put("answered_and_right", finite(answeredAndRight()));
    m.put("clarified", clarified);
    m.put("clarify_share", finite(clarifyShare()));
    m.put("clarify_accuracy", finite(clarifyAccuracy()));
    m.put("escalated", escalated);
    m.put("escalate_share", finite(escalateShare()));
    m.put("out_of_scope_samples", outOfScope);
    m.put("out_of_scope_escalated", finite(outOfScopeEscalatedShare()));
    return m;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static double ratio(int a, int b) {
    return b == 0 ? Double.NaN : a / (double) b;
  }
}
