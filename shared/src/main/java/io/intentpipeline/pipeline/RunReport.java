package io.intentpipeline.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.dataset.DatasetCleaner;
import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.json.Json;
import io.intentpipeline.ml.Evaluation;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What a run found, for people: the dataset, both evaluations on the same test split, the
 * improvement, the reliability of the confidences, and the decision. Written to S3 as
 * {@code reports/<run id>.json} ({@link #toJson()}) and {@code reports/<run id>.html} ({@link HtmlReport}).
 */
record RunReport(
    UUID runId,
    String runName,
    RunType runType,
    Trigger trigger,
    Instant startedAt,
    JsonNode parameters,
    Dataset dataset,
    Model model,
    Evaluation evaluation,
    List<Reliability.Bin> reliability,
    Optional<Baseline> baseline,
    DeployGate.Decision decision,
    double margin,
    boolean deployed,
    RunStatus status,
    Optional<String> error,
    Map<String, Double> stageSeconds,
    Optional<Answer> answer) {

  /** Format name of the JSON report. */
  public static final String FORMAT = "intent-pipeline/training-report";
  /** Version of the JSON report's layout; a reader checks it before reading further. */
  public static final int VERSION = 1;

  /** Immutable copies. */
  public RunReport {
    reliability = List.copyOf(reliability);
    stageSeconds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stageSeconds));
  }

  /**
   * The data the run trained on: rows fetched, what cleaning removed, and the split.
   *
   * @param snapshot where the cleaned dataset was written ({@code datasets/<run id>.jsonl}), if it was
   */
  public record Dataset(int fetched, int emptyRemoved, int duplicatesRemoved, int conflicts, int samples, int intents,
      int train, int validation, int test, List<String> tooSmallIntents, Optional<String> snapshot,
      int nearDuplicatesRemoved, int verifiedSamples, Judging judging, String labelPolicy) {
    /** Immutable copy. */
    public Dataset {
      tooSmallIntents = List.copyOf(tooSmallIntents);
    }

    /** The data {@code run} fetched, cleaned and split. */
    static Dataset of(FinishedRun run, Optional<String> snapshot) {
      StageResult.Fetched fetchedRows = run.reached(StageResult.Fetched.class).orElseThrow();
      int fetched = fetchedRows.rows().size();
      StageResult.Cleaned cleaned = run.reached(StageResult.Cleaned.class).orElseThrow();
      DatasetCleaner.Result result = cleaned.result();
      DatasetSplitter.Split split = run.reached(StageResult.Split.class).orElseThrow().split();
      StageResult.Split parts = run.reached(StageResult.Split.class).orElseThrow();
      TrustedSplit.Result trusted = parts.trusted();
      StageResult.Evaluated evaluated = run.reached(StageResult.Evaluated.class).orElseThrow();
      Judging judging = new Judging(trusted.judgedOn().dbName(), trusted.verifiedTest().size(), trusted.allTest().size(),
          trusted.required(), evaluated.verifiedF1(), evaluated.allTestF1());
      return new Dataset(fetched, result.emptyRemoved(), result.duplicatesRemoved(), result.conflicts(),
          cleaned.samples(), cleaned.intents(), split.train().size(), split.validation().size(), split.test().size(),
          split.tooSmallIntents(), snapshot, cleaned.nearDuplicatesRemoved(), cleaned.verifiedSamples(), judging,
          fetchedRows.applied().wireName());
    }
  }

  /**
   * Which test set the gate compared on ({@code verified} or {@code all}), the sizes of both, the
   * human-verified test samples a fair estimate needs, and the new model's macro F1 on each.
   */
  public record Judging(String judgedOn, int verifiedTest, int allTest, int required, java.util.OptionalDouble verifiedF1,
      double allTestF1) {}

  /**
   * The new model: its version, profile, training configuration (JSON), file size and SHA-256,
   * and where it was deployed (empty when it was not).
   */
  public record Model(String version, String profile, String configJson, int bytes, String sha256,
      Optional<String> location) {
    /** The model {@code run} trained with {@code profile} and encoded, and where it went if it was deployed. */
    static Model of(FinishedRun run, String profile) {
      ModelDeployer.Encoded encoded = run.reached(StageResult.Packaged.class).orElseThrow().encoded();
      return new Model(encoded.version(), profile, run.modelConfig().orElseThrow(), encoded.bytes().length,
          encoded.sha256(), run.modelFilePath());
    }
  }

  /**
   * The new model's answer policy, the validation coverage-accuracy curve it was chosen on, and
   * its actions on the test split (docs/ANSWER_ACTIONS.md).
   */
  public record Answer(io.intentpipeline.ml.AnswerPolicyFitter.Fit fit, io.intentpipeline.ml.ActionEvaluation onTest) {}

  /** The deployed model before the run, evaluated on the same test split. */
  public record Baseline(String modelVersion, String runId, Evaluation evaluation, List<Reliability.Bin> reliability) {
    /** Immutable copy. */
    public Baseline {
      reliability = List.copyOf(reliability);
    }
  }

  /**
   * The report of {@code run}, which reached the encoding of its model, run with {@code settings};
   * {@code snapshot}: where its cleaned dataset was written, if it was.
   */
  static RunReport of(FinishedRun run, TrainingSettings settings, Optional<String> snapshot,
      Map<String, Double> stageSeconds) {
    StageResult.Evaluated evaluated = run.reached(StageResult.Evaluated.class).orElseThrow();
    StageResult.Judged judged = run.reached(StageResult.Judged.class).orElseThrow();
    RunRequest request = run.request();
    return new RunReport(request.runId(), request.runName(), request.runType(), request.trigger(), run.startedAt(),
        run.recordedParameters(), Dataset.of(run, snapshot), Model.of(run, settings.profile().name()), evaluated.evaluation(),
        evaluated.reliability(), judged.baseline(), judged.decision(), settings.deployMargin(), run.deployed(),
        run.status(), run.failure(), stageSeconds,
        run.reached(StageResult.Trained.class).filter(t -> t.answer() != null)
            .map(t -> new Answer(t.answer(), evaluated.actions())));
  }

  /** New minus baseline for accuracy, macro precision, recall and F1; empty without a baseline. */
  public Optional<Map<String, Double>> improvement() {
    return baseline.map(b -> {
      Map<String, Double> delta = new LinkedHashMap<>();
      delta.put("accuracy", evaluation.accuracy() - b.evaluation().accuracy());
      delta.put("precision", evaluation.precisionMacro() - b.evaluation().precisionMacro());
      delta.put("recall", evaluation.recallMacro() - b.evaluation().recallMacro());
      delta.put("f1", evaluation.testedF1Macro() - b.evaluation().testedF1Macro());
      return delta;
    });
  }

  /** The JSON report. */
  public ObjectNode toJson() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    ObjectNode run = root.putObject("run");
    run.put("id", runId.toString());
    run.put("name", runName);
    run.put("type", runType.dbName());
    run.put("triggered_by", trigger.dbName());
    run.put("started_at", startedAt.toString());
    run.put("status", status.dbName());
    run.set("parameters", parameters);
    error.ifPresentOrElse(e -> run.put("error", e), () -> run.putNull("error"));
    ObjectNode data = root.putObject("dataset");
    data.put("fetched", dataset.fetched());
    data.put("empty_removed", dataset.emptyRemoved());
    data.put("duplicates_removed", dataset.duplicatesRemoved());
    data.put("conflicts", dataset.conflicts());
    data.put("samples", dataset.samples());
    data.put("intents", dataset.intents());
    data.put("train", dataset.train());
    data.put("validation", dataset.validation());
    data.put("test", dataset.test());
    data.set("too_small_intents", Json.MAPPER.valueToTree(dataset.tooSmallIntents()));
    dataset.snapshot().ifPresentOrElse(s -> data.put("snapshot", s), () -> data.putNull("snapshot"));
    data.put("label_policy_applied", dataset.labelPolicy());
    data.put("near_duplicates_removed", dataset.nearDuplicatesRemoved());
    data.put("verified_samples", dataset.verifiedSamples());
    ObjectNode judging = root.putObject("judging");
    Judging j = dataset.judging();
    judging.put("judged_on", j.judgedOn());
    judging.put("verified_test_samples", j.verifiedTest());
    judging.put("all_test_samples", j.allTest());
    judging.put("verified_needed", j.required());
    if (j.verifiedF1().isPresent()) {
      judging.put("verified_f1", j.verifiedF1().getAsDouble());
    } else {
      judging.putNull("verified_f1");
    }
    judging.put("all_test_f1", j.allTestF1());
    ObjectNode m = root.putObject("model");
    m.put("version", model.version());
    m.put("profile", model.profile());
    m.put("bytes", model.bytes());
    m.put("sha256", model.sha256());
    model.location().ifPresentOrElse(l -> m.put("location", l), () -> m.putNull("location"));
    try {
      m.set("config", Json.MAPPER.readTree(model.configJson()));
    } catch (java.io.IOException e) {
      m.put("config", model.configJson());
    }
    root.set("evaluation", Json.MAPPER.valueToTree(evaluation));
    root.set("reliability", Json.MAPPER.valueToTree(reliability));
    baseline.ifPresentOrElse(b -> {
      ObjectNode base = root.putObject("baseline");
      base.put("model_version", b.modelVersion());
      base.put("run_id", b.runId());
      base.set("evaluation", Json.MAPPER.valueToTree(b.evaluation()));
      base.set("reliability", Json.MAPPER.valueToTree(b.reliability()));
    }, () -> root.putNull("baseline"));
    improvement().ifPresentOrElse(i -> root.set("improvement", Json.MAPPER.valueToTree(i)),
        () -> root.putNull("improvement"));
    ObjectNode d = root.putObject("decision");
    d.put("rule", "deploy when there is no deployed model, or when new_f1 >= baseline_f1 - margin");
    d.put("margin", margin);
    d.put("deploy", decision.deploy());
    d.put("reason", decision.reason());
    d.put("deployed", deployed);
    root.set("stage_seconds", Json.MAPPER.valueToTree(stageSeconds));
    answer.ifPresentOrElse(a -> {
      ObjectNode node = root.putObject("answer");
      node.set("policy", Json.MAPPER.valueToTree(io.intentpipeline.ml.AnswerPolicyJson.map(a.fit().policy())));
      node.set("validation_curve", Json.MAPPER.valueToTree(io.intentpipeline.ml.AnswerPolicyJson.curve(a.fit().curve())));
      node.set("on_test", Json.MAPPER.valueToTree(a.onTest().toMap()));
    }, () -> root.putNull("answer"));
    return root;
  }
}
