package io.intentpipeline.reliability.faults;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.local.stack.SqsEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Lambda's SQS event source mapping, driven one delivery at a time so that a test can act between
 * deliveries and see each invocation's answer: receives a batch from the queue (up to the
 * template's batch size, with a short visibility timeout), builds the SQS event JSON Lambda sends,
 * invokes the handler through its stream interface, and deletes the messages the handler did not
 * name in {@code batchItemFailures} (none when the invocation throws). A message that stays comes
 * back after the visibility timeout; the queue's redrive policy moves it to the dead-letter queue
 * after {@code maxReceiveCount} receives.
 *
 * <p>The local stack's poller ({@code io.intentpipeline.local.stack.SqsEventSource}) does the same
 * as a free-running thread inside the stack; these tests need to step deliveries themselves.
 */
final class EventSourceMapping {
  /** One invocation: the messages delivered, those reported failed, and whether the invocation threw. */
  record Delivery(List<Message> batch, Set<String> reported, boolean invocationFailed, String error, int deleted) {
    /** The bodies of the reported messages. */
    List<String> reportedBodies() {
      return batch.stream().filter(m -> reported.contains(m.messageId())).map(Message::body).toList();
    }
  }

  private final SqsClient sqs;
  private final String queueUrl;
  private final String queueArn;
  private final int batchSize;
  private final int visibilitySeconds;

  EventSourceMapping(SqsClient sqs, String queueUrl, int batchSize, int visibilitySeconds) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    this.batchSize = batchSize;
    this.visibilitySeconds = visibilitySeconds;
  }

  /**
   * Receives one batch (waiting up to 1 s for a first message) and delivers it to {@code function};
   * null when nothing was visible.
   */
  Delivery deliverOnce(RequestStreamHandler function) {
    List<Message> batch = receive();
    return batch.isEmpty() ? null : deliver(function, batch);
  }

  /** Receives up to the batch size: what is visible now, after waiting up to 1 s for a first message. */
  List<Message> receive() {
    List<Message> batch = new ArrayList<>();
    while (batch.size() < batchSize) {
      int max = Math.min(10, batchSize - batch.size());
      int wait = batch.isEmpty() ? 1 : 0;
      List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(max)
          .waitTimeSeconds(wait).visibilityTimeout(visibilitySeconds)
          .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
      if (got.isEmpty()) {
        break;
      }
      batch.addAll(got);
    }
    return batch;
  }

  /** Invokes {@code function} with {@code batch} and deletes what it did not report. */
  Delivery deliver(RequestStreamHandler function, List<Message> batch) {
    return deliver(function, batch, true);
  }

  /**
   * Invokes {@code function} with {@code batch}; deletes what it did not report only when
   * {@code deleteArrives} (false: the poller lost the answer, or died, before deleting).
   */
  Delivery deliver(RequestStreamHandler function, List<Message> batch, boolean deleteArrives) {
    byte[] event = Json.write(event(batch)).getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      function.handleRequest(new ByteArrayInputStream(event), out, null);
    } catch (Exception e) {
      // Lambda: a function error keeps the whole batch in the queue.
      return new Delivery(batch, Set.of(), true, e.toString(), 0);
    }
    Set<String> reported = reported(out.toString(StandardCharsets.UTF_8));
    if (!deleteArrives) {
      return new Delivery(batch, reported, false, null, 0);
    }
    int deleted = SqsEvents.deleteAllBut(sqs, queueUrl, batch, reported);
    return new Delivery(batch, reported, false, null, deleted);
  }

  /**
   * Delivers until the queue holds nothing (visible or in flight) or {@code budget} is spent,
   * waiting out visibility timeouts between; returns every delivery made.
   */
  List<Delivery> runUntilEmpty(RequestStreamHandler function, Duration budget) {
    List<Delivery> deliveries = new ArrayList<>();
    long deadline = System.nanoTime() + budget.toNanos();
    while (System.nanoTime() < deadline) {
      Delivery d = deliverOnce(function);
      if (d != null) {
        deliveries.add(d);
      } else if (inQueue() == 0) {
        return deliveries;
      }
    }
    throw new AssertionError("the queue still holds " + inQueue() + " messages after " + budget
        + " (" + deliveries.size() + " deliveries)");
  }

  /** Messages in the queue: visible, in flight and delayed. */
  int inQueue() {
    return count(sqs, queueUrl);
  }

  static int count(SqsClient sqs, String queueUrl) {
    Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
    return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
  }

  /** Receives and deletes everything in {@code queueUrl} (a DLQ), returning the messages. */
  static List<Message> takeAll(SqsClient sqs, String queueUrl) {
    List<Message> all = new ArrayList<>();
    while (true) {
      List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
          .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
      if (got.isEmpty()) {
        return all;
      }
      all.addAll(got);
      for (Message m : got) {
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
      }
    }
  }

  /**
   * The ids the answer names in {@code batchItemFailures}. An answer Lambda cannot read as a batch
   * response keeps the whole batch, as Lambda does; the test fails then, since the flush function
   * must never answer that way.
   */
  private static Set<String> reported(String answer) {
    JsonNode node = Json.parseBody(answer);
    JsonNode items = node.path("batchItemFailures");
    if (!items.isArray()) {
      throw new AssertionError("not an SQS batch response: " + answer);
    }
    Set<String> ids = new LinkedHashSet<>();
    for (JsonNode item : items) {
      ids.add(item.path("itemIdentifier").asText());
    }
    return ids;
  }

  /** The SQS event Lambda sends for {@code batch}: the local stack's, as its event source sends it. */
  private ObjectNode event(List<Message> batch) {
    return SqsEvents.lambdaEvent(batch, queueArn);
  }
}
