package io.intentpipeline.ml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Chooses a model's {@link AnswerPolicy} on held-out samples (docs/ANSWER_ACTIONS.md): the lowest
 * answer threshold whose answered messages are at least {@code targetAccuracy} accurate (the
 * largest coverage that meets the target), then, among the messages left unanswered, the lowest
 * p1 + p2 whose clarified messages have their intent among the two named at least
 * {@link #CLARIFY_TARGET} of the time (or the target accuracy, when lower: a "did you mean" need
 * not be more reliable than an answer).
 *
 * <p>Scored by the best intent's share of the two best ({@link AnswerPolicy.Score#TOP_OF_TWO}):
 * on BANKING77's test set it ranks answers better than the top confidence (0.969 against 0.966
 * accurate at 88 % answered, default profile; docs/ANSWER_ACTIONS.md, "Measured").
 */
public final class AnswerPolicyFitter {
  /** The share of clarify answers that must name the right intent, on held-out samples. */
  public static final double CLARIFY_TARGET = 0.92;
  /** Fewest held-out messages a clarify threshold is chosen on. */
  static final int CLARIFY_MIN_SAMPLES = 10;
  /** Points kept of the coverage-accuracy curve (for reports). */
  static final int CURVE_POINTS = 41;

  private AnswerPolicyFitter() {}

  /** One point of the coverage-accuracy curve: answering the messages scoring at least {@code threshold}. */
  public record Point(double threshold, double coverage, double accuracy) {}

  /** The policy chosen and the curve it was chosen on (empty when nothing was held out). */
  public record Fit(AnswerPolicy policy, List<Point> curve) {}

  /**
   * Fits on {@code probabilities} (one row per held-out sample, in the order of {@code intents})
   * and {@code labels} (index into intents).
   */
  public static Fit fit(double[][] probabilities, int[] labels, List<String> intents, String outOfScopeIntent,
      double targetAccuracy) {
    if (!(targetAccuracy > 0 && targetAccuracy <= 1)) {
      throw new IllegalArgumentException("the target accuracy must be in (0, 1]: " + targetAccuracy);
    }
    AnswerPolicy.Score score = AnswerPolicy.Score.TOP_OF_TWO;
    int n = labels.length;
    if (n == 0) {
      return new Fit(new AnswerPolicy(outOfScopeIntent, score, 0.0, 2.0, 0.0, targetAccuracy, Double.NaN,
          Double.NaN, Double.NaN, Double.NaN, 0), List.of());
    }
    int oos = intents.indexOf(outOfScopeIntent);
    int[] first = new int[n];
    int[] second = new int[n];
    double[] s = new double[n];
    double[] pair = new double[n];
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] p = probabilities[i];
      int a = -1;
      int b = -1;
      for (int c = 0; c < p.length; c++) {
        if (a < 0 || p[c] > p[a]) {
          b = a;
          a = c;
        } else if (b < 0 || p[c] > p[b]) {
          b = c;
        }
      }
      first[i] = a;
      second[i] = b;
      s[i] = score.of(p[a], p[b]);
      pair[i] = p[a] + p[b];
      if (a != oos) {
        candidates.add(i);
      }
    }
    Integer[] order = candidates.toArray(Integer[]::new);
    Arrays.sort(order, (x, y) -> Double.compare(s[y], s[x]));
    // Cumulative accuracy over the candidates by decreasing score, at each distinct score.
    List<Point> all = new ArrayList<>();
    int correct = 0;
    double threshold = Double.NaN;
    double coverage = 0;
    double accuracy = Double.NaN;
    for (int j = 0; j < order.length; j++) {
      int i = order[j];
      correct += first[i] == labels[i] ? 1 : 0;
      if (j + 1 < order.length && s[order[j + 1]] == s[i]) {
        continue; // the same score: answered together
      }
      Point point = new Point(s[i], (j + 1) / (double) n, correct / (double) (j + 1));
      all.add(point);
      if (point.accuracy() >= targetAccuracy) {
        threshold = point.threshold();
        coverage = point.coverage();
        accuracy = point.accuracy();
      }
    }
    if (Double.isNaN(threshold)) {
      // Not even the most confident answers meet the target: answer none.
      threshold = 1.0;
    }
    double answerAt = threshold;
    // Clarify: among the messages not answered whose two best are not out of scope, by decreasing p1 + p2.
    List<Integer> left = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean answered = first[i] != oos && s[i] >= answerAt;
      if (!answered && first[i] != oos && second[i] != oos) {
        left.add(i);
      }
    }
    Integer[] byPair = left.toArray(Integer[]::new);
    Arrays.sort(byPair, (x, y) -> Double.compare(pair[y], pair[x]));
    double clarifyAt = 2.0;
    double clarifyShare = 0;
    double clarifyAccuracy = Double.NaN;
    int named = 0;
    for (int j = 0; j < byPair.length; j++) {
      int i = byPair[j];
      named += first[i] == labels[i] || second[i] == labels[i] ? 1 : 0;
      if (j + 1 < byPair.length && pair[byPair[j + 1]] == pair[i]) {
        continue;
      }
      double rate = named / (double) (j + 1);
      if (j + 1 >= CLARIFY_MIN_SAMPLES && rate >= Math.min(CLARIFY_TARGET, targetAccuracy)) {
        clarifyAt = pair[i];
        clarifyShare = (j + 1) / (double) n;
        clarifyAccuracy = rate;
      }
    }
    // "Close": the second at least (1 - t) / t of the first, i.e. a top-of-two share below the
    // threshold, so that a request's min_confidence never turns a lone best intent into a question.
    double closeness = threshold > 0 ? (1 - threshold) / threshold : 0.0;
    AnswerPolicy policy = new AnswerPolicy(outOfScopeIntent, score, threshold, clarifyAt, closeness, targetAccuracy,
        coverage, accuracy, clarifyShare, clarifyAccuracy, n);
    return new Fit(policy, thin(all));
  }

  /** At most {@link #CURVE_POINTS} points, evenly spread over coverage, the last one kept. */
  private static List<Point> thin(List<Point> all) {
    if (all.size() <= CURVE_POINTS) {
      return List.copyOf(all);
    }
    List<Point> kept = new ArrayList<>();
    double step = all.get(all.size() - 1).coverage() / (CURVE_POINTS - 1);
    double next = 0;
    for (int j = 0; j < all.size(); j++) {
      Point p = all.get(j);
      if (p.coverage() >= next || j == all.size() - 1) {
        kept.add(p);
        next = p.coverage() + step;
      }
    }
    return List.copyOf(kept);
  }
}
