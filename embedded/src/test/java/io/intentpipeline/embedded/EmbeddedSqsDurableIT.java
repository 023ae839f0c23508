package io.intentpipeline.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The durable SQS server: what it acknowledged is in its folder, and a new server on that folder
 * has it back (queues, messages, receive counts); and what durability costs a SendMessage,
 * printed for docs/LOCAL_STACK.md.
 */
class EmbeddedSqsDurableIT {
  private static SqsClient client(URI endpoint) {
    return SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y"))).build();
  }

  @Test
  void whatWasAcknowledgedIsBackOnTheNextStartOfTheSameFolder(@TempDir Path folder) {
    // Arrange: a queue with 20 messages, 5 of them received (in flight) when the server goes away
    List<String> sent = new ArrayList<>();
    try (EmbeddedSqs server = EmbeddedSqs.durable(0, folder); SqsClient sqs = client(server.endpoint())) {
      String url = sqs.createQueue(b -> b.queueName("interactions").attributes(
          java.util.Map.of(software.amazon.awssdk.services.sqs.model.QueueAttributeName.VISIBILITY_TIMEOUT, "1"))).queueUrl();
      for (int i = 0; i < 20; i++) {
        String body = "message-" + i;
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
        sent.add(body);
      }
      sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(5));
    }

    // Act: a new server on the same folder
    List<String> received = new ArrayList<>();
    try (EmbeddedSqs again = EmbeddedSqs.durable(0, folder); SqsClient sqs = client(again.endpoint())) {
      String url = sqs.getQueueUrl(b -> b.queueName("interactions")).queueUrl();
      long deadline = System.nanoTime() + 15_000_000_000L;
      while (received.size() < sent.size() && System.nanoTime() < deadline) {
        for (Message m : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
          received.add(m.body());
          sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
        }
      }
    }

    // Assert: all 20, the 5 in flight once their visibility timeout ended
    assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
  }

  @Test
  void printsWhatDurabilityCostsASend(@TempDir Path folder) {
    // Three rounds, the two servers in alternating order, so that neither profits from a warmer JVM.
    List<double[]> memory = new ArrayList<>();
    List<double[]> durable = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      Path roundFolder = folder.resolve("round-" + round);
      if (round % 2 == 0) {
        memory.add(sendLatencies(EmbeddedSqs.start(0)));
        durable.add(sendLatencies(EmbeddedSqs.durable(0, roundFolder)));
      } else {
        durable.add(sendLatencies(EmbeddedSqs.durable(0, roundFolder)));
        memory.add(sendLatencies(EmbeddedSqs.start(0)));
      }
    }

    System.out.printf(java.util.Locale.ROOT, "SendMessage latency, ms, median of 3 rounds of 2,000 sends after 500 warm-up:"
        + " in memory p50 %.2f p99 %.2f; durable (H2 in a folder) p50 %.2f p99 %.2f%n",
        median(memory, 0), median(memory, 1), median(durable, 0), median(durable, 1));
    assertThat(median(durable, 0)).isPositive();
  }

  private static double median(List<double[]> rounds, int index) {
    double[] values = rounds.stream().mapToDouble(r -> r[index]).sorted().toArray();
    return values[values.length / 2];
  }

  /** p50 and p99 of 2,000 sends of a 600-byte body (an interaction's size), after 500 warm-up sends. */
  private static double[] sendLatencies(EmbeddedSqs server) {
    try (server; SqsClient sqs = client(server.endpoint())) {
      String url = sqs.createQueue(b -> b.queueName("latency")).queueUrl();
      String body = "x".repeat(600);
      for (int i = 0; i < 500; i++) {
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
      }
      double[] ms = new double[2000];
      for (int i = 0; i < ms.length; i++) {
        long start = System.nanoTime();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
        ms[i] = (System.nanoTime() - start) / 1e6;
      }
      Arrays.sort(ms);
      return new double[] {ms[ms.length / 2], ms[(int) (ms.length * 0.99)]};
    }
  }
}
