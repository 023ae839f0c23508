package io.intentpipeline.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.flush.FlushHandler;
import io.intentpipeline.json.Json;
import io.intentpipeline.record.RecordHandler;
import io.intentpipeline.snapshot.SnapshotHandler;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.Invocations.HttpResult;
import io.intentpipeline.train.TrainHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Erasure and retention (docs/PRIVACY.md) against live traffic and a training run: the record,
 * flush, snapshot and train functions' containers on the real servers.
 */
class PrivacyFaultsIT {
  static FaultStack faults;

  @BeforeAll
  static void start() {
    faults = new FaultStack("privacyfaults");
  }

  @AfterAll
  static void stop() {
    faults.close();
  }

  @BeforeEach
  void reset() throws Exception {
    TrainContainers.clear(faults.stack);
    faults.sql("TRUNCATE ai_data_erasures CASCADE");
    faults.stack.sqs().purgeQueue(b -> b.queueUrl(faults.stack.interactionsQueueUrl()));
  }

  private static long count(String sql, Object... parameters) throws SQLException {
    try (Connection c = faults.stack.connect(); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static ObjectNode interaction(String id, UUID user, int k) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("interaction_id", id);
    n.put("user_id", user.toString());
    n.put("user_message", "message " + k + ": card 4111 1111 1111 1111 declined, call me on +44 20 7946 0958");
    n.put("detected_intent", "card_declined");
    n.put("confidence_score", 50 + k % 50);
    return n;
  }

  /**
   * Eight clients record interactions of twelve users while flush containers store them and an
   * admin erases four of the users, twice each. Afterwards: every acknowledged interaction of the
   * users not erased is stored exactly once; of the erased users, no interaction that happened
   * before their last erasure is left (neither stored before it, nor still queued and stored
   * after it); no stored text holds the card number or phone number that was sent; each erasure
   * has its audit row.
   */
  @Test
  void erasureUnderLoadLeavesNothingOfTheErasedAndLosesNothingOfTheOthers() throws Exception {
    // Arrange
    List<UUID> users = new ArrayList<>();
    for (int u = 0; u < 12; u++) {
      users.add(UUID.nameUUIDFromBytes(("privacy-user-" + u).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    Set<UUID> erased = Set.copyOf(users.subList(0, 4));
    Map<String, UUID> acknowledged = new ConcurrentHashMap<>();
    AtomicBoolean recording = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(11);
    CountDownLatch started = new CountDownLatch(1);

    // Act: clients, flushes and the erasures at once.
    List<Future<?>> clients = new ArrayList<>();
    for (int client = 0; client < 8; client++) {
      int c = client;
      clients.add(pool.submit(() -> {
        RecordHandler record = faults.recordContainer();
        for (int k = 0; k < 60; k++) {
          List<ObjectNode> batch = new ArrayList<>();
          for (int j = 0; j < 5; j++) {
            UUID user = users.get((c * 7 + k * 5 + j) % users.size());
            batch.add(interaction("load-" + c + "-" + k + "-" + j, user, k));
          }
          List<String> ids = FaultStack.post(record, batch);
          for (int j = 0; j < ids.size(); j++) {
            acknowledged.put(ids.get(j), UUID.fromString(batch.get(j).get("user_id").asText()));
          }
          started.countDown();
        }
        return null;
      }));
    }
    List<Future<?>> flushes = new ArrayList<>();
    for (int f = 0; f < 2; f++) {
      flushes.add(pool.submit(() -> {
        FlushHandler flush = faults.flushContainer();
        EventSourceMapping source = faults.interactionsSource(30);
        while (recording.get()) {
          source.deliverOnce(flush);
        }
        return null;
      }));
    }
    Map<UUID, Instant> lastErasure = new HashMap<>();
    List<JsonNode> answers = Collections.synchronizedList(new ArrayList<>());
    Future<?> admin = pool.submit(() -> {
      SnapshotHandler snapshot = new SnapshotHandler(faults.env());
      started.await();
      for (int round = 0; round < 2; round++) {
        // The second round once half the traffic is acknowledged: both rounds run under load.
        while (round == 1 && acknowledged.size() < 1_200) {
          Thread.sleep(20);
        }
        for (UUID user : erased) {
          HttpResult answer = Invocations.http(snapshot, "POST", "/ai/training/erasure", Map.of(),
              "{\"user_id\": \"" + user + "\"}");
          assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
          answers.add(answer.body());
          synchronized (lastErasure) {
            lastErasure.put(user, Instant.parse(answer.body().get("erased_at").asText()));
          }
          Thread.sleep(100);
        }
      }
      return null;
    });
    for (Future<?> c : clients) {
      c.get(5, TimeUnit.MINUTES);
    }
    admin.get(5, TimeUnit.MINUTES);
    // Drain what is still queued (the erased users' queued interactions included).
    recording.set(false);
    for (Future<?> f : flushes) {
      f.get(1, TimeUnit.MINUTES);
    }
    FlushHandler last = faults.flushContainer();
    EventSourceMapping source = faults.interactionsSource(30);
    while (source.deliverOnce(last) != null) {
      // until the queue is empty
    }
    pool.shutdown();

    // Assert
    Map<String, Integer> stored = faults.storedCopies();
    long keptUsersAcknowledged = acknowledged.values().stream().filter(u -> !erased.contains(u)).count();
    assertThat(acknowledged).hasSize(8 * 60 * 5);
    acknowledged.forEach((id, user) -> {
      if (!erased.contains(user)) {
        assertThat(stored.get(id)).as("acknowledged interaction " + id + " stored once").isEqualTo(1);
      }
    });
    for (UUID user : erased) {
      assertThat(count("SELECT count(*) FROM ai_training_data WHERE user_id = ? AND occurred_at <= ?", user,
          java.sql.Timestamp.from(lastErasure.get(user))))
          .as("rows of erased user " + user + " from before the erasure").isZero();
    }
    assertThat(count("SELECT count(*) FROM ai_training_data WHERE user_message LIKE '%4111%'"
        + " OR user_message LIKE '%7946%'")).as("rows holding the sent card or phone number").isZero();
    assertThat(count("SELECT count(*) FROM ai_training_data WHERE 'card' = ANY(redacted_kinds)"
        + " AND 'phone' = ANY(redacted_kinds)")).isEqualTo(count("SELECT count(*) FROM ai_training_data"));
    assertThat(count("SELECT count(*) FROM ai_data_erasures WHERE kind = 'user'")).isEqualTo(8);
    long erasedRows = answers.stream().mapToLong(a -> a.get("rows_deleted").asLong()).sum();
    assertThat(erasedRows).as("rows the erasures deleted").isPositive();
    assertThat(stored.size() + erasedRows).as("stored + erased + dropped from the queue")
        .isLessThanOrEqualTo(acknowledged.size());
    assertThat(stored.size()).isGreaterThanOrEqualTo((int) keptUsersAcknowledged);
  }

  /**
   * A training run has read a user's rows when the user is erased: the erasure answers 202 (the
   * run may still write them to its dataset snapshot); the run completes; the next retention run
   * sweeps the snapshot it wrote and completes the erasure. Meanwhile retention deletes the old
   * unreviewed rows and keeps the reviewed ones, and the run is not disturbed.
   */
  @Test
  void erasureAndRetentionWhileATrainingRunIsRunning() throws Exception {
    // Arrange: a trainable dataset; one user's rows among them; old rows, one reviewed.
    TrainContainers.samples(faults.stack, 40, 7);
    UUID jane = UUID.fromString("0a000000-0000-4000-8000-00000000000a");
    faults.sql("UPDATE ai_training_data SET user_id = '" + jane + "' WHERE id IN"
        + " (SELECT id FROM ai_training_data ORDER BY id LIMIT 6)");
    faults.sql("UPDATE ai_training_data SET created_at = now() - interval '400 days' WHERE id IN"
        + " (SELECT id FROM ai_training_data WHERE user_id IS NULL ORDER BY id DESC LIMIT 5)");
    faults.sql("UPDATE ai_training_data SET dataset_status = 'approved' WHERE id IN"
        + " (SELECT id FROM ai_training_data WHERE created_at < now() - interval '365 days' ORDER BY id LIMIT 1)");
    // Jane's lines as a snapshot writes them: the message and the row's time, in one line.
    List<String[]> janesLines = new ArrayList<>();
    try (Connection c = faults.stack.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT user_message, created_at FROM ai_training_data WHERE user_id = '"
             + jane + "'")) {
      while (rs.next()) {
        janesLines.add(new String[] {Json.write(Json.MAPPER.getNodeFactory().textNode(rs.getString(1))),
            "\"created_at\":\"" + rs.getTimestamp(2).toInstant() + "\""});
      }
    }
    long total = count("SELECT count(*) FROM ai_training_data");
    long oldUnreviewed = count("SELECT count(*) FROM ai_training_data WHERE created_at < now() - interval '365 days'"
        + " AND NOT corrected_by_human AND intent_correct IS NULL AND corrected_at IS NULL"
        + " AND dataset_status IN ('pending', 'used_in_training')");
    CountDownLatch inTraining = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TrainHandler train = TrainContainers.watched(faults.env(), (runId, stage) -> {
      if (stage.equals("train")) {
        inTraining.countDown();
        try {
          release.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    SnapshotHandler snapshot = new SnapshotHandler(faults.env());
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<JsonNode> run = pool.submit(() -> TrainContainers.runNow(train));
    assertThat(inTraining.await(2, TimeUnit.MINUTES)).isTrue();

    // Act: erase Jane and run retention while the run trains on what it fetched.
    HttpResult erasure = Invocations.http(snapshot, "POST", "/ai/training/erasure", Map.of(),
        "{\"user_id\": \"" + jane + "\"}");
    JsonNode retention = Json.MAPPER.readTree(Invocations.invoke(snapshot, "{\"retention\": true}"));
    release.countDown();
    JsonNode outcome = run.get(3, TimeUnit.MINUTES);
    pool.shutdown();
    JsonNode sweep = Json.MAPPER.readTree(Invocations.invoke(snapshot, "{\"retention\": true}"));

    // Assert
    assertThat(erasure.status()).as(erasure.body().toString()).isEqualTo(202);
    assertThat(erasure.body().get("rows_deleted").asInt()).isEqualTo(6);
    assertThat(oldUnreviewed).isBetween(1L, 4L);
    assertThat(retention.get("retention").get("rows_deleted").asLong()).isEqualTo(oldUnreviewed);
    assertThat(outcome.get("status").asText()).as(outcome.toString()).isEqualTo("completed");
    assertThat(count("SELECT count(*) FROM ai_training_data")).isEqualTo(total - 6 - oldUnreviewed);
    assertThat(count("SELECT count(*) FROM ai_training_data WHERE dataset_status = 'approved'"
        + " AND created_at < now() - interval '365 days'")).as("the reviewed old row is kept").isEqualTo(1);
    assertThat(sweep.get("erasures_swept").get("complete").asBoolean()).isTrue();
    assertThat(count("SELECT count(*) FROM ai_data_erasures WHERE kind = 'user' AND status = 'complete'"))
        .isEqualTo(1);
    List<String> snapshots = new ArrayList<>();
    faults.stack.s3().listObjectsV2(b -> b.bucket(faults.stack.bucket()).prefix("datasets/")).contents()
        .forEach(o -> snapshots.add(faults.stack.s3().getObjectAsBytes(
            b -> b.bucket(faults.stack.bucket()).key(o.key())).asUtf8String()));
    assertThat(snapshots).as("the run's dataset snapshot").hasSize(1);
    assertThat(snapshots.get(0).lines().count()).isGreaterThan(50);
    assertThat(snapshots.get(0).lines().filter(line -> janesLines.stream()
        .anyMatch(j -> line.contains(j[0]) && line.contains(j[1])))).as("erased lines left").isEmpty();
  }
}
