package io.intentpipeline.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.flush.FlushHandler;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A poison message in a batch: the flush function names it alone in {@code batchItemFailures},
 * the rest of the batch is stored and deleted, and the poison message comes back on every receive
 * until the queue's redrive policy (template.yaml's {@code maxReceiveCount}) moves it to the DLQ.
 */
class PoisonMessageIT {
  static FaultStack faults;

  @BeforeAll
  static void start() {
    faults = new FaultStack("poison");
  }

  @AfterAll
  static void stop() {
    faults.close();
  }

  @BeforeEach
  void reset() throws Exception {
    faults.reset();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      // Not JSON at all.
      "{\"v\":1,\"interaction_id\":\"poison-1\",\"user_message\":",
      // Well-formed, but a NUL character PostgreSQL refuses in text: stored in a JDBC batch it would fail all 20.
      "{\"v\":1,\"interaction_id\":\"poison-2\",\"user_message\":\"nul\\u0000here\",\"detected_intent\":\"greeting\","
          + "\"confidence_score\":50,\"occurred_at\":\"2026-11-27T14:05:00Z\"}"})
  void aPoisonMessageIsReportedAloneTheRestIsStoredAndItEndsInTheDeadLetterQueue(String poison) throws Exception {
    List<String> good = FaultStack.post(faults.recordContainer(),
        FaultStack.interactions("batchmate", faults.template.batchSize() - 1, poison.length()));
    String poisonId = faults.stack.sqs().sendMessage(b -> b.queueUrl(faults.stack.interactionsQueueUrl())
        .messageBody(poison)).messageId();
    FlushHandler flush = faults.flushContainer();
    EventSourceMapping source = faults.interactionsSource(1);

    // One batch of the template's size holds the poison message and its batch mates.
    EventSourceMapping.Delivery first = source.deliverOnce(flush);
    assertThat(first.batch()).hasSize(faults.template.batchSize());
    assertThat(first.invocationFailed()).as(first.error()).isFalse();
    assertThat(first.reported()).containsExactly(poisonId);
    assertThat(faults.storedCopies()).containsOnlyKeys(good).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));

    // Then it alone comes back, is reported alone each time, and moves to the DLQ after its receives.
    List<EventSourceMapping.Delivery> later = source.runUntilEmpty(flush, Duration.ofSeconds(30));
    assertThat(later).allSatisfy(d -> {
      assertThat(d.batch()).extracting(Message::messageId).containsExactly(poisonId);
      assertThat(d.reported()).containsExactly(poisonId);
    });
    assertThat(1 + later.size()).as("receives before the DLQ").isEqualTo(faults.template.maxReceiveCount());
    List<Message> dead = EventSourceMapping.takeAll(faults.stack.sqs(), faults.stack.interactionsDlqUrl());
    assertThat(dead).extracting(Message::body).containsExactly(poison);
    assertThat(faults.storedCopies()).containsOnlyKeys(good);
  }
}
