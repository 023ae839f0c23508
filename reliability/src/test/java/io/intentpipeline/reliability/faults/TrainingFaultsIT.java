package io.intentpipeline.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.pipeline.TrainingLock;
import io.intentpipeline.queue.RetrainQueue;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.train.TrainHandler;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
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
 * Training runs against concurrency and crashes: the train function's containers, each with its
 * own database sessions, fed from the retrain queue as its event source mapping feeds them.
 */
class TrainingFaultsIT {
  static FaultStack faults;

  @BeforeAll
  static void start() {
    faults = new FaultStack("trainfaults");
  }

  @AfterAll
  static void stop() {
    faults.close();
  }

  @BeforeEach
  void reset() throws Exception {
    faults.database.resume();
    TrainContainers.clear(faults.stack);
    TrainContainers.samples(faults.stack, 40, 31);
  }

  /**
   * Six training requests are queued: three from {@code POST /ai/training/run} and three automatic
   * ones (the flush function's, after enough new samples). Six train containers take one message
   * each and start at the same moment. One run trains and deploys; the others are skipped (a run
   * is in progress, or it has done their work already), the API ones recorded as skipped; one new
   * model is written; every message leaves the queue.
   */
  @Test
  void concurrentTrainingTriggersMakeOneRun() throws Exception {
    TrainHandler api = TrainContainers.plain(faults.env());
    for (int i = 0; i < 3; i++) {
      var queued = Invocations.http(api, "POST", "/ai/training/run", Map.of(), "{\"run_type\": \"full\"}");
      assertThat(queued.status()).as(queued.body().toString()).isEqualTo(202);
    }
    RetrainQueue retrain = new RetrainQueue(faults.stack.sqs(), faults.stack.retrainQueueUrl());
    for (int i = 0; i < 3; i++) {
      retrain.request(Instant.now(), 100, 100);
    }
    // The template's retrain event source: batch size 1. A long visibility: no redelivery mid-test.
    EventSourceMapping source = new EventSourceMapping(faults.stack.sqs(), faults.stack.retrainQueueUrl(), 1, 120);
    List<List<Message>> batches = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      List<Message> one = source.receive();
      assertThat(one).hasSize(1);
      batches.add(one);
    }

    CyclicBarrier together = new CyclicBarrier(6);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<EventSourceMapping.Delivery> deliveries = new ArrayList<>();
    try {
      List<Future<EventSourceMapping.Delivery>> futures = new ArrayList<>();
      for (List<Message> batch : batches) {
        TrainHandler container = TrainContainers.plain(faults.env());
        futures.add(pool.submit(() -> {
          together.await();
          return source.deliver(container, batch);
        }));
      }
      for (var f : futures) {
        deliveries.add(f.get(120, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(deliveries).allSatisfy(d -> {
      assertThat(d.invocationFailed()).as(d.error()).isFalse();
      assertThat(d.reported()).isEmpty();
    });
    assertThat(EventSourceMapping.count(faults.stack.sqs(), faults.stack.retrainQueueUrl())).isZero();
    assertThat(faults.value("SELECT count(*) FROM ai_training_runs WHERE status = 'completed'")).isEqualTo(1);
    assertThat(faults.value("SELECT count(*) FROM ai_training_runs WHERE status NOT IN ('completed', 'skipped')")).isZero();
    // Every API request has its row (its caller holds its run id): the one that ran, or skipped.
    assertThat(faults.value("SELECT count(*) FROM ai_training_runs WHERE triggered_by = 'api'")).isEqualTo(3);
    assertThat(faults.value("SELECT count(*) FROM ai_training_runs WHERE status = 'skipped' AND triggered_by <> 'api'"))
        .isZero();
    assertThat(TrainContainers.versionKeys(faults.stack)).hasSize(1);
    assertThat(lockHeld()).isFalse();
  }

  /**
   * A train container dies in the middle of a run: in its train stage, every one of its database
   * connections is cut (the one holding the training lock included) and the database refuses it,
   * as a crashed process or a dead network path would leave things. The server ends the lock's
   * session, so no advisory lock is left; the run could not record its end, so its row stays
   * 'running' and latest is not replaced (the run lost its lock, so it must not deploy). The next
   * run, from another container, proceeds: it marks the dead run failed and trains.
   */
  @Test
  void aCrashInTheMiddleOfARunLeavesNoLockAndTheNextRunProceeds() throws Exception {
    JsonNode first = TrainContainers.runNow(TrainContainers.plain(faults.env()));
    assertThat(first.path("deployed").asBoolean()).as(first.toString()).isTrue();
    byte[] latestBefore = TrainContainers.latest(faults.stack);
    UUID[] crashedRun = new UUID[1];
    TrainHandler dying = TrainContainers.watched(faults.env(), (run, stage) -> {
      if (stage.equals("train")) {
        crashedRun[0] = run;
        try {
          assertThat(lockHeld()).as("the lock is held while the run trains").isTrue();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        faults.database.down();
      }
    });

    Throwable crash = null;
    try {
      TrainContainers.runNow(dying);
    } catch (RuntimeException e) {
      crash = e;
    }

    assertThat(crash).as("the invocation fails: the database is gone").isNotNull();
    assertThat(crashedRun[0]).isNotNull();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (lockHeld()) {
      assertThat(System.nanoTime()).as("the server released the dead session's lock").isLessThan(deadline);
      Thread.sleep(20);
    }
    assertThat(TrainContainers.run(faults.stack, crashedRun[0])[0]).isEqualTo("running");
    assertThat(TrainContainers.latest(faults.stack)).isEqualTo(latestBefore);

    faults.database.resume();
    JsonNode next = TrainContainers.runNow(TrainContainers.plain(faults.env()));

    assertThat(next.path("status").asText()).as(next.toString()).isEqualTo("completed");
    String[] dead = TrainContainers.run(faults.stack, crashedRun[0]);
    assertThat(dead[0]).isEqualTo("failed");
    assertThat(dead[1]).startsWith("Interrupted").contains(next.path("run_id").asText());
    assertThat(faults.value("SELECT count(*) FROM ai_training_runs WHERE status = 'running'")).isZero();
    assertThat(lockHeld()).isFalse();
  }

  /** Whether any session holds the training lock now, read from pg_locks. */
  private static boolean lockHeld() throws Exception {
    try (Connection c = faults.stack.connect()) {
      return TrainingLock.isHeld(c);
    }
  }
}
