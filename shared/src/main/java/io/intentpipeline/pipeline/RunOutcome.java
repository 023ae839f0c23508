package io.intentpipeline.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;

/**
 * How a trigger ended: {@code completed} (trained, deployed or not), {@code failed} (recorded with
 * its error; the deployed model is untouched) or {@code skipped} (nothing trained, and why).
 *
 * @param runId the run's id (for a skipped trigger: the id it would have had)
 * @param runStatus completed, failed or skipped
 * @param deployed whether the new model went into service
 * @param reason the deploy decision, the failure or why it was skipped
 * @param runningRunId for a trigger skipped because a run is in progress: that run, when it recorded its start
 */
public record RunOutcome(UUID runId, String runName, RunStatus runStatus, boolean deployed, String reason,
    Optional<String> modelVersion, OptionalDouble f1, OptionalDouble baselineF1, Optional<String> reportLocation,
    Optional<UUID> runningRunId, Map<String, Double> stageSeconds, double durationSeconds) {

  /** Immutable copy. */
  public RunOutcome {
    stageSeconds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stageSeconds));
  }

  /** A trigger that did not train. */
  static RunOutcome skipped(RunRequest request, String reason, Optional<UUID> running) {
    return new RunOutcome(request.runId(), request.runName(), RunStatus.SKIPPED, false, reason, Optional.empty(),
        OptionalDouble.empty(), OptionalDouble.empty(), Optional.empty(), running, Map.of(), 0);
  }

  /** Its status's name: completed, failed or skipped. */
  public String status() {
    return runStatus.dbName();
  }

  /** Whether it trained and recorded a completed run. */
  public boolean completed() {
    return runStatus == RunStatus.COMPLETED;
  }

  /** The outcome as the JSON a schedule or a direct invocation answers. */
  public ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("status", runStatus.dbName());
    node.put("run_id", runId.toString());
    node.put("run_name", runName);
    node.put("deployed", deployed);
    node.put("reason", reason);
    modelVersion.ifPresent(v -> node.put("model_version", v));
    f1.ifPresent(v -> node.put("f1", v));
    baselineF1.ifPresent(v -> node.put("baseline_f1", v));
    reportLocation.ifPresent(v -> node.put("report", v));
    runningRunId.ifPresent(v -> node.put("running_run_id", v.toString()));
    if (!stageSeconds.isEmpty()) {
      node.set("stage_seconds", Json.MAPPER.valueToTree(stageSeconds));
      node.put("duration_seconds", durationSeconds);
    }
    return node;
  }
}
