package io.intentpipeline.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.intentpipeline.interaction.Interaction;
import io.intentpipeline.interaction.InteractionMessages;
import io.intentpipeline.interaction.InteractionReader;
import io.intentpipeline.interaction.InvalidInteractionException;
import io.intentpipeline.log.Log;
import io.intentpipeline.queue.QueueUnavailableException;
import io.intentpipeline.storage.InteractionStore;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Moves interactions from the queue into the database: decodes each message (a poison one is
 * reported, never stored), stores the good ones in one statement, then lets the
 * {@link RetrainTrigger} look at the count of new samples.
 */
public final class FlushService {
  /** One queue message: its SQS id and body. */
  public record QueuedMessage(String messageId, String body) {}

  /** What became of a message. */
  public enum Status {
    /** Newly stored. */
    STORED,
    /** Stored before (a redelivery or a re-sent interaction): nothing new. */
    DUPLICATE,
    /** Not a valid interaction message: poison. */
    INVALID,
    /** Refused by the database (should not happen after validation): poison. */
    REJECTED;

    /** Whether the message must stay in the queue (and reach the DLQ after its receives). */
    public boolean failed() {
      return this == INVALID || this == REJECTED;
    }
  }

  /** The outcome of one message; {@code reason} is the field at fault or the SQLSTATE, else null. */
  public record Outcome(String messageId, Status status, String reason) {}

  /** The outcomes of one batch, in message order, and whether a retrain was requested after it. */
  public record BatchResult(List<Outcome> outcomes, boolean retrainRequested) {
    public BatchResult {
      outcomes = List.copyOf(outcomes);
    }

    /** How many messages ended with {@code status}. */
    public int count(Status status) {
      return (int) outcomes.stream().filter(o -> o.status() == status).count();
    }

    /** The ids of the messages that failed (poison), in order. */
    public List<String> failedMessageIds() {
      return outcomes.stream().filter(o -> o.status().failed()).map(Outcome::messageId).toList();
    }
  }

  /**
   * The totals of a drain, also the body {@code POST /ai/training/flush} answers. {@code queueEmpty}
   * is false when the time budget ran out first.
   */
  public record DrainResult(int received, int stored, int duplicates, int failed, int batches,
                            @JsonProperty("queue_empty") boolean queueEmpty,
                            @JsonProperty("retrain_requested") boolean retrainRequested) {}

  private final InteractionReader reader;
  private final InteractionStore store;
  private final RetrainTrigger trigger;
  private final Clock clock;

  /** Decodes with {@code reader}, stores with {@code store}, then asks {@code trigger}; {@code clock} times drains. */
  public FlushService(InteractionReader reader, InteractionStore store, RetrainTrigger trigger, Clock clock) {
    this.reader = reader;
    this.store = store;
    this.trigger = trigger;
    this.clock = clock;
  }

  /**
   * Decodes and stores one batch. Throws {@link SQLException} when the database is unavailable:
   * then nothing was stored and every message must stay in the queue.
   */
  public BatchResult storeBatch(List<QueuedMessage> messages) throws SQLException {
    List<Interaction> decoded = new ArrayList<>(messages.size());
    List<Outcome> outcomes = new ArrayList<>(messages.size());
    for (QueuedMessage message : messages) {
      try {
        decoded.add(InteractionMessages.decode(message.body(), reader));
        outcomes.add(null);
      } catch (InvalidInteractionException e) {
        decoded.add(null);
        outcomes.add(new Outcome(message.messageId(), Status.INVALID, e.field()));
        Log.warn("poison_message", "message_id", message.messageId(), "field", e.field());
      }
    }
    InteractionStore.Result result = store.store(decoded.stream().filter(i -> i != null).toList());
    Set<String> counted = new HashSet<>();
    for (int k = 0; k < messages.size(); k++) {
      Interaction interaction = decoded.get(k);
      if (interaction == null) {
        continue;
      }
      String id = interaction.interactionId();
      String messageId = messages.get(k).messageId();
      String sqlState = result.rejected().get(id);
      if (sqlState != null) {
        outcomes.set(k, new Outcome(messageId, Status.REJECTED, sqlState));
        Log.warn("message_rejected_by_database", "message_id", messageId, "sqlstate", sqlState);
      } else if (result.inserted().contains(id) && counted.add(id)) {
        outcomes.set(k, new Outcome(messageId, Status.STORED, null));
      } else {
        outcomes.set(k, new Outcome(messageId, Status.DUPLICATE, null));
      }
    }
    boolean retrain = !result.inserted().isEmpty() && trigger.check();
    BatchResult batch = new BatchResult(outcomes, retrain);
    Log.info("batch_flushed", "messages", messages.size(), "stored", batch.count(Status.STORED),
        "duplicates", batch.count(Status.DUPLICATE),
        "failed", batch.count(Status.INVALID) + batch.count(Status.REJECTED));
    return batch;
  }

  /**
   * Drains {@code queueUrl} now: receives up to 10 messages at a time, stores them, deletes the
   * stored and duplicate ones, until a receive finds nothing or {@code budget} is spent. Poison
   * messages are left for the queue's dead-letter policy. Throws {@link SQLException} when the
   * database is unavailable and {@link QueueUnavailableException} when SQS is.
   */
  public DrainResult drain(SqsClient sqs, String queueUrl, Duration budget) throws SQLException {
    Instant deadline = clock.instant().plus(budget);
    int received = 0;
    int stored = 0;
    int duplicates = 0;
    int failed = 0;
    int batches = 0;
    boolean retrain = false;
    boolean empty = false;
    while (clock.instant().isBefore(deadline)) {
      List<Message> messages;
      try {
        messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
            .messages();
      } catch (SdkException e) {
        throw new QueueUnavailableException("cannot receive from the interactions queue ("
            + e.getClass().getSimpleName() + ")", e);
      }
      if (messages.isEmpty()) {
        empty = true;
        break;
      }
      batches++;
      received += messages.size();
      BatchResult batch = storeBatch(messages.stream()
          .map(m -> new QueuedMessage(m.messageId(), m.body())).toList());
      stored += batch.count(Status.STORED);
      duplicates += batch.count(Status.DUPLICATE);
      failed += batch.failedMessageIds().size();
      retrain |= batch.retrainRequested();
      delete(sqs, queueUrl, messages, batch);
    }
    Log.info("queue_drained", "received", received, "stored", stored, "duplicates", duplicates,
        "failed", failed, "batches", batches, "queue_empty", empty);
    return new DrainResult(received, stored, duplicates, failed, batches, empty, retrain);
  }

  private static void delete(SqsClient sqs, String queueUrl, List<Message> messages, BatchResult batch) {
    List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int k = 0; k < messages.size(); k++) {
      if (!batch.outcomes().get(k).status().failed()) {
        entries.add(DeleteMessageBatchRequestEntry.builder()
            .id(Integer.toString(k)).receiptHandle(messages.get(k).receiptHandle()).build());
      }
    }
    if (entries.isEmpty()) {
      return;
    }
    try {
      var response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
      if (!response.failed().isEmpty()) {
        // Harmless: those messages come back and are counted as duplicates next time.
        Log.warn("queue_delete_incomplete", "failed", response.failed().size());
      }
    } catch (SdkException e) {
      Log.warn("queue_delete_failed", "messages", entries.size(), "exception", e.getClass().getSimpleName());
    }
  }
}
