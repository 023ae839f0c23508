package io.intentpipeline.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TrainingRows;
import io.intentpipeline.testing.TrainingRows.Row;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ai_training_data_counts (V4) must always sum to a fresh count of ai_training_data, whatever
 * writes, compactions and concurrency, and writers must never deadlock on it.
 */
class DatasetCountsIT {
  private static final String[] INTENTS = {"card_arrival", "card_linking", "exchange_rate", "pin_blocked", "age_limit"};
  private static final String[] STATUSES = {"pending", "reviewed", "approved", "rejected", "used_in_training"};
  private static final String[] SOURCES = {"live", "imported", "synthetic"};
  static TestStack stack;

  @BeforeAll
  static void start() {
    stack = TestStack.create("datasetcounts");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @BeforeEach
  void empty() throws SQLException {
    try (Connection c = stack.connect()) {
      TrainingRows.clear(c);
    }
  }

  /** Rows of the recount missing from the counters plus counters missing from the recount. */
  private static long differences(Connection c) throws SQLException {
    String recount = "SELECT detected_intent::text, correct_intent::text, source, dataset_status, corrected_by_human,"
        + " count(*) AS n FROM ai_training_data GROUP BY 1, 2, 3, 4, 5";
    String counters = "SELECT detected_intent, correct_intent, source, dataset_status, corrected_by_human, sum(n)"
        + " FROM ai_training_data_counts GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0";
    try (var s = c.createStatement(); var rs = s.executeQuery("SELECT (SELECT count(*) FROM ((" + recount
        + ") EXCEPT (" + counters + ")) a) + (SELECT count(*) FROM ((" + counters + ") EXCEPT (" + recount + ")) b)"
        + " + (SELECT count(*) FROM (SELECT sum(n) AS n FROM ai_training_data_counts GROUP BY detected_intent,"
        + " correct_intent, source, dataset_status, corrected_by_human) s WHERE n < 0)")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long total(Connection c) throws SQLException {
    try (var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM ai_training_data")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Row randomRow(Random random) {
    return Row.detected(random.nextInt(10) == 0 ? null : INTENTS[random.nextInt(INTENTS.length)])
        .correct(random.nextInt(4) == 0 ? INTENTS[random.nextInt(INTENTS.length)] : null)
        .source(SOURCES[random.nextInt(SOURCES.length)])
        .status(STATUSES[random.nextInt(STATUSES.length)]);
  }

  /** One random writing statement, as the functions and admins issue them. */
  private static void randomWrite(Connection c, Random random, List<UUID> ids) throws SQLException {
    int op = random.nextInt(8);
    if (op == 0 || ids.isEmpty()) {
      List<Row> rows = new ArrayList<>();
      for (int i = random.nextInt(30) + 1; i > 0; i--) {
        rows.add(randomRow(random));
      }
      ids.addAll(TrainingRows.insert(c, rows));
      return;
    }
    UUID id = ids.get(random.nextInt(ids.size()));
    switch (op) {
      case 1 -> { // a correction through the SQL function
        try (var s = c.prepareStatement("SELECT submit_intent_correction(?, ?)")) {
          s.setObject(1, id);
          s.setString(2, INTENTS[random.nextInt(INTENTS.length)]);
          s.execute();
        }
      }
      case 2 -> { // many rows change status in one statement
        try (var s = c.prepareStatement("UPDATE ai_training_data SET dataset_status = ? WHERE id = ANY (?)")) {
          s.setString(1, STATUSES[random.nextInt(STATUSES.length)]);
          s.setArray(2, c.createArrayOf("uuid", ids.stream().filter(x -> random.nextInt(4) == 0).toArray()));
          s.executeUpdate();
        }
      }
      case 3 -> { // a change of no counted column
        try (var s = c.prepareStatement("UPDATE ai_training_data SET ai_response = 'edited' WHERE id = ?")) {
          s.setObject(1, id);
          s.executeUpdate();
        }
      }
      case 4 -> { // the detected intent itself changes (e.g. a backfill)
        try (var s = c.prepareStatement("UPDATE ai_training_data SET detected_intent = ?, source = ? WHERE id = ?")) {
          s.setString(1, INTENTS[random.nextInt(INTENTS.length)]);
          s.setString(2, SOURCES[random.nextInt(SOURCES.length)]);
          s.setObject(3, id);
          s.executeUpdate();
        }
      }
      case 5 -> { // deletes
        try (var s = c.prepareStatement("DELETE FROM ai_training_data WHERE id = ?")) {
          s.setObject(1, id);
          s.executeUpdate();
          ids.remove(id);
        }
      }
      case 6 -> compact(c, 0);
      default -> { // a redelivered interaction: stored once
        try (var s = c.prepareStatement("INSERT INTO ai_training_data (interaction_id, user_message)"
            + " SELECT interaction_id, user_message FROM ai_training_data WHERE id = ?"
            + " ON CONFLICT (interaction_id) DO NOTHING")) {
          s.setObject(1, id);
          s.executeUpdate();
        }
      }
    }
  }

  private static long compact(Connection c, int minRows) throws SQLException {
    try (var s = c.prepareStatement("SELECT ai_training_data_counts_compact(?)")) {
      s.setInt(1, minRows);
      try (var rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long counterRows(Connection c) throws SQLException {
    try (var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM ai_training_data_counts")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void countersEqualARecountAfterEveryKindOfWrite() throws SQLException {
    var random = new Random(4L);
    List<UUID> ids = new ArrayList<>();
    try (Connection c = stack.connect()) {
      for (int step = 0; step < 300; step++) {
        randomWrite(c, random, ids);

        assertThat(differences(c)).as("after step %d", step).isZero();
      }
      assertThat(total(c)).isPositive();
    }
  }

  @Test
  void truncatingEvenByCascadeEmptiesTheCounters() throws SQLException {
    try (Connection c = stack.connect(); var s = c.createStatement()) {
      TrainingRows.insert(c, List.of(randomRow(new Random(1)), randomRow(new Random(2))));

      s.execute("TRUNCATE ai_training_runs CASCADE");

      assertThat(total(c)).isZero();
      assertThat(differences(c)).isZero();
      try (var rs = s.executeQuery("SELECT count(*) FROM ai_training_data_counts")) {
        rs.next();
        assertThat(rs.getLong(1)).isZero();
      }
    }
  }

  @Test
  void concurrentWritersNeitherDeadlockNorLoseACount() throws Exception {
    // Arrange: each writer owns its rows, so only the shared counters could make them collide;
    // inserts run as several statements in one transaction, the case in-place counters deadlock on
    ExecutorService pool = Executors.newFixedThreadPool(5);
    List<Future<?>> writers = new ArrayList<>();
    var done = new java.util.concurrent.atomic.AtomicBoolean();
    Future<?> compactor = pool.submit(() -> {
      try (Connection c = stack.connect()) {
        while (!done.get()) {
          compact(c, 0);
        }
      }
      return null;
    });

    // Act
    for (int w = 0; w < 4; w++) {
      long seed = w;
      writers.add(pool.submit(() -> {
        var random = new Random(seed);
        List<UUID> ids = new ArrayList<>();
        try (Connection c = stack.connect()) {
          for (int step = 0; step < 150; step++) {
            randomWriteOwnRows(c, random, ids);
          }
        }
        return null;
      }));
    }
    for (Future<?> writer : writers) {
      writer.get(); // a deadlock (40P01) would surface here as an exception
    }
    done.set(true);
    compactor.get();
    pool.shutdown();

    // Assert
    try (Connection c = stack.connect()) {
      assertThat(total(c)).isPositive();
      assertThat(differences(c)).isZero();
    }
  }

  private static void randomWriteOwnRows(Connection c, Random random, List<UUID> ids) throws SQLException {
    if (random.nextInt(3) == 0 || ids.isEmpty()) {
      List<Row> rows = new ArrayList<>();
      for (int i = random.nextInt(40) + 1; i > 0; i--) {
        rows.add(randomRow(random));
      }
      ids.addAll(TrainingRows.insert(c, rows));
    } else if (random.nextBoolean()) {
      try (var s = c.prepareStatement("UPDATE ai_training_data SET dataset_status = ? WHERE id = ANY (?)")) {
        s.setString(1, STATUSES[random.nextInt(STATUSES.length)]);
        s.setArray(2, c.createArrayOf("uuid", ids.stream().filter(x -> random.nextInt(3) == 0).toArray()));
        s.executeUpdate();
      }
    } else {
      UUID id = ids.remove(random.nextInt(ids.size()));
      try (var s = c.prepareStatement("DELETE FROM ai_training_data WHERE id = ?")) {
        s.setObject(1, id);
        s.executeUpdate();
      }
    }
  }

  @Test
  void compactionFoldsTheDeltasIntoOneRowPerKey() throws SQLException {
    try (Connection c = stack.connect()) {
      var random = new Random(12);
      List<UUID> ids = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        randomWrite(c, random, ids);
      }
      long before = counterRows(c);

      long skipped = compact(c, (int) before + 1);
      long kept = compact(c, 0);

      assertThat(skipped).isZero();
      assertThat(kept).isEqualTo(counterRows(c)).isLessThan(before);
      assertThat(differences(c)).isZero();
    }
  }

  @Test
  void theRebuildCountsWhatIsStored() throws SQLException {
    try (Connection c = stack.connect(); var s = c.createStatement()) {
      var random = new Random(9);
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        rows.add(randomRow(random));
      }
      TrainingRows.insert(c, rows);
      s.execute("INSERT INTO ai_training_data_counts (source, dataset_status, corrected_by_human, n)"
          + " VALUES ('live', 'pending', false, 7)"); // drifted

      try (var rs = s.executeQuery("SELECT ai_training_data_counts_rebuild()")) {
        rs.next();
      }

      assertThat(differences(c)).isZero();
    }
  }
}
