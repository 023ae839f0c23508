package io.intentpipeline.queue;

import io.intentpipeline.interaction.InteractionMessages;
import io.intentpipeline.log.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends message bodies to a queue with SendMessageBatch: at most 10 messages and 256 KiB per
 * call. Entries SQS refuses, and calls that fail, are retried with a growing pause; when some
 * still cannot be sent, {@link QueueUnavailableException} says how many, and the caller answers
 * 5xx so that its own caller retries (interaction ids make that retry harmless).
 */
public final class InteractionPublisher implements InteractionQueue {
  /** Most entries in one SendMessageBatch call. */
  static final int MAX_ENTRIES = 10;

  private final SqsClient sqs;
  private final String queueUrl;
  private final int maxAttempts;
  private final Duration firstPause;

  /** Sends to {@code queueUrl}, trying each message up to {@code maxAttempts} times. */
  public InteractionPublisher(SqsClient sqs, String queueUrl, int maxAttempts, Duration firstPause) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.maxAttempts = maxAttempts;
    this.firstPause = firstPause;
  }

  /** Sends every body (each at most {@link InteractionMessages#MAX_BYTES}); returns the number of SQS calls made. */
  @Override
  public int publish(List<String> bodies) {
    List<Integer> pending = new ArrayList<>(bodies.size());
    for (int i = 0; i < bodies.size(); i++) {
      pending.add(i);
    }
    int calls = 0;
    String lastProblem = "";
    SdkException lastException = null;
    for (int attempt = 1; ; attempt++) {
      List<Integer> failed = new ArrayList<>();
      for (List<Integer> chunk : chunks(pending, bodies)) {
        calls++;
        try {
          SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl)
              .entries(chunk.stream()
                  .map(i -> SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(bodies.get(i)).build())
                  .toList()));
          for (BatchResultErrorEntry error : response.failed()) {
            failed.add(Integer.parseInt(error.id()));
            lastProblem = error.code() + (error.senderFault() ? " (sender fault)" : "");
          }
        } catch (SdkException e) {
          failed.addAll(chunk);
          lastException = e;
          lastProblem = e.getClass().getSimpleName();
        }
      }
      if (failed.isEmpty()) {
        return calls;
      }
      Log.warn("queue_send_retry", "attempt", attempt, "failed_messages", failed.size(), "problem", lastProblem);
      if (attempt >= maxAttempts) {
        throw new QueueUnavailableException(failed.size() + " of " + bodies.size()
            + " messages could not be sent to the queue after " + attempt + " attempts (" + lastProblem + ")",
            lastException);
      }
      pause(firstPause.multipliedBy(1L << Math.min(2 * (attempt - 1), 20)));
      failed.sort(null);
      pending = failed;
    }
  }

  /** Groups {@code indices} into calls of at most 10 entries and {@link InteractionMessages#MAX_BYTES} bytes. */
  static List<List<Integer>> chunks(List<Integer> indices, List<String> bodies) {
    List<List<Integer>> chunks = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    int bytes = 0;
    for (int i : indices) {
      int size = InteractionMessages.utf8Length(bodies.get(i));
      if (!current.isEmpty() && (current.size() == MAX_ENTRIES || bytes + size > InteractionMessages.MAX_BYTES)) {
        chunks.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(i);
      bytes += size;
    }
    if (!current.isEmpty()) {
      chunks.add(current);
    }
    return chunks;
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QueueUnavailableException("interrupted while retrying the queue", null);
    }
  }
}
