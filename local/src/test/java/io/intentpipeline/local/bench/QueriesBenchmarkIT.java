package io.intentpipeline.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.local.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The benchmark runs end to end on a small table, measures every query and cleans up after itself. */
class QueriesBenchmarkIT {
  @Test
  void measuresEveryQueryOnASmallTable() {
    // Arrange
    var captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));

    // Act
    int exit;
    try {
      exit = Main.execute("benchmark", "queries", "--rows", "10000", "--calls", "2");
    } finally {
      System.setOut(original);
    }

    // Assert
    String output = captured.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(output).isZero();
    assertThat(output).contains("Filled 10,000 rows").containsPattern("Re-scored the newest [\\d,]+ rows waiting")
        .contains("GET /metrics?hours=24").contains("snapshot monthly").contains("GET /metrics/history")
        .contains("GET /intent-performance").contains("GET /dataset/stats").contains("GET /pending-review")
        .contains("GET /errors").contains("POST /correction").contains("GET /pending-review?reason=priority")
        .contains("order=smallest_margin")
        .contains("order=diverse, after 6,000 (tail)").contains("rescore: newest 1,000 after 2,500")
        .contains("indexes: ai_training_data_audit_queue_idx")
        .contains("indexes: ai_training_data_queue_confidence_idx").contains("indexes: ai_training_data_queue_margin_idx")
        .containsPattern("\\d+ of 29 queries have a median under 200 ms");
    var name = java.util.regex.Pattern.compile("database (ipt_test_bench_\\w+)").matcher(output);
    assertThat(name.find()).isTrue();
    try (var probe = io.intentpipeline.embedded.PostgresServer.shared().createDatabase("benchprobe");
         var c = probe.connect(); var s = c.prepareStatement("SELECT count(*) FROM pg_database WHERE datname = ?")) {
      s.setString(1, name.group(1));
      try (var rs = s.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).as("the benchmark's database is dropped").isZero();
      }
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void badOptionsAreAUsageError() {
    assertThat(Main.execute("benchmark", "queries", "--rows", "10")).isEqualTo(2);
  }
}
