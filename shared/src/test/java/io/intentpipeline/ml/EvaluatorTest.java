package io.intentpipeline.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
  @Test
  void figuresMatchAHandComputedExample() {
    // Arrange: a a b b c -> a b b b a, confidences chosen for the calibration error.
    String[] truth = {"a", "a", "b", "b", "c"};
    String[] predicted = {"a", "b", "b", "b", "a"};
    double[] confidence = {0.9, 0.5, 0.95, 0.6, 0.3};

    // Act
    Evaluation e = Evaluator.summarise(truth, predicted, confidence, 0.25,
        List.of(new Evaluation.Misclassified("x", "a", "b", 0.5)), 2);

    // Assert: a: P 1/2 R 1/2 F 1/2; b: P 2/3 R 1 F 0.8; c: 0 0 0.
    assertThat(e.accuracy()).isCloseTo(0.6, within(1e-12));
    assertThat(e.precisionMacro()).isCloseTo((0.5 + 2.0 / 3) / 3, within(1e-12));
    assertThat(e.recallMacro()).isCloseTo(0.5, within(1e-12));
    assertThat(e.f1Macro()).isCloseTo(1.3 / 3, within(1e-12));
    assertThat(e.perIntent().get("b")).isEqualTo(new Evaluation.IntentMetrics(2.0 / 3, 1.0, 0.8, 2));
    assertThat(e.confusionMatrix().get("a")).containsEntry("a", 1).containsEntry("b", 1);
    assertThat(e.confusionMatrix().get("c")).containsOnlyKeys("a");
    // Bins (k/15): 0.9 and 0.95 -> bin 14 (both right: |2 - 1.85|), 0.5 -> bin 7 (wrong: 0.5),
    // 0.6 -> bin 8 (right: 0.4), 0.3 -> bin 4 (wrong: 0.3); total 1.35 / 5.
    assertThat(e.ece()).isCloseTo(1.35 / 5, within(1e-12));
    assertThat(e.totalIntents()).isEqualTo(3);
    assertThat(e.misclassifiedCount()).isEqualTo(2);
  }

  @Test
  void theTestedMacroF1LeavesOutIntentsOnlyPredicted() {
    // a a b b -> a c b b: c is predicted once but never true.
    String[] truth = {"a", "a", "b", "b"};
    String[] predicted = {"a", "c", "b", "b"};

    Evaluation e = Evaluator.summarise(truth, predicted, new double[] {0.9, 0.6, 0.9, 0.9}, 0.1, List.of(), 1);

    // a: P 1 R 1/2 F 2/3; b: F 1; c: F 0 (it has no support).
    assertThat(e.f1Macro()).isCloseTo((2.0 / 3 + 1) / 3, within(1e-12));
    assertThat(e.testedF1Macro()).isCloseTo((2.0 / 3 + 1) / 2, within(1e-12));
    // When every predicted intent is also true, both are the same.
    Evaluation same = Evaluator.summarise(truth, new String[] {"a", "b", "b", "b"}, new double[] {1, 1, 1, 1}, 0,
        List.of(), 1);
    assertThat(same.testedF1Macro()).isCloseTo(same.f1Macro(), within(1e-12));
  }

  @Test
  void theEvaluationSerialisesToJsonWithTheAgreedNames() throws Exception {
    // Arrange
    IntentModel model = new Trainer(TrainingProfile.SEED, Fixtures.CLOCK, 2).train(Fixtures.train(), List.of(), 1).model();

    // Act
    Evaluation evaluation = Evaluator.evaluate(model, Fixtures.test());
    JsonNode json = Json.MAPPER.readTree(evaluation.toJson());
    JsonNode perIntent = Json.MAPPER.readTree(evaluation.perIntentJson());

    // Assert
    assertThat(json.fieldNames()).toIterable().contains("accuracy", "precision_macro", "recall_macro", "f1_macro",
        "ece", "brier", "per_intent", "confusion_matrix", "misclassified", "total_samples");
    assertThat(perIntent.get("greeting").fieldNames()).toIterable()
        .containsExactly("precision", "recall", "f1", "support");
    assertThat(perIntent.get("greeting").get("support").asInt()).isEqualTo(3);
    assertThat(evaluation.brier()).isBetween(0.0, 2.0);
    assertThat(evaluation.totalSamples()).isEqualTo(Fixtures.test().size());
  }
}
