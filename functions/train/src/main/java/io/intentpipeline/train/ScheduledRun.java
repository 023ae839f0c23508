package io.intentpipeline.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.pipeline.RunType;
import io.intentpipeline.pipeline.TrainingPipeline;
import io.intentpipeline.pipeline.Trigger;
import java.util.Set;

/**
 * The nightly EventBridge schedule: its input's {@code detail} may carry run options (the run type
 * defaults to {@code incremental}); runs now and answers the outcome.
 */
final class ScheduledRun {
  private final RunNow runNow;

  ScheduledRun(RunNow runNow) {
    this.runNow = runNow;
  }

  /** The outcome of the run the schedule's {@code detail} asks for. */
  JsonNode run(JsonNode detail, TrainingPipeline.TimeBudget budget) {
    return runNow.run(detail, "detail.", RunType.INCREMENTAL, Set.of(), Trigger.SCHEDULE, budget).toJson();
  }
}
