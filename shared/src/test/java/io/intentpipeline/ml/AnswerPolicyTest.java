package io.intentpipeline.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The answer / clarify / escalate rule, and how it is chosen on held-out samples. */
class AnswerPolicyTest {
  private static final AnswerPolicy POLICY = new AnswerPolicy("out_of_scope", AnswerPolicy.Score.TOP_OF_TWO, 0.9,
      0.8, 0.1 / 0.9, 0.97, 0.85, 0.97, 0.05, 0.93, 100);

  @Test
  void theRuleAnswersClarifiesOrEscalates() {
    // top of two = 0.95 / (0.95 + 0.03) >= 0.9: answer
    assertThat(POLICY.decide("a", 0.95, "b", 0.03, Double.NaN)).isEqualTo(Action.ANSWER);
    // 0.5 / 0.9 < 0.9, and 0.5 + 0.4 >= 0.8: clarify
    assertThat(POLICY.decide("a", 0.5, "b", 0.4, Double.NaN)).isEqualTo(Action.CLARIFY);
    // 0.4 / 0.7 < 0.9 and 0.4 + 0.3 < 0.8: escalate
    assertThat(POLICY.decide("a", 0.4, "b", 0.3, Double.NaN)).isEqualTo(Action.ESCALATE);
    // the out-of-scope intent first: escalate, however confident
    assertThat(POLICY.decide("out_of_scope", 0.99, "b", 0.01, Double.NaN)).isEqualTo(Action.ESCALATE);
    // out of scope second: no "did you mean" about it
    assertThat(POLICY.decide("a", 0.5, "out_of_scope", 0.4, Double.NaN)).isEqualTo(Action.ESCALATE);
    // min_confidence replaces the learned rule; a lone best intent (0.03 < 0.95 / 9) is not clarified
    assertThat(POLICY.decide("a", 0.95, "b", 0.03, 0.96)).isEqualTo(Action.ESCALATE);
    assertThat(POLICY.decide("a", 0.85, "b", 0.12, 0.96)).isEqualTo(Action.CLARIFY);
    assertThat(POLICY.decide("a", 0.5, "b", 0.4, 0.5)).isEqualTo(Action.ANSWER);
    assertThat(POLICY.decide("a", 0.5, "b", 0.4, 0.6)).isEqualTo(Action.CLARIFY);
    // no policy: always answer
    assertThat(AnswerPolicy.NONE.decide("a", 0.2, "b", 0.19, Double.NaN)).isEqualTo(Action.ANSWER);
  }

  @Test
  void badValuesAreRefused() {
    assertThatThrownBy(() -> new AnswerPolicy(" ", AnswerPolicy.Score.TOP_CONFIDENCE, 0.5, 2, 0, 0.97, 1, 1, 0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AnswerPolicy("o", AnswerPolicy.Score.TOP_CONFIDENCE, Double.NaN, 2, 0, 0.97, 1, 1, 0,
        1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AnswerPolicyFitter.fit(new double[0][], new int[0], List.of("a", "b"), "o", 1.5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theThresholdIsTheLowestWhoseAnsweredAccuracyMeetsTheTarget() {
    // Arrange: 1,000 held-out samples of 3 intents; the more confident, the more often right
    Random random = new Random(7);
    List<double[]> rows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      double p1 = 0.5 + 0.5 * random.nextDouble();
      double p2 = (1 - p1) * (0.5 + 0.5 * random.nextDouble());
      double p3 = 1 - p1 - p2;
      int gold = random.nextDouble() < p1 ? 0 : random.nextDouble() < p2 / (p2 + p3) ? 1 : 2;
      rows.add(new double[] {p1, p2, p3});
      labels.add(gold);
    }
    double[][] probs = rows.toArray(double[][]::new);
    int[] gold = labels.stream().mapToInt(Integer::intValue).toArray();

    // Act
    AnswerPolicyFitter.Fit fit = AnswerPolicyFitter.fit(probs, gold, List.of("a", "b", "c"), "out_of_scope", 0.9);
    AnswerPolicy p = fit.policy();

    // Assert: recount by hand what the chosen threshold answers and clarifies
    int answered = 0;
    int right = 0;
    int clarified = 0;
    int named = 0;
    int answeredBelow = 0;
    int rightBelow = 0;
    double below = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < probs.length; i++) {
      double s = AnswerPolicy.Score.TOP_OF_TWO.of(probs[i][0], probs[i][1]);
      Action action = p.decide("a", probs[i][0], "b", probs[i][1], Double.NaN);
      if (action == Action.ANSWER) {
        answered++;
        right += gold[i] == 0 ? 1 : 0;
      } else {
        below = Math.max(below, s);
        if (action == Action.CLARIFY) {
          clarified++;
          named += gold[i] <= 1 ? 1 : 0;
        }
      }
    }
    for (int i = 0; i < probs.length; i++) {
      if (AnswerPolicy.Score.TOP_OF_TWO.of(probs[i][0], probs[i][1]) >= below) {
        answeredBelow++;
        rightBelow += gold[i] == 0 ? 1 : 0;
      }
    }
    assertThat(p.score()).isEqualTo(AnswerPolicy.Score.TOP_OF_TWO);
    assertThat(p.heldOutSamples()).isEqualTo(1000);
    assertThat((double) right / answered).isGreaterThanOrEqualTo(0.9).isEqualTo(p.expectedAccuracy());
    assertThat(answered / 1000.0).isEqualTo(p.expectedCoverage()).isBetween(0.05, 0.95);
    // one more message answered (the best one left out) would miss the target
    assertThat((double) rightBelow / answeredBelow).isLessThan(0.9);
    assertThat(clarified).isPositive();
    assertThat(clarified / 1000.0).isEqualTo(p.expectedClarify());
    assertThat((double) named / clarified).isGreaterThanOrEqualTo(AnswerPolicyFitter.CLARIFY_TARGET)
        .isEqualTo(p.expectedClarifyAccuracy());
    // the curve: coverage rising, ending with every sample answered, the chosen point on it
    List<AnswerPolicyFitter.Point> curve = fit.curve();
    assertThat(curve.size()).isBetween(2, AnswerPolicyFitter.CURVE_POINTS);
    assertThat(curve.get(curve.size() - 1).coverage()).isEqualTo(1.0);
    for (int j = 1; j < curve.size(); j++) {
      assertThat(curve.get(j).coverage()).isGreaterThan(curve.get(j - 1).coverage());
    }
  }

  @Test
  void outOfScopePredictionsAreNeverAnsweredAndWithoutHeldOutSamplesEverythingIs() {
    // Arrange: intent 1 is out of scope; two samples predicted out of scope, one right, one not
    double[][] probs = {{0.1, 0.9}, {0.2, 0.8}, {0.95, 0.05}};
    int[] gold = {1, 0, 0};

    // Act
    AnswerPolicy p = AnswerPolicyFitter.fit(probs, gold, List.of("a", "oos"), "oos", 0.97).policy();
    AnswerPolicy none = AnswerPolicyFitter.fit(new double[0][], new int[0], List.of("a", "b"), "oos", 0.97).policy();

    // Assert
    assertThat(p.expectedCoverage()).isEqualTo(1 / 3.0);
    assertThat(p.expectedAccuracy()).isEqualTo(1.0);
    assertThat(p.decide("oos", 0.9, "a", 0.1, Double.NaN)).isEqualTo(Action.ESCALATE);
    assertThat(none.threshold()).isZero();
    assertThat(none.clarifies()).isFalse();
    assertThat(none.decide("a", 0.3, "b", 0.29, Double.NaN)).isEqualTo(Action.ANSWER);
  }
}
