package io.intentpipeline.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.log.Log;
import io.intentpipeline.pipeline.RunType;
import io.intentpipeline.pipeline.TrainingPipeline;
import io.intentpipeline.pipeline.Trigger;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.Migrations;
import java.util.Set;

/**
 * A direct invocation by an operator: {@code {"action": "migrate"}} applies the database migrations
 * (at deploy time), {@code {"action": "run", ...options}} runs now and answers the outcome.
 */
final class OperatorInvocation {
  /** The answer of {@code migrate}: how many migrations were applied. */
  record Migrated(String action, int applied) {}

  private final RunNow runNow;
  private final Database.Settings databaseSettings;

  OperatorInvocation(RunNow runNow, Database.Settings databaseSettings) {
    this.runNow = runNow;
    this.databaseSettings = databaseSettings;
  }

  /** Does what {@code payload}'s action says; an unknown action fails the invocation. */
  Object handle(JsonNode payload, TrainingPipeline.TimeBudget budget) {
    String action = payload.path("action").asText("");
    switch (action) {
      case "migrate" -> {
        int applied = Migrations.migrate(databaseSettings);
        Log.info("migrations_applied", "applied", applied);
        return new Migrated("migrate", applied);
      }
      case "run" -> {
        return runNow.run(payload, "", RunType.FULL, Set.of("action"), Trigger.CLI, budget).toJson();
      }
      default -> throw new IllegalArgumentException(
          "The train function's direct invocations are {\"action\": \"migrate\"} and {\"action\": \"run\", ...}; got action '"
              + (action.length() > 40 ? action.substring(0, 40) : action) + "'");
    }
  }
}
