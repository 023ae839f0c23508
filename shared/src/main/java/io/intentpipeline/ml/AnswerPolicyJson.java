package io.intentpipeline.ml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The answer policy and its curve as JSON-ready maps (NaN as null), for metrics, runs and reports. */
public final class AnswerPolicyJson {
  private AnswerPolicyJson() {}

  /** {@code {"out_of_scope_intent", "score", "threshold", "clarify_threshold", ...}}. */
  public static Map<String, Object> map(AnswerPolicy p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("out_of_scope_intent", p.outOfScopeIntent());
    m.put("score", p.score().json());
    m.put("threshold", p.threshold());
    m.put("clarify_threshold", p.clarifies() ? p.clarifyThreshold() : null);
    m.put("target_accuracy", finite(p.targetAccuracy()));
    m.put("expected_coverage", finite(p.expectedCoverage()));
    m.put("expected_accuracy", finite(p.expectedAccuracy()));
    m.put("expected_clarify_share", finite(p.expectedClarify()));
    m.put("expected_clarify_accuracy", finite(p.expectedClarifyAccuracy()));
    m.put("expected_escalate_share", finite(expectedEscalateShare(p)));
    m.put("held_out_samples", p.heldOutSamples());
    return m;
  }

  /** The share of held-out messages neither answered nor clarified (NaN when unknown). */
  public static double expectedEscalateShare(AnswerPolicy p) {
    if (Double.isNaN(p.expectedCoverage())) {
      return Double.NaN;
    }
    return Math.max(0, 1 - p.expectedCoverage() - (Double.isNaN(p.expectedClarify()) ? 0 : p.expectedClarify()));
  }

  /** The curve as {@code [{"threshold", "coverage", "accuracy"}, ...]}. */
  public static List<Map<String, Object>> curve(List<AnswerPolicyFitter.Point> curve) {
    List<Map<String, Object>> out = new ArrayList<>(curve.size());
    for (AnswerPolicyFitter.Point p : curve) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("threshold", p.threshold());
      m.put("coverage", p.coverage());
      m.put("accuracy", p.accuracy());
      out.add(m);
    }
    return out;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
