package io.intentpipeline.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.SqsClients;
import io.intentpipeline.config.Env;
import io.intentpipeline.testing.TestStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** The SQS publisher, and its contract with the in-memory twin, against the embedded SQS server. */
class InteractionPublisherIT implements InteractionQueueContract {
  static TestStack stack;

  @BeforeAll
  static void start() {
    stack = TestStack.create("publisher");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Override
  public InteractionQueue queue() {
    return new InteractionPublisher(stack.sqs(), stack.interactionsQueueUrl(), 3, Duration.ofMillis(10));
  }

  @Override
  public InteractionQueue unavailableQueue() {
    return new InteractionPublisher(unreachableSqs(), stack.interactionsQueueUrl(), 2, Duration.ofMillis(10));
  }

  @Override
  public List<String> drainQueue() {
    return drain(stack.sqs(), stack.interactionsQueueUrl());
  }

  /** A client of an SQS endpoint where nothing listens. */
  static SqsClient unreachableSqs() {
    Map<String, String> env = new java.util.HashMap<>(stack.envVars());
    env.put("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:1");
    return SqsClients.create(AwsSettings.fromEnv(Env.of(env)));
  }

  /** Every message now in {@code queueUrl}, deleted as read. */
  static List<String> drain(SqsClient sqs, String queueUrl) {
    List<String> bodies = new ArrayList<>();
    while (true) {
      List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
      if (batch.isEmpty()) {
        return bodies;
      }
      for (Message m : batch) {
        bodies.add(m.body());
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
      }
    }
  }

  /**
   * The real client, except that the first {@code refusals} entries it is asked to send are
   * answered as failed (as SQS does under throttling) without being sent.
   */
  static final class Refusing implements SqsClient {
    private final SqsClient real;
    private int refusals;

    Refusing(SqsClient real, int refusals) {
      this.real = real;
      this.refusals = refusals;
    }

    @Override
    public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
      var keep = new ArrayList<software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry>();
      var refused = new ArrayList<BatchResultErrorEntry>();
      for (var entry : request.entries()) {
        if (refusals > 0 && entry.id().hashCode() % 2 == 0) {
          refusals--;
          refused.add(BatchResultErrorEntry.builder().id(entry.id()).code("RequestThrottled").senderFault(false).build());
        } else {
          keep.add(entry);
        }
      }
      var response = keep.isEmpty() ? SendMessageBatchResponse.builder().build()
          : real.sendMessageBatch(request.toBuilder().entries(keep).build());
      var failed = new ArrayList<>(response.failed());
      failed.addAll(refused);
      return response.toBuilder().failed(failed).build();
    }

    @Override
    public String serviceName() {
      return real.serviceName();
    }

    @Override
    public void close() {}
  }

  @Test
  void sendsEveryMessageTenPerCall() {
    List<String> bodies = IntStream.range(0, 25).mapToObj(i -> "{\"n\":" + i + "}").toList();
    var publisher = new InteractionPublisher(stack.sqs(), stack.interactionsQueueUrl(), 3, Duration.ofMillis(10));

    int calls = publisher.publish(bodies);

    assertThat(calls).isEqualTo(3);
    assertThat(drain(stack.sqs(), stack.interactionsQueueUrl())).containsExactlyInAnyOrderElementsOf(bodies);
  }

  @Test
  void entriesSqsRefusesAreRetriedUntilSent() {
    List<String> bodies = IntStream.range(0, 25).mapToObj(i -> "{\"retry\":" + i + "}").toList();
    var publisher = new InteractionPublisher(new Refusing(stack.sqs(), 7), stack.interactionsQueueUrl(), 4, Duration.ofMillis(10));

    int calls = publisher.publish(bodies);

    assertThat(calls).isGreaterThan(3);
    assertThat(drain(stack.sqs(), stack.interactionsQueueUrl())).containsExactlyInAnyOrderElementsOf(bodies);
  }

  @Test
  void aQueueThatKeepsRefusingIsReportedUnavailable() {
    var publisher = new InteractionPublisher(new Refusing(stack.sqs(), 1000), stack.interactionsQueueUrl(), 3, Duration.ofMillis(10));

    assertThatThrownBy(() -> publisher.publish(List.of("{\"a\":0}", "{\"b\":1}")))
        .isInstanceOf(QueueUnavailableException.class)
        .hasMessageContaining("after 3 attempts");
  }

  @Test
  void anUnreachableQueueIsReportedUnavailable() {
    var publisher = new InteractionPublisher(unreachableSqs(), stack.interactionsQueueUrl(), 2, Duration.ofMillis(10));

    assertThatThrownBy(() -> publisher.publish(List.of("{}")))
        .isInstanceOf(QueueUnavailableException.class)
        .hasMessageContaining("1 of 1 messages");
  }
}
