package io.intentpipeline.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.flush.FlushHandler;
import io.intentpipeline.record.RecordHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * At-least-once delivery: the same interaction reaches the flush function more than once, and is
 * stored once. Through the record function, the interactions queue (ElasticMQ, the template's
 * redrive policy) and the flush function, driven as Lambda's event source mapping drives it.
 */
class DuplicateDeliveryIT {
  static FaultStack faults;

  @BeforeAll
  static void start() {
    faults = new FaultStack("dupdelivery");
  }

  @AfterAll
  static void stop() {
    faults.close();
  }

  @BeforeEach
  void reset() throws Exception {
    faults.reset();
  }

  /**
   * SQS delivers a message again when its delete is lost (the function's answer timed out, the
   * poller died): the batch is delivered twice, in full, and nothing is stored twice.
   */
  @Test
  void aBatchDeliveredTwiceBecauseItsDeleteWasLostIsStoredOnce() throws Exception {
    RecordHandler record = faults.recordContainer();
    FlushHandler flush = faults.flushContainer();
    List<String> ids = FaultStack.post(record, FaultStack.interactions("twice", 15, 1));
    EventSourceMapping source = faults.interactionsSource();

    // First delivery: the function stores the batch, but the delete never happens.
    List<Message> first = source.receive();
    assertThat(first).hasSize(15);
    var firstDelivery = source.deliver(flush, first, false);
    assertThat(firstDelivery.invocationFailed()).as(firstDelivery.error()).isFalse();
    assertThat(firstDelivery.reported()).isEmpty();
    assertThat(faults.storedCopies()).hasSize(15);

    // After the visibility timeout the same messages come back, with their receive count at 2.
    List<EventSourceMapping.Delivery> again = source.runUntilEmpty(flush, Duration.ofSeconds(20));
    List<Message> redelivered = again.stream().flatMap(d -> d.batch().stream()).toList();
    assertThat(redelivered).extracting(Message::messageId)
        .containsExactlyInAnyOrderElementsOf(first.stream().map(Message::messageId).toList());
    assertThat(redelivered).allSatisfy(m -> assertThat(m.attributesAsStrings().get("ApproximateReceiveCount"))
        .isEqualTo("2"));
    assertThat(again).allSatisfy(d -> assertThat(d.reported()).isEmpty());

    assertThat(faults.storedCopies()).containsOnlyKeys(ids).allSatisfy((id, copies) -> assertThat(copies).isEqualTo(1));
    assertThat(EventSourceMapping.count(faults.stack.sqs(), faults.stack.interactionsDlqUrl())).isZero();
  }

  /**
   * A standard queue may hand the same message to more than one consumer at once: here the same
   * batch of 20 messages (same message ids, same receipt handles) goes to ten flush containers at
   * the same moment. Every invocation succeeds and reports nothing, and each interaction has one row.
   */
  @Test
  void theSameBatchDeliveredTenTimesAtOnceIsStoredOnce() throws Exception {
    List<String> ids = FaultStack.post(faults.recordContainer(), FaultStack.interactions("tentimes", 20, 5));
    EventSourceMapping source = faults.interactionsSource(30);
    List<Message> batch = source.receive();
    assertThat(batch).hasSize(20);

    java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(10);
    ExecutorService pool = Executors.newFixedThreadPool(10);
    List<EventSourceMapping.Delivery> deliveries = new ArrayList<>();
    try {
      List<Future<EventSourceMapping.Delivery>> work = new ArrayList<>();
      for (int c = 0; c < 10; c++) {
        FlushHandler flush = faults.flushContainer();
        work.add(pool.submit(() -> {
          together.await();
          return source.deliver(flush, batch);
        }));
      }
      for (var f : work) {
        deliveries.add(f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(deliveries).hasSize(10).allSatisfy(d -> {
      assertThat(d.invocationFailed()).as(d.error()).isFalse();
      assertThat(d.reported()).isEmpty();
    });
    assertThat(faults.storedCopies()).containsOnlyKeys(ids).allSatisfy((id, copies) -> assertThat(copies).isEqualTo(1));
    assertThat(EventSourceMapping.count(faults.stack.sqs(), faults.stack.interactionsQueueUrl())).isZero();
  }

  /**
   * The orchestrator retries: each interaction is posted ten times with its id, so the queue holds
   * ten messages for it, and four flush containers take batches at the same time: some copies
   * meet in one batch, others race in concurrent transactions. Each is stored once, and no copy
   * is reported as a failure (a duplicate is done, not poison).
   */
  @Test
  void anInteractionSentTenTimesAndFlushedByConcurrentContainersIsStoredOnce() throws Exception {
    RecordHandler record = faults.recordContainer();
    List<ObjectNode> interactions = FaultStack.interactions("tenfold", 60, 2);
    List<ObjectNode> posts = new ArrayList<>();
    for (int copy = 0; copy < 10; copy++) {
      posts.addAll(interactions);
    }
    Collections.shuffle(posts, new Random(3));
    // Singles and batches of up to 25, as a retrying client would send them.
    Random sizes = new Random(4);
    for (int i = 0; i < posts.size(); ) {
      int n = Math.min(posts.size() - i, sizes.nextBoolean() ? 1 : 1 + sizes.nextInt(25));
      FaultStack.post(record, posts.subList(i, i + n));
      i += n;
    }
    assertThat(EventSourceMapping.count(faults.stack.sqs(), faults.stack.interactionsQueueUrl())).isEqualTo(600);

    int containers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(containers);
    List<Future<List<EventSourceMapping.Delivery>>> work = new ArrayList<>();
    try {
      for (int c = 0; c < containers; c++) {
        FlushHandler flush = faults.flushContainer();
        EventSourceMapping source = faults.interactionsSource();
        work.add(pool.submit(() -> source.runUntilEmpty(flush, Duration.ofSeconds(60))));
      }
      List<EventSourceMapping.Delivery> deliveries = new ArrayList<>();
      for (var f : work) {
        deliveries.addAll(f.get(90, TimeUnit.SECONDS));
      }
      assertThat(deliveries).allSatisfy(d -> {
        assertThat(d.invocationFailed()).as(d.error()).isFalse();
        assertThat(d.reported()).isEmpty();
      });
      assertThat(deliveries.stream().mapToInt(EventSourceMapping.Delivery::deleted).sum()).isEqualTo(600);
    } finally {
      pool.shutdownNow();
    }

    Map<String, Integer> stored = faults.storedCopies();
    assertThat(stored).hasSize(60).allSatisfy((id, copies) -> assertThat(copies).isEqualTo(1));
    assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(
        interactions.stream().map(n -> n.get("interaction_id").asText()).toList());
    assertThat(EventSourceMapping.count(faults.stack.sqs(), faults.stack.interactionsQueueUrl())).isZero();
    assertThat(EventSourceMapping.count(faults.stack.sqs(), faults.stack.interactionsDlqUrl())).isZero();
  }
}
