package io.intentpipeline.pipeline;

import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.json.Json;
import io.intentpipeline.ml.Evaluation;
import io.intentpipeline.ml.Evaluator;
import io.intentpipeline.ml.IntentModel;
import io.intentpipeline.ml.Trainer;
import io.intentpipeline.ml.TrainingProfile;
import io.intentpipeline.testing.SyntheticIntents;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;

/**
 * A run report built from real models trained on generated data, with hostile text where users
 * and callers control it: message texts of misclassified samples and the run name.
 */
final class ReportFixtures {
  /** Texts that would inject markup or script if they were not escaped. */
  static final List<String> HOSTILE = List.of(
      "<script>console.error('injected script ran')</script> please help",
      "\"><img src=x onerror=\"console.error('injected img ran')\"> card",
      "</td></tr></table><svg onload=console.error('injected svg ran')></svg> & more",
      "it's <b>bold</b> &amp; 'quoted' \"text\"");
  static final String HOSTILE_RUN_NAME = "<i>nightly</i> & \"friends\"";

  private ReportFixtures() {}

  /** A report of {@code intents} intents: new model on 60 samples per intent, baseline on 8. */
  static RunReport report(int intents) {
    var data = new SyntheticIntents(intents, 0.25, 21);
    List<TrainingSample> samples = new ArrayList<>();
    for (int n = 0; n < 60; n++) {
      for (int i = 0; i < intents; i++) {
        samples.add(TrainingSample.of(data.message(i), data.intents().get(i)));
      }
    }
    DatasetSplitter.Split split = StableSplit.split(samples, 42);
    Clock clock = Clock.fixed(Instant.parse("2026-03-01T07:00:00Z"), ZoneOffset.UTC);
    Trainer.Result trained = new Trainer(TrainingProfile.DEFAULT, clock, 2).train(split.train(), split.validation(), 42);
    IntentModel model = trained.model();
    List<TrainingSample> small = split.train().subList(0, Math.min(split.train().size(), 8 * intents));
    IntentModel baseline = new Trainer(TrainingProfile.DEFAULT, clock, 2).train(small, List.of(), 42).model();
    List<TrainingSample> test = new ArrayList<>(split.test());
    // Hostile texts built from intent 0's words but labelled intent 1: the model gets them wrong.
    for (String hostile : HOSTILE) {
      test.add(TrainingSample.of(data.message(0) + " " + hostile + " " + data.message(0), data.intents().get(1)));
    }
    Evaluation evaluation = Evaluator.evaluate(model, test);
    Evaluation base = Evaluator.evaluate(baseline, test);
    var decision = DeployGate.decide(evaluation.f1Macro(), OptionalDouble.of(base.f1Macro()), 0.05);
    Map<String, Double> seconds = new LinkedHashMap<>();
    seconds.put("fetch", 0.01);
    seconds.put("clean", 0.02);
    seconds.put("train", 0.5);
    seconds.put("evaluate", 0.1);
    seconds.put("deploy", 0.2);
    return new RunReport(UUID.fromString("3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8a9b"), HOSTILE_RUN_NAME, RunType.FULL,
        Trigger.API, clock.instant(), Json.MAPPER.createObjectNode().put("min_confidence", 0),
        new RunReport.Dataset(samples.size(), 0, 0, 0, samples.size(), intents, split.train().size(),
            split.validation().size(), test.size(), List.of(), Optional.of("s3://bucket/datasets/x.jsonl"), 0, samples.size(),
            new RunReport.Judging("verified", test.size(), test.size(), 200, java.util.OptionalDouble.of(evaluation.f1Macro()),
                evaluation.f1Macro()), "human_only"),
        new RunReport.Model("intent_classifier_20260301_070000", "default", model.metadata().trainingConfig(), 12345,
            "ab".repeat(32), Optional.of("s3://bucket/models/intent_classifier_20260301_070000.model")),
        evaluation, Reliability.of(model, test),
        Optional.of(new RunReport.Baseline("intent_classifier_20260228_070000", "run-before", base,
            Reliability.of(baseline, test))),
        decision, 0.05, decision.deploy(), RunStatus.COMPLETED, Optional.empty(), seconds,
        Optional.of(new RunReport.Answer(trained.answer(), io.intentpipeline.ml.ActionEvaluation.of(model, test))));
  }
}
