package io.intentpipeline.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.lambda.InvocationInput;
import io.intentpipeline.log.Log;
import io.intentpipeline.pipeline.RunOptions;
import io.intentpipeline.pipeline.RunOutcome;
import io.intentpipeline.pipeline.RunRequest;
import io.intentpipeline.pipeline.RunType;
import io.intentpipeline.pipeline.TrainingPipeline;
import io.intentpipeline.pipeline.TrainingService;
import io.intentpipeline.pipeline.Trigger;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/** A run started and awaited within the invocation, for the triggers that wait for its outcome. */
final class RunNow {
  private final TrainingService service;

  RunNow(TrainingService service) {
    this.service = service;
  }

  /**
   * Runs with the options read from {@code input} (field names prefixed by {@code prefix} in
   * errors); bad input fails the invocation naming the field, an unreachable database fails it too.
   */
  RunOutcome run(JsonNode input, String prefix, RunType defaultType, Set<String> alsoAllowed, Trigger trigger,
                 TrainingPipeline.TimeBudget budget) {
    RunOptions options = InvocationInput.read("training_trigger_rejected",
        () -> RunOptions.fromJson(input, prefix, defaultType, alsoAllowed));
    RunRequest request = service.request(options, trigger, Optional.empty(), Optional.empty());
    try {
      return service.trigger(request, budget);
    } catch (SQLException e) {
      // Failing the invocation lets EventBridge retry it later.
      Log.error("training_trigger_failed", "triggered_by", trigger.dbName(), "sqlstate", e.getSQLState());
      throw new IllegalStateException("The database is unavailable (SQLSTATE " + e.getSQLState() + "); nothing ran", e);
    }
  }
}
