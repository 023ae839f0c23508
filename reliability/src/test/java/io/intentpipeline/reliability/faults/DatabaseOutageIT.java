package io.intentpipeline.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.correction.CorrectionHandler;
import io.intentpipeline.flush.FlushHandler;
import io.intentpipeline.record.RecordHandler;
import io.intentpipeline.snapshot.SnapshotHandler;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.train.TrainHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PostgreSQL unreachable, or a function's connection killed: the functions reach it through a
 * {@link TcpProxy} that can refuse connections and cut the open ones. Nothing is lost while the
 * database is down, nothing is stored twice after it comes back, and a container whose connection
 * died between two invocations serves the next one on a new connection.
 */
class DatabaseOutageIT {
  static FaultStack faults;

  @BeforeAll
  static void start() {
    faults = new FaultStack("dboutage");
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
   * The database is down while the event source delivers: every invocation fails, so no message
   * is deleted; the messages come back after their visibility timeout (failing again) and none
   * reaches the DLQ while the outage is shorter than maxReceiveCount receives. After recovery
   * every interaction is stored exactly once.
   */
  @Test
  void whilePostgresIsDownEveryMessageStaysQueuedAndAfterRecoveryEachIsStoredOnce() throws Exception {
    List<String> ids = FaultStack.post(faults.recordContainer(), FaultStack.interactions("outage", 50, 11));
    FlushHandler flush = faults.flushContainer();
    EventSourceMapping source = faults.interactionsSource();
    // A first batch stores fine: the container holds a live connection when the server goes away.
    EventSourceMapping.Delivery before = source.deliverOnce(flush);
    assertThat(before.invocationFailed()).as(before.error()).isFalse();
    int storedBefore = before.batch().size();

    faults.database.down();
    // Every remaining message is received and fails twice: once, then again after its visibility timeout.
    int remaining = 50 - storedBefore;
    List<EventSourceMapping.Delivery> failed = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (failed.stream().mapToInt(d -> d.batch().size()).sum() < 2 * remaining && System.nanoTime() < deadline) {
      EventSourceMapping.Delivery d = source.deliverOnce(flush);
      if (d != null) {
        failed.add(d);
      }
    }
    assertThat(failed).isNotEmpty().allSatisfy(d -> {
      assertThat(d.invocationFailed()).isTrue();
      assertThat(d.error()).contains("database is unavailable");
    });
    assertThat(failed.stream().flatMap(d -> d.batch().stream())
        .map(m -> Integer.parseInt(m.attributesAsStrings().get("ApproximateReceiveCount"))))
        .as("receive counts during the outage").contains(2).allMatch(c -> c < faults.template.maxReceiveCount());
    assertThat(faults.database.refused()).isPositive();
    assertThat(faults.storedCopies()).hasSize(storedBefore);
    assertThat(source.inQueue()).isEqualTo(remaining);
    assertThat(EventSourceMapping.count(faults.stack.sqs(), faults.stack.interactionsDlqUrl())).isZero();

    faults.database.resume();
    List<EventSourceMapping.Delivery> after = source.runUntilEmpty(flush, Duration.ofSeconds(30));

    assertThat(after).allSatisfy(d -> {
      assertThat(d.invocationFailed()).as(d.error()).isFalse();
      assertThat(d.reported()).isEmpty();
    });
    assertThat(faults.storedCopies()).containsOnlyKeys(ids).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
    assertThat(EventSourceMapping.count(faults.stack.sqs(), faults.stack.interactionsDlqUrl())).isZero();
  }

  /**
   * The database stores a batch but its answer never reaches the flush function (the connection
   * drops between the commit and the reply): the invocation fails, so SQS delivers the whole batch
   * again, and the second delivery stores nothing new. The rows were there after the first
   * delivery already; in the end each interaction has exactly one row.
   */
  @Test
  void aBatchCommittedWhoseAnswerIsLostIsDeliveredAgainAndStoredOnce() throws Exception {
    List<String> ids = FaultStack.post(faults.recordContainer(), FaultStack.interactions("lost-answer", 12, 13));
    // A new container: its first statement carries the INSERT's text (later ones name a prepared statement).
    FlushHandler flush = faults.flushContainer();
    EventSourceMapping source = faults.interactionsSource();
    faults.database.loseAnswerAfter("INSERT INTO ai_training_data");

    EventSourceMapping.Delivery first = source.deliverOnce(flush);

    assertThat(faults.database.answerLossArmed()).as("the INSERT went through the proxy").isFalse();
    assertThat(first.invocationFailed()).as("the flush never heard back").isTrue();
    assertThat(first.batch()).hasSize(12);
    assertThat(faults.storedCopies()).as("committed nonetheless").containsOnlyKeys(ids);
    assertThat(source.inQueue()).as("nothing deleted").isEqualTo(12);

    List<EventSourceMapping.Delivery> again = source.runUntilEmpty(flush, Duration.ofSeconds(20));

    assertThat(again).isNotEmpty().allSatisfy(d -> {
      assertThat(d.invocationFailed()).as(d.error()).isFalse();
      assertThat(d.reported()).isEmpty();
    });
    assertThat(again.stream().mapToInt(d -> d.batch().size()).sum()).isEqualTo(12);
    assertThat(faults.storedCopies()).containsOnlyKeys(ids).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
    assertThat(EventSourceMapping.count(faults.stack.sqs(), faults.stack.interactionsDlqUrl())).isZero();
  }

  /**
   * The same under load: clients keep posting and the event source keeps delivering in the
   * background while the database goes down twice at seeded moments (cutting the flushes in
   * progress) for up to 1.5 s each. Every interaction posted is stored exactly once in the end.
   */
  @Test
  void outagesInTheMiddleOfFlushesLoseNothingAndStoreNothingTwice() throws Exception {
    long seed = Long.getLong("faults.seed", System.nanoTime());
    System.out.println("[DatabaseOutageIT] seed " + seed + " (replay with -Dfaults.seed=" + seed + ")");
    SplittableRandom random = new SplittableRandom(seed);
    RecordHandler record = faults.recordContainer();
    AtomicBoolean posting = new AtomicBoolean(true);
    List<String> posted = java.util.Collections.synchronizedList(new ArrayList<>());
    List<EventSourceMapping.Delivery> deliveries = java.util.Collections.synchronizedList(new ArrayList<>());
    long postSeed = random.nextLong();
    Thread client = new Thread(() -> {
      int k = 0;
      SplittableRandom r = new SplittableRandom(postSeed);
      while (posting.get()) {
        List<ObjectNode> batch = FaultStack.interactions("under-load-" + k, 1 + r.nextInt(20), r.nextLong());
        posted.addAll(FaultStack.post(record, batch));
        k++;
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "client");
    // Two flush containers, as the event source mapping scales out.
    List<Thread> pollers = new ArrayList<>();
    AtomicBoolean polling = new AtomicBoolean(true);
    for (int c = 0; c < 2; c++) {
      FlushHandler flush = faults.flushContainer();
      EventSourceMapping source = faults.interactionsSource();
      pollers.add(new Thread(() -> {
        while (polling.get()) {
          EventSourceMapping.Delivery d = source.deliverOnce(flush);
          if (d != null) {
            deliveries.add(d);
          }
        }
      }, "poller-" + c));
    }
    client.start();
    pollers.forEach(Thread::start);
    // Outages shorter than the visibility timeout, at least one timeout apart: a message fails at
    // most once per outage, so the redrive policy never moves a good one to the DLQ (in AWS: 210 s
    // visibility x 5 receives, an outage of a quarter of an hour).
    for (int outage = 0; outage < 2; outage++) {
      Thread.sleep(FaultStack.VISIBILITY_SECONDS * 1000L + 500 + random.nextInt(1000));
      faults.database.down();
      Thread.sleep(500 + random.nextInt(1000));
      faults.database.resume();
    }
    Thread.sleep(500);
    posting.set(false);
    client.join(30_000);
    // Let the pollers finish what the queue holds.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    while (EventSourceMapping.count(faults.stack.sqs(), faults.stack.interactionsQueueUrl()) > 0
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    polling.set(false);
    for (Thread t : pollers) {
      t.join(10_000);
    }

    assertThat(deliveries).as("some flushes failed during the outages")
        .anyMatch(EventSourceMapping.Delivery::invocationFailed);
    assertThat(deliveries).allSatisfy(d -> assertThat(d.reported()).isEmpty());
    assertThat(EventSourceMapping.count(faults.stack.sqs(), faults.stack.interactionsQueueUrl())).isZero();
    assertThat(EventSourceMapping.count(faults.stack.sqs(), faults.stack.interactionsDlqUrl())).isZero();
    assertThat(faults.storedCopies()).containsOnlyKeys(posted).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
    System.out.printf("[DatabaseOutageIT] %d interactions posted, %d deliveries of which %d failed, all stored once%n",
        posted.size(), deliveries.size(), deliveries.stream().filter(EventSourceMapping.Delivery::invocationFailed).count());
  }

  /**
   * A container keeps its database connection between invocations; when that connection dies in
   * between (the proxy cuts it: a network drop; or the server ends the session:
   * pg_terminate_backend, a failover, an idle timeout) the next invocation of every function that
   * uses the database answers normally, on a new connection.
   */
  @ParameterizedTest(name = "{0} after {1}")
  @CsvSource({
      "flush, cut", "flush, terminate",
      "correction, cut", "correction, terminate",
      "snapshot, cut", "snapshot, terminate",
      "train, cut", "train, terminate"})
  void aConnectionKilledBetweenTwoInvocationsIsReplacedByTheNextOne(String function, String how) throws Exception {
    // Sessions other tests' containers left are ended first, so that this container's are counted alone.
    faults.value("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database()"
        + " AND pid <> pg_backend_pid() AND application_name <> ''");
    Function<RequestStreamHandler, Boolean> invoke;
    RequestStreamHandler handler;
    String applicationName;
    switch (function) {
      case "flush" -> {
        handler = faults.flushContainer();
        applicationName = "flush";
        RecordHandler record = faults.recordContainer();
        EventSourceMapping source = faults.interactionsSource();
        int[] k = {0};
        invoke = h -> {
          FaultStack.post(record, FaultStack.interactions("killed-" + function + how + k[0]++, 3, k[0]));
          EventSourceMapping.Delivery d = source.deliverOnce(h);
          return d != null && !d.invocationFailed() && d.reported().isEmpty();
        };
      }
      case "correction" -> {
        handler = new CorrectionHandler(faults.env());
        applicationName = "correction-function";
        invoke = h -> Invocations.get(h, "/ai/training/pending-review", Map.of()).status() == 200;
      }
      case "snapshot" -> {
        handler = new SnapshotHandler(faults.env());
        applicationName = "snapshot-function";
        invoke = h -> Invocations.get(h, "/ai/training/metrics", Map.of()).status() == 200;
      }
      case "train" -> {
        handler = new TrainHandler(faults.env());
        applicationName = "train-function";
        invoke = h -> Invocations.get(h, "/ai/training/runs", Map.of()).status() == 200;
      }
      default -> throw new IllegalArgumentException(function);
    }
    waitUntilNoSession(applicationName);
    assertThat(invoke.apply(handler)).as("first invocation").isTrue();
    assertThat(faults.sessionsOf(applicationName)).as("the container keeps its session").isEqualTo(1);

    if (how.equals("cut")) {
      assertThat(faults.database.cutAll()).isPositive();
    } else {
      faults.value("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
          + " WHERE datname = current_database() AND application_name = ?", applicationName);
    }
    waitUntilNoSession(applicationName);

    assertThat(invoke.apply(handler)).as("the invocation after the kill").isTrue();
    assertThat(faults.sessionsOf(applicationName)).isEqualTo(1);
  }

  private static void waitUntilNoSession(String applicationName) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (faults.sessionsOf(applicationName) > 0) {
      assertThat(System.nanoTime()).as("the killed session is gone").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
