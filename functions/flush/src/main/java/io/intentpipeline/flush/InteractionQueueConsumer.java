package io.intentpipeline.flush;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.intentpipeline.ingest.FlushService;
import io.intentpipeline.log.Log;
import java.sql.SQLException;
import java.util.List;

/**
 * The interactions queue's event source mapping: stores the batch and answers
 * {@code batchItemFailures} naming the poison messages only; when the database is unavailable it
 * fails the whole invocation, so every message stays in the queue.
 */
final class InteractionQueueConsumer {
  private final FlushService service;

  InteractionQueueConsumer(FlushService service) {
    this.service = service;
  }

  /** Stores {@code event}'s messages; the answer names those that can never be stored. */
  SQSBatchResponse storeBatch(SQSEvent event) {
    List<FlushService.QueuedMessage> messages = event.getRecords().stream()
        .map(m -> new FlushService.QueuedMessage(m.getMessageId(), m.getBody()))
        .toList();
    FlushService.BatchResult result;
    try {
      result = service.storeBatch(messages);
    } catch (SQLException e) {
      // Failing the invocation leaves every message in the queue; SQS delivers them again.
      Log.error("batch_not_stored", "messages", messages.size(), "sqlstate", e.getSQLState());
      throw new IllegalStateException("The database is unavailable (SQLSTATE " + e.getSQLState()
          + "); the batch stays in the queue", e);
    }
    return SQSBatchResponse.builder()
        .withBatchItemFailures(result.failedMessageIds().stream()
            .map(SQSBatchResponse.BatchItemFailure::new)
            .toList())
        .build();
  }
}
