package io.intentpipeline.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.dataset.DatasetCleaner;
import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.ml.Evaluation;
import io.intentpipeline.json.Json;
import io.intentpipeline.ml.IntentModel;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.review.QueueRescorer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.UUID;

/**
 * What one step of a run produced, immutable; a run is the sequence of these it reached, in this
 * order (a failed run has those reached before its failure).
 */
sealed interface StageResult {
  /** An incremental run found nothing stored or corrected since the newest completed run: nothing trains. */
  record NothingNew(String reason) implements StageResult {}

  /**
   * {@code fetch}: the rows to train on, as stored, and the label policy they were chosen by
   * ({@link LabelPolicy#TRUSTED} resolved to the one it amounted to).
   */
  record Fetched(List<TrainingData.Row> rows, LabelPolicy applied) implements StageResult {
    /** Immutable copy. */
    public Fetched {
      rows = List.copyOf(rows);
    }
  }

  /**
   * {@code clean}: the cleaned samples, how many intents they carry (perhaps too few to go on), how
   * many unreviewed rows were left out as near-duplicates of another message, and the trust of
   * each text's label (by {@link TrustFilter#key}).
   */
  record Cleaned(DatasetCleaner.Result result, int intents, int nearDuplicatesRemoved, Map<String, Trust> trust)
      implements StageResult {
    /** Immutable copy. */
    public Cleaned {
      trust = Map.copyOf(trust);
    }

    /** The trust of {@code sample}'s label. */
    Trust trustOf(TrainingSample sample) {
      return trust.getOrDefault(TrustFilter.key(sample.userMessage()), Trust.BOT);
    }

    /** How many samples are left. */
    int samples() {
      return result.samples().size();
    }

    /** How many of them carry a human's label. */
    int verifiedSamples() {
      return (int) result.samples().stream().filter(s -> trustOf(s).verified()).count();
    }
  }

  /** {@code clean}, then: the {@link TrustedSplit}, and the stored rows whose text is trained on. */
  record Split(TrustedSplit.Result trusted, Set<UUID> trainedRowIds) implements StageResult {
    /** Immutable copy. */
    public Split {
      trainedRowIds = Set.copyOf(trainedRowIds);
    }

    /** The parts trained, validated and judged on. */
    DatasetSplitter.Split split() {
      return trusted.split();
    }
  }

  /** {@code train}: the new model, and how its answer policy was chosen (docs/ANSWER_ACTIONS.md). */
  record Trained(IntentModel model, io.intentpipeline.ml.AnswerPolicyFitter.Fit answer) implements StageResult {}

  /**
   * {@code evaluate}: the new model on the judged test split, and its macro F1 on the human-verified
   * samples of the test part (empty when there are none) and on the whole test part.
   */
  record Evaluated(Evaluation evaluation, List<Reliability.Bin> reliability, OptionalDouble verifiedF1,
      double allTestF1, io.intentpipeline.ml.ActionEvaluation actions) implements StageResult {
    /** Immutable copy. */
    public Evaluated {
      reliability = List.copyOf(reliability);
    }
  }

  /** {@code evaluate}, then: the deployed model on the same split (none, or unreadable: empty) and the gate's decision. */
  record Judged(Optional<RunReport.Baseline> baseline, DeployGate.Decision decision) implements StageResult {
    /** Whether no model was in service to judge against (the first model): nothing deployed "stays". */
    boolean firstModel() {
      return baseline.isEmpty() && decision.reason().startsWith(DeployGate.FIRST_MODEL);
    }
  }

  /** {@code deploy}: the model file as encoded under its version (whether or not it goes into service). */
  record Packaged(ModelDeployer.Encoded encoded) implements StageResult {}

  /** {@code deploy}, then: the model written, verified and promoted to latest. */
  record Deployed(ModelDeployer.Deployed model) implements StageResult {}

  /**
   * {@code rescore}, after a deploy: the samples waiting for review that the deployed model
   * {@code modelVersion} re-scored, at most {@code limit}; a failure is in the result, the run goes on.
   */
  record Rescored(String modelVersion, int limit, QueueRescorer.Result result) implements StageResult {
    /** What {@code parameters.rescore} of the run's row says: {model_version, limit, rows, complete, seconds, model_seconds, error}. */
    ObjectNode toJson() {
      ObjectNode node = Json.MAPPER.createObjectNode();
      node.put("model_version", modelVersion);
      node.put("limit", limit);
      node.put("rows", result.rows());
      node.put("complete", result.complete());
      node.put("seconds", Math.round(result.seconds() * 1000) / 1000.0);
      node.put("model_seconds", Math.round(result.modelSeconds() * 1000) / 1000.0);
      result.failure().ifPresentOrElse(f -> node.put("error", f), () -> node.putNull("error"));
      return node;
    }
  }
}
