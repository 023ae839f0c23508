package io.intentpipeline.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.dataset.DatasetCleaner;
import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.ml.Evaluation;
import io.intentpipeline.json.Json;
import io.intentpipeline.ml.IntentModel;
import io.intentpipeline.review.QueueRescorer;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What one step of a run produced, immutable; a run is the sequence of these it reached, in this
 * order (a failed run has those reached before its failure).
 */
sealed interface StageResult {
  /** An incremental run found nothing stored or corrected since the newest completed run: nothing trains. */
  record NothingNew(String reason) implements StageResult {}

  /** {@code fetch}: the rows to train on, as stored. */
  record Fetched(List<TrainingData.Row> rows) implements StageResult {
    /** Immutable copy. */
    public Fetched {
      rows = List.copyOf(rows);
    }
  }

  /** {@code clean}: the cleaned samples and how many intents they carry (perhaps too few to go on). */
  record Cleaned(DatasetCleaner.Result result, int intents) implements StageResult {
    /** How many samples are left. */
    int samples() {
      return result.samples().size();
    }
  }

  /** {@code clean}, then: the 70/15/15 split, and the stored rows whose text is trained on. */
  record Split(DatasetSplitter.Split split, Set<UUID> trainedRowIds) implements StageResult {
    /** Immutable copy. */
    public Split {
      trainedRowIds = Set.copyOf(trainedRowIds);
    }
  }

  /** {@code train}: the new model. */
  record Trained(IntentModel model) implements StageResult {}

  /** {@code evaluate}: the new model on the test split. */
  record Evaluated(Evaluation evaluation, List<Reliability.Bin> reliability) implements StageResult {
    /** Immutable copy. */
    public Evaluated {
      reliability = List.copyOf(reliability);
    }
  }

  /** {@code evaluate}, then: the deployed model on the same split (none, or unreadable: empty) and the gate's decision. */
  record Judged(Optional<RunReport.Baseline> baseline, DeployGate.Decision decision) implements StageResult {}

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
