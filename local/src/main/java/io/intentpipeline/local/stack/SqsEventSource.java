package io.intentpipeline.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.log.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * An SQS event source mapping: polls the queue, gathers a batch (up to {@code BatchSize}, or
 * what arrived within {@code MaximumBatchingWindowInSeconds} of its first message), invokes the
 * function with the SQS event, then deletes what succeeded. With {@code ReportBatchItemFailures}
 * only the messages named in {@code batchItemFailures} stay (a malformed answer keeps the whole
 * batch, as Lambda does); when the function fails every message stays. A message that stays
 * comes back after the queue's visibility timeout, and the queue's redrive policy moves it to
 * its dead-letter queue after {@code maxReceiveCount} receives.
 */
final class SqsEventSource implements Runnable {
  private static final int MAX_BATCH_BYTES = 6 * 1024 * 1024;

  /** What one delivery did. */
  record Delivery(int messages, int deleted, boolean invocationFailed) {}

  private final StackTemplate.SqsSource source;
  private final LocalFunction function;
  private final SqsClient sqs;
  private final String queueUrl;
  private final String queueArn;
  private final Duration window;
  private volatile boolean stopping;

  /** {@code window} is the template's batching window, possibly shortened for demos and tests. */
  SqsEventSource(StackTemplate.SqsSource source, LocalFunction function, SqsClient sqs, String queueUrl,
                 String queueArn, Duration window) {
    this.source = source;
    this.function = function;
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.queueArn = queueArn;
    this.window = window;
  }

  String name() {
    return source.name();
  }

  /** Asks the poller to stop after the batch it is working on. */
  void stop() {
    stopping = true;
  }

  @Override
  public void run() {
    while (!stopping) {
      try {
        List<Message> batch = gather(window, 1);
        if (!batch.isEmpty()) {
          deliver(batch);
        }
      } catch (RuntimeException e) {
        if (stopping) {
          return;
        }
        Log.error("event_source_failed", e, "event_source", source.name());
        sleep(1000);
      }
    }
  }

  /**
   * Delivers what the queue holds now, batch after batch without waiting for a window, until a
   * receive finds nothing or {@code budget} is spent. Returns the deliveries made.
   */
  List<Delivery> drain(Duration budget) {
    List<Delivery> deliveries = new ArrayList<>();
    long deadline = System.nanoTime() + budget.toNanos();
    while (System.nanoTime() < deadline) {
      List<Message> batch = gather(Duration.ZERO, 0);
      if (batch.isEmpty()) {
        break;
      }
      Delivery delivery = deliver(batch);
      deliveries.add(delivery);
      if (delivery.invocationFailed()) {
        // The function cannot take them now (its database is down, say): make them visible
        // again at once, so that they are kept for the next start instead of waiting out the
        // visibility timeout past the stop.
        release(batch);
        break;
      }
    }
    return deliveries;
  }

  private void release(List<Message> batch) {
    List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
    for (Message m : batch) {
      entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(entries.size()))
          .receiptHandle(m.receiptHandle()).visibilityTimeout(0).build());
    }
    for (int i = 0; i < entries.size(); i += 10) {
      var chunk = entries.subList(i, Math.min(entries.size(), i + 10));
      sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(chunk));
    }
  }

  /**
   * Receives until the batch is full, the window (counted from its first message) is over, or
   * 6 MB are gathered. Waits at most {@code waitSeconds} per receive while the batch is empty, so
   * that a stop request is seen promptly.
   */
  private List<Message> gather(Duration batchWindow, int waitSeconds) {
    List<Message> batch = new ArrayList<>();
    long bytes = 0;
    long windowEnd = 0;
    while (batch.size() < source.batchSize()) {
      int wait;
      if (batch.isEmpty()) {
        wait = waitSeconds;
      } else {
        long left = windowEnd - System.nanoTime();
        if (left <= 0 || stopping) {
          break; // window over, or stopping: deliver what was gathered now
        }
        wait = (int) Math.min(1, Math.max(0, left / 1_000_000_000L));
      }
      int max = Math.min(10, source.batchSize() - batch.size());
      ReceiveMessageRequest.Builder request = ReceiveMessageRequest.builder()
          .queueUrl(queueUrl)
          .maxNumberOfMessages(max)
          .waitTimeSeconds(wait)
          .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
          .messageAttributeNames("All");
      List<Message> received = sqs.receiveMessage(request.build()).messages();
      if (received.isEmpty()) {
        if (batch.isEmpty()) {
          if (stopping || waitSeconds == 0) {
            return batch;
          }
          continue;
        }
        if (batchWindow.isZero()) {
          break;
        }
        if (wait == 0) {
          sleep(50);
        }
        continue;
      }
      if (batch.isEmpty()) {
        windowEnd = System.nanoTime() + batchWindow.toNanos();
      }
      batch.addAll(received);
      for (Message m : received) {
        bytes += m.body().getBytes(StandardCharsets.UTF_8).length;
      }
      if (bytes >= MAX_BATCH_BYTES || batchWindow.isZero()) {
        break;
      }
    }
    return batch;
  }

  /** Invokes the function with {@code batch} and deletes the messages that succeeded. */
  Delivery deliver(List<Message> batch) {
    byte[] payload = Json.write(event(batch)).getBytes(StandardCharsets.UTF_8);
    byte[] output;
    try {
      output = function.invoke(payload, "sqs");
    } catch (InvocationException e) {
      Log.warn("batch_returned_to_queue", "event_source", source.name(), "messages", batch.size(),
          "reason", e.timedOut() ? "timeout" : "function_error");
      return new Delivery(batch.size(), 0, true);
    }
    Set<String> failed = source.reportBatchItemFailures() ? failures(output, batch) : Set.of();
    int deleted = SqsEvents.deleteAllBut(sqs, queueUrl, batch, failed);
    if (!failed.isEmpty()) {
      Log.info("batch_item_failures", "event_source", source.name(), "messages", batch.size(), "failed", failed.size());
    }
    return new Delivery(batch.size(), deleted, false);
  }

  /**
   * The ids the function reported as failed. An answer that is not a batch response, or names an
   * id that is empty or not in the batch, fails the whole batch, as Lambda treats it.
   */
  private Set<String> failures(byte[] output, List<Message> batch) {
    Set<String> all = new HashSet<>();
    batch.forEach(m -> all.add(m.messageId()));
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(output);
    } catch (IOException e) {
      return all;
    }
    if (node == null || node.isNull() || node.isMissingNode()) {
      return Set.of();
    }
    JsonNode items = node.path("batchItemFailures");
    if (items.isMissingNode() || items.isNull()) {
      return Set.of();
    }
    if (!items.isArray()) {
      return all;
    }
    Set<String> failed = new HashSet<>();
    for (JsonNode item : items) {
      String id = item.path("itemIdentifier").asText("");
      if (id.isEmpty() || !all.contains(id)) {
        Log.warn("invalid_batch_response", "event_source", source.name());
        return all;
      }
      failed.add(id);
    }
    return failed;
  }

  /** The SQS event Lambda sends for {@code batch}. */
  private ObjectNode event(List<Message> batch) {
    return SqsEvents.lambdaEvent(batch, queueArn);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
