package io.intentpipeline.local.cli;

import io.intentpipeline.dataset.DatasetCleaner;
import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.json.Json;
import io.intentpipeline.ml.Evaluation;
import io.intentpipeline.ml.Evaluator;
import io.intentpipeline.ml.IntentModel;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.ml.ActionEvaluation;
import io.intentpipeline.ml.AnswerPolicy;
import io.intentpipeline.ml.AnswerPolicyJson;
import io.intentpipeline.ml.Trainer;
import io.intentpipeline.ml.TrainingProfile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./pipeline train}: trains a model offline, evaluates it, writes the model and its metrics. */
@Command(name = "train", description = {
    "Trains an intent classifier on DATA and evaluates it.",
    "With --test, the validation split (15%%) is taken from DATA and TEST is the test set; without it,",
    "DATA is cleaned and split 70/15/15 as the pipeline does. DATA and TEST are JSONL (seed field",
    "names) or CSV (--text-column/--label-column). Exit codes: 0 ok, 1 training failed, 2 bad input."})
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, paramLabel = "TRAIN", description = "Training data (.jsonl or .csv)")
  Path data;

  @Option(names = "--test", paramLabel = "TEST", description = "Test data; without it DATA is split 70/15/15")
  Path test;

  @Option(names = "--profile", defaultValue = "default", paramLabel = "seed|default",
      description = "Training profile (default: ${DEFAULT-VALUE})")
  String profile;

  @Option(names = "--model-out", defaultValue = "intent_classifier.model", paramLabel = "FILE",
      description = "Where to write the model (default: ${DEFAULT-VALUE})")
  Path modelOut;

  @Option(names = "--metrics-out", paramLabel = "FILE", description = "Where to write the metrics JSON")
  Path metricsOut;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the split and the solver (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--run-id", paramLabel = "ID", description = "Run id recorded in the model (default: a new UUID)")
  String runId;

  @Option(names = "--answer-target", defaultValue = "0.97", paramLabel = "ACCURACY",
      description = "Accuracy of answered messages the answer threshold is chosen for, on the validation split"
          + " (default: ${DEFAULT-VALUE}; docs/ANSWER_ACTIONS.md)")
  double answerTarget;

  @Option(names = "--out-of-scope-intent", defaultValue = "out_of_scope", paramLabel = "NAME",
      description = "The reserved intent of messages no intent covers (default: ${DEFAULT-VALUE})")
  String outOfScopeIntent;

  @Mixin
  CliSupport.Columns columns;

  @Override
  public Integer call() {
    return CliSupport.run("train", this::train);
  }

  private int train() {
    TrainingProfile trainingProfile;
    try {
      trainingProfile = TrainingProfile.named(profile);
    } catch (IllegalArgumentException e) {
      throw new CliSupport.CliException(CliSupport.BAD_INPUT, e.getMessage());
    }
    Consumer<String> progress = CliSupport.progress();
    progress.accept("reading " + data);
    DatasetCleaner.Result cleaned = DatasetCleaner.clean(CliSupport.readSamples(data, columns));
    List<TrainingSample> train;
    List<TrainingSample> validation;
    List<TrainingSample> testSet;
    List<String> tooSmall;
    if (test != null) {
      testSet = CliSupport.readSamples(test, columns);
      DatasetSplitter.Split split = DatasetSplitter.split(cleaned.samples(), 0.15, 0.0, seed);
      train = split.train();
      validation = split.validation();
      tooSmall = split.tooSmallIntents();
    } else {
      DatasetSplitter.Split split = DatasetSplitter.split(cleaned.samples(), seed);
      train = split.train();
      validation = split.validation();
      testSet = split.test();
      tooSmall = split.tooSmallIntents();
    }
    if (testSet.isEmpty()) {
      throw new CliSupport.CliException(CliSupport.BAD_INPUT, "no test samples: the data is too small to split; pass --test");
    }
    if (!(answerTarget > 0 && answerTarget <= 1)) {
      throw new CliSupport.CliException(CliSupport.BAD_INPUT, "--answer-target must be in (0, 1]");
    }
    if (outOfScopeIntent.isBlank()) {
      throw new CliSupport.CliException(CliSupport.BAD_INPUT, "--out-of-scope-intent must not be blank");
    }
    Trainer.Result result = new Trainer(trainingProfile).answering(answerTarget, outOfScopeIntent)
        .train(train, validation, seed, progress);
    progress.accept("evaluating on " + testSet.size() + " samples");
    Evaluation evaluation = Evaluator.evaluate(result.model(), testSet);

    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("profile", trainingProfile.name());
    metrics.put("accuracy", evaluation.accuracy());
    metrics.put("f1_macro", evaluation.f1Macro());
    metrics.put("precision_macro", evaluation.precisionMacro());
    metrics.put("recall_macro", evaluation.recallMacro());
    metrics.put("ece", evaluation.ece());
    metrics.put("brier", evaluation.brier());
    metrics.put("fit_seconds", result.fitSeconds());
    metrics.put("intents", result.model().intents().size());
    metrics.put("train_samples", result.trainSamples());
    metrics.put("validation_samples", result.validationSamples());
    metrics.put("test_samples", testSet.size());
    metrics.put("c", result.chosenC());
    ActionEvaluation actions = ActionEvaluation.of(result.model(), testSet);
    metrics.put("answer_policy", AnswerPolicyJson.map(result.model().policy()));
    metrics.put("actions", actions.toMap());
    IntentModel model = result.model().withMetadata(result.model().metadata()
        .withRun(runId != null ? runId : UUID.randomUUID().toString(), result.model().metadata().modelVersion())
        .withMetrics(Json.write(metrics)));
    long bytes;
    try {
      Path parent = modelOut.toAbsolutePath().getParent();
      if (parent != null) {
        java.nio.file.Files.createDirectories(parent);
      }
      bytes = ModelCodec.write(model, modelOut);
    } catch (java.io.IOException e) {
      throw new CliSupport.CliException(CliSupport.FAILED, modelOut + ": cannot write: " + e.getMessage());
    }
    metrics.put("model_bytes", bytes);
    metrics.put("model_version", model.metadata().modelVersion());
    metrics.put("run_id", model.metadata().runId());
    Map<String, Object> dataReport = new LinkedHashMap<>();
    dataReport.put("input_samples", cleaned.input());
    dataReport.put("empty_removed", cleaned.emptyRemoved());
    dataReport.put("duplicates_removed", cleaned.duplicatesRemoved());
    dataReport.put("conflicts", cleaned.conflicts());
    dataReport.put("too_small_intents", tooSmall);
    metrics.put("cleaning", dataReport);
    metrics.put("per_intent", evaluation.perIntent());
    metrics.put("confusion_matrix", evaluation.confusionMatrix());
    metrics.put("misclassified_count", evaluation.misclassifiedCount());
    metrics.put("misclassified", evaluation.misclassified());
    if (metricsOut != null) {
      CliSupport.writeText(metricsOut, Json.write(metrics) + "\n");
    }
    System.out.printf("profile %s: accuracy %.4f, macro F1 %.4f, ECE %.4f, %d intents, %d train / %d validation / %d test,"
            + " fit %.1f s%n", trainingProfile.name(), evaluation.accuracy(), evaluation.f1Macro(), evaluation.ece(),
        model.intents().size(), result.trainSamples(), result.validationSamples(), testSet.size(), result.fitSeconds());
    AnswerPolicy policy = result.model().policy();
    System.out.printf("actions on the test set: %.1f %% answered, %.4f of them right (threshold %.4f on %s, chosen for"
            + " %.3f on %d validation samples: %.1f %% answered, %.4f right); %.1f %% clarified, %.3f naming the right"
            + " intent; %.1f %% escalated%n", 100 * actions.coverage(), actions.answeredAccuracy(), policy.threshold(),
        policy.score().json(), policy.targetAccuracy(), policy.heldOutSamples(), 100 * policy.expectedCoverage(),
        policy.expectedAccuracy(), 100 * actions.clarifyShare(), actions.clarifyAccuracy(), 100 * actions.escalateShare());
    if (actions.outOfScope() > 0) {
      System.out.printf("out of scope (%s): %d test samples, %.1f %% escalated%n", outOfScopeIntent, actions.outOfScope(),
          100 * actions.outOfScopeEscalatedShare());
    }
    if (!tooSmall.isEmpty()) {
      System.out.println("intents too small to split (kept in training): " + String.join(", ", tooSmall));
    }
    System.out.println("model written to " + modelOut + " (" + bytes + " bytes)"
        + (metricsOut != null ? "; metrics to " + metricsOut : ""));
    return CliSupport.OK;
  }
}
