package io.intentpipeline.train;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.intentpipeline.log.Log;
import io.intentpipeline.pipeline.RetrainMessage;
import io.intentpipeline.pipeline.RunOptions;
import io.intentpipeline.pipeline.RunOutcome;
import io.intentpipeline.pipeline.RunRequest;
import io.intentpipeline.pipeline.TrainingPipeline;
import io.intentpipeline.pipeline.TrainingService;
import io.intentpipeline.pipeline.Trigger;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The retrain queue: the flush function's automatic requests and the runs queued by the API, each
 * message one run, run in turn (the event source mapping delivers one at a time).
 */
final class RetrainQueueConsumer {
  private final TrainingService service;

  RetrainQueueConsumer(TrainingService service) {
    this.service = service;
  }

  /**
   * Runs each message's request. A malformed message is a batch item failure (after the queue's
   * receive limit it moves to the dead-letter queue); an unreachable database fails the
   * invocation, so every message comes back.
   */
  SQSBatchResponse consume(SQSEvent event, TrainingPipeline.TimeBudget budget) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage message : event.getRecords()) {
      RetrainMessage request;
      try {
        request = RetrainMessage.parse(message.getBody());
      } catch (IllegalArgumentException e) {
        Log.error("retrain_message_rejected", "message_id", message.getMessageId(), "reason", e.getMessage());
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
        continue;
      }
      RunRequest run = request instanceof RetrainMessage.ApiRun api
          ? service.request(api.options(), Trigger.API, Optional.of(api.runId()), Optional.of(api.requestedAt()))
          : service.request(RunOptions.DEFAULTS, Trigger.QUEUE, Optional.empty(), Optional.of(request.requestedAt()));
      try {
        RunOutcome outcome = service.trigger(run, budget);
        Log.info("retrain_message_done", "message_id", message.getMessageId(), "run_id", outcome.runId(),
            "status", outcome.status());
      } catch (SQLException e) {
        Log.error("retrain_message_failed", "message_id", message.getMessageId(), "sqlstate", e.getSQLState());
        throw new IllegalStateException("The database is unavailable (SQLSTATE " + e.getSQLState()
            + "); the message stays in the queue", e);
      }
    }
    return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
  }
}
