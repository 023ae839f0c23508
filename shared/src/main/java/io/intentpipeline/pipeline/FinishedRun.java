package io.intentpipeline.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.ml.Evaluation;
import io.intentpipeline.pipeline.StageResult.Cleaned;
import io.intentpipeline.pipeline.StageResult.Deployed;
import io.intentpipeline.pipeline.StageResult.Evaluated;
import io.intentpipeline.pipeline.StageResult.Judged;
import io.intentpipeline.pipeline.StageResult.NothingNew;
import io.intentpipeline.pipeline.StageResult.Rescored;
import io.intentpipeline.pipeline.StageResult.Split;
import io.intentpipeline.pipeline.StageResult.Trained;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * A run whose stages have ended, built once from the results it reached (a failed run: those
 * before its failure). Its {@code ai_training_runs} columns are derived here; a column of a stage
 * not reached is empty (NULL).
 *
 * @param failure the error that ended a failed run (at most {@link #MAX_ERROR} characters); empty when it completed
 * @param modelInService whether a model was in service when the run ended (what a failed run's reason says stays)
 */
record FinishedRun(RunRequest request, Instant startedAt, ObjectNode parameters, RunStatus status,
    List<StageResult> reached, Optional<String> failure, boolean modelInService) {
  /** The longest error recorded. */
  static final int MAX_ERROR = 2000;
  /** Why a failed run deployed nothing, unless the gate had already decided not to deploy. */
  static final String FAILED_REASON = "run failed: the deployed model stays";
  /** The same, when no model was ever deployed (the first runs): nothing is in service, nothing "stays". */
  static final String FAILED_NO_MODEL_REASON = "run failed: no model is deployed yet";

  /** Immutable copy. */
  FinishedRun {
    reached = List.copyOf(reached);
  }

  /** A run that completed, having reached {@code reached}. */
  static FinishedRun completed(RunRequest request, Instant startedAt, ObjectNode parameters, List<StageResult> reached) {
    return new FinishedRun(request, startedAt, parameters, RunStatus.COMPLETED, reached, Optional.empty(), true);
  }

  /**
   * A run that failed with {@code message} (cut to {@link #MAX_ERROR} characters) after reaching
   * {@code reached}, {@code modelInService} saying whether a deployed model stays in service.
   */
  static FinishedRun failed(RunRequest request, Instant startedAt, ObjectNode parameters, List<StageResult> reached,
      String message, boolean modelInService) {
    String error = message.length() > MAX_ERROR ? message.substring(0, MAX_ERROR) : message;
    return new FinishedRun(request, startedAt, parameters, RunStatus.FAILED, reached, Optional.of(error), modelInService);
  }

  /** The result of type {@code type}, if the run reached it. */
  <T extends StageResult> Optional<T> reached(Class<T> type) {
    return reached.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /** Whether the run completed. */
  boolean completed() {
    return status == RunStatus.COMPLETED;
  }

  /** Whether its model went into service. */
  boolean deployed() {
    return completed() && reached(Deployed.class).isPresent();
  }

  /** Why it deployed or did not: the gate's decision, why nothing was new, or that it failed. */
  String deployReason() {
    Optional<DeployGate.Decision> decision = reached(Judged.class).map(Judged::decision);
    if (!completed()) {
      return decision.filter(d -> !d.deploy()).map(DeployGate.Decision::reason)
          .orElse(modelInService ? FAILED_REASON : FAILED_NO_MODEL_REASON);
    }
    return reached(NothingNew.class).map(NothingNew::reason)
        .or(() -> decision.map(DeployGate.Decision::reason)).orElseThrow();
  }

  /**
   * The outcome answered for it, once recorded with {@code artifacts}: the failure (with any files
   * not written) for a failed run, the deploy reason for a completed one.
   */
  RunOutcome outcome(Artifacts artifacts, Map<String, Double> stageSeconds, double durationSeconds) {
    String reason = completed() ? deployReason() : artifacts.errorMessage(failure).orElse(deployReason());
    return new RunOutcome(request.runId(), request.runName(), status, deployed(), reason, modelVersion(), f1(),
        baselineF1(), artifacts.report(), Optional.empty(), stageSeconds, durationSeconds);
  }

  /**
   * The {@code parameters} recorded at its end: those recorded at its start, and {@code rescore}
   * (what the rescore stage did, see {@link StageResult.Rescored#toJson()}) when a deploy was followed by it.
   */
  ObjectNode recordedParameters() {
    ObjectNode recorded = parameters.deepCopy();
    reached(Rescored.class).ifPresent(r -> recorded.set("rescore", r.toJson()));
    reached(Trained.class).ifPresent(t -> {
      ObjectNode answer = io.intentpipeline.json.Json.MAPPER.valueToTree(
          io.intentpipeline.ml.AnswerPolicyJson.map(t.model().policy()));
      reached(Evaluated.class).ifPresent(e -> answer.set("on_test",
          io.intentpipeline.json.Json.MAPPER.valueToTree(e.actions().toMap())));
      recorded.set("answer", answer);
    });
    return recorded;
  }

  /** How many samples were left after cleaning (0 when cleaning was not reached). */
  int samples() {
    return reached(Cleaned.class).map(Cleaned::samples).orElse(0);
  }

  /** How many intents the cleaned samples carry, when cleaning was reached. */
  OptionalInt totalIntents() {
    return reached(Cleaned.class).map(c -> OptionalInt.of(c.intents())).orElse(OptionalInt.empty());
  }

  /** The size of a part of its split, when the run split its samples. */
  OptionalInt splitSize(Function<DatasetSplitter.Split, List<?>> part) {
    return reached(Split.class).map(s -> OptionalInt.of(part.apply(s.split()).size())).orElse(OptionalInt.empty());
  }

  /** A figure of the new model's evaluation, when the run evaluated it. */
  OptionalDouble metric(ToDoubleFunction<Evaluation> metric) {
    return reached(Evaluated.class).map(e -> OptionalDouble.of(metric.applyAsDouble(e.evaluation())))
        .orElse(OptionalDouble.empty());
  }

  /** A figure of the deployed model's evaluation on the same split, when there was one it could read. */
  OptionalDouble baselineMetric(ToDoubleFunction<Evaluation> metric) {
    return reached(Judged.class).flatMap(Judged::baseline)
        .map(b -> OptionalDouble.of(metric.applyAsDouble(b.evaluation()))).orElse(OptionalDouble.empty());
  }

  /** The new model's macro F1 over the intents its test split holds, when it was evaluated. */
  OptionalDouble f1() {
    return metric(Evaluation::testedF1Macro);
  }

  /** The deployed model's macro F1 on the same split, when there was one. */
  OptionalDouble baselineF1() {
    return baselineMetric(Evaluation::testedF1Macro);
  }

  /** Which test set the gate compared the models on, when the run split its samples. */
  Optional<TrustedSplit.JudgedOn> judgedOn() {
    return reached(Split.class).map(s -> s.trusted().judgedOn());
  }

  /** How many human-verified samples its test part holds, when the run split its samples. */
  OptionalInt verifiedTestSamples() {
    return reached(Split.class).map(s -> OptionalInt.of(s.trusted().verifiedTest().size())).orElse(OptionalInt.empty());
  }

  /** The new model's macro F1 on the human-verified samples of the test part, when there were some. */
  OptionalDouble verifiedF1() {
    return reached(Evaluated.class).map(Evaluated::verifiedF1).orElse(OptionalDouble.empty());
  }

  /** The new model's macro F1 on every sample of the test part, bot labels included, when it was evaluated. */
  OptionalDouble allTestF1() {
    return reached(Evaluated.class).map(e -> OptionalDouble.of(e.allTestF1())).orElse(OptionalDouble.empty());
  }

  /** JSON object text: {"intent": {"precision", "recall", "f1", "support"}}. */
  Optional<String> perIntentMetrics() {
    return reached(Evaluated.class).map(e -> e.evaluation().perIntentJson());
  }

  /** JSON object text: the new model's training configuration. */
  Optional<String> modelConfig() {
    return reached(Trained.class).map(t -> t.model().metadata().trainingConfig());
  }

  /** The deployed model's version, when it was deployed. */
  Optional<String> modelVersion() {
    return reached(Deployed.class).map(d -> d.model().version());
  }

  /** Where the deployed model was written, when it was deployed. */
  Optional<String> modelFilePath() {
    return reached(Deployed.class).map(d -> d.model().location());
  }

  /**
   * Where the record stage wrote the run's files, and the ones it could not write.
   *
   * @param dataset the cleaned dataset's snapshot
   * @param report the HTML report (written after the JSON one)
   * @param improvement JSON object text: new minus baseline, when there was a baseline
   * @param failures why files could not be written
   */
  record Artifacts(Optional<String> dataset, Optional<String> report, Optional<String> improvement,
      List<String> failures) {
    /** Nothing written: no model was trained and encoded. */
    static final Artifacts NONE = new Artifacts(Optional.empty(), Optional.empty(), Optional.empty(), List.of());

    /** Immutable copy. */
    Artifacts {
      failures = List.copyOf(failures);
    }

    /** The error recorded for a run that ended with {@code failure}: it, then the files not written. */
    Optional<String> errorMessage(Optional<String> failure) {
      if (failures.isEmpty()) {
        return failure;
      }
      String note = "reports not written: " + String.join("; ", failures);
      return Optional.of(failure.map(f -> f + "; " + note).orElse(note));
    }
  }
}
