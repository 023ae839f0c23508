package io.intentpipeline.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.testing.TestStack;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetrainStateIT {
  static TestStack stack;
  static Database database;
  static RetrainState state;

  @BeforeAll
  static void start() {
    stack = TestStack.create("retrain");
    database = new Database(stack.databaseSettings(), "retrain-it");
    state = new RetrainState(database);
  }

  @AfterAll
  static void stop() {
    database.close();
    stack.close();
  }

  @BeforeEach
  void reset() throws SQLException {
    sql("TRUNCATE ai_training_data, ai_training_runs CASCADE");
    sql("UPDATE ai_retrain_state SET requested_at = NULL, new_samples = NULL");
  }

  private static void sql(String statement) throws SQLException {
    try (var c = stack.connect(); var s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private static int counter;

  private static void samples(int n) throws SQLException {
    int from = counter;
    counter += n;
    sql("INSERT INTO ai_training_data (interaction_id, user_message, detected_intent, confidence_score)"
        + " SELECT 's-' || g, 'message ' || g, 'greeting', 90 FROM generate_series(" + from + ", " + (counter - 1) + ") g");
  }

  private static void run(String status) throws SQLException {
    sql("INSERT INTO ai_training_runs (run_name, status, completed_at, started_at) VALUES ('r', '" + status
        + "', CASE WHEN '" + status + "' = 'running' THEN NULL ELSE now() END, clock_timestamp())");
  }

  @Test
  void nothingIsClaimedBelowTheThreshold() throws Exception {
    samples(99);

    assertThat(state.claim(100, 3600)).isEmpty();
  }

  @Test
  void theThresholdClaimsOnceAndTheOpenRequestBlocksTheNext() throws Exception {
    samples(100);

    Optional<RetrainState.Claim> first = state.claim(100, 3600);
    samples(150);
    Optional<RetrainState.Claim> second = state.claim(100, 3600);

    assertThat(first).hasValueSatisfying(c -> assertThat(c.newSamples()).isEqualTo(100));
    assertThat(second).isEmpty();
  }

  @Test
  void aCompletedRunClosesTheRequestAndCountingRestartsFromIt() throws Exception {
    samples(100);
    assertThat(state.claim(100, 3600)).isPresent();
    run("completed");

    Optional<RetrainState.Claim> tooFew = state.claim(100, 3600);
    samples(100);
    Optional<RetrainState.Claim> again = state.claim(100, 3600);

    assertThat(tooFew).isEmpty();
    assertThat(again).isPresent();
  }

  @Test
  void aFailedRunLeavesTheRequestOpenUntilItExpires() throws Exception {
    samples(100);
    assertThat(state.claim(100, 3600)).isPresent();
    run("failed");

    Optional<RetrainState.Claim> whileOpen = state.claim(100, 3600);
    sql("UPDATE ai_retrain_state SET requested_at = now() - interval '61 minutes'");
    Optional<RetrainState.Claim> afterExpiry = state.claim(100, 3600);

    assertThat(whileOpen).isEmpty();
    assertThat(afterExpiry).isPresent();
  }

  @Test
  void aReleasedRequestCanBeClaimedAgain() throws Exception {
    samples(100);
    RetrainState.Claim claim = state.claim(100, 3600).orElseThrow();

    state.release(claim);
    Optional<RetrainState.Claim> again = state.claim(100, 3600);

    assertThat(again).isPresent();
  }

  @Test
  void concurrentFlushesClaimExactlyOnce() throws Exception {
    samples(100);
    int flushes = 8;
    CyclicBarrier start = new CyclicBarrier(flushes);
    ExecutorService pool = Executors.newFixedThreadPool(flushes);
    List<Future<Optional<RetrainState.Claim>>> results = new ArrayList<>();
    List<Database> connections = new ArrayList<>();
    try {
      for (int k = 0; k < flushes; k++) {
        Database own = new Database(stack.databaseSettings(), "flush-" + k);
        connections.add(own);
        results.add(pool.submit(() -> {
          start.await();
          return new RetrainState(own).claim(100, 3600);
        }));
      }
      int claimed = 0;
      for (var f : results) {
        claimed += f.get().isPresent() ? 1 : 0;
      }

      assertThat(claimed).isEqualTo(1);
    } finally {
      pool.shutdownNow();
      connections.forEach(Database::close);
    }
  }
}
