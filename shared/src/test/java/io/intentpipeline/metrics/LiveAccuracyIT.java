package io.intentpipeline.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.storage.Database;
import io.intentpipeline.testing.TestStackExtension;
import io.intentpipeline.testing.TrainingRows;
import io.intentpipeline.testing.TrainingRows.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * db/V8: the live accuracy of the metrics, estimated from the reviewed rows of the audit sample
 * alone, with its Wilson score interval, beside the seed's intent_accuracy from every reviewed row;
 * in the live metrics and in the snapshots.
 */
class LiveAccuracyIT {
  @RegisterExtension
  static final TestStackExtension STACK = TestStackExtension.withDatabase("liveaccuracy").emptyingTrainingRows();

  private static double[] wilson(Connection c, int successes, int trials) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT low, high FROM ai_wilson_interval(?, ?)")) {
      s.setInt(1, successes);
      s.setInt(2, trials);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        double low = rs.getDouble(1);
        return rs.wasNull() ? null : new double[] {low, rs.getDouble(2)};
      }
    }
  }

  private static JsonNode metrics(Connection c, String from, String to) throws Exception {
    try (PreparedStatement s = c.prepareStatement("SELECT ai_training_metrics_between(?::timestamptz,"
        + " ?::timestamptz)::text")) {
      s.setString(1, from);
      s.setString(2, to);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return Json.MAPPER.readTree(rs.getString(1));
      }
    }
  }

  @Test
  void theWilsonIntervalMatchesPublishedValues() throws Exception {
    // Newcombe (1998), Statistics in Medicine 17:857-872, table I, method 3 (score, no continuity
    // correction); the extremes from the closed form (0 of n: [0, z^2/(n+z^2)]).
    try (Connection c = STACK.stack().connect()) {
      assertThat(wilson(c, 81, 263)).containsExactly(new double[] {0.2553, 0.3662}, offset());
      assertThat(wilson(c, 15, 148)).containsExactly(new double[] {0.0624, 0.1605}, offset());
      assertThat(wilson(c, 0, 20)).containsExactly(new double[] {0.0, 0.1611}, offset());
      assertThat(wilson(c, 1, 29)).containsExactly(new double[] {0.0061, 0.1718}, offset());
      assertThat(wilson(c, 29, 29)).containsExactly(new double[] {0.8830, 1.0}, offset());
      assertThat(wilson(c, 5, 10)).containsExactly(new double[] {0.2366, 0.7634}, offset());
      assertThat(wilson(c, 0, 0)).isNull();
      for (int[] bad : new int[][] {{3, 2}, {-1, 5}, {1, -1}}) {
        assertThatThrownBy(() -> wilson(c, bad[0], bad[1]))
            .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"));
      }
    }
  }

  private static org.assertj.core.data.Offset<Double> offset() {
    return org.assertj.core.data.Offset.offset(0.00005);
  }

  @Test
  void theLiveAccuracyComesFromTheReviewedAuditedRowsOfTheWindowAlone() throws Exception {
    // Arrange, in the window: 40 audited rows, 30 of them reviewed (27 right, 3 wrong), and 20
    // rows the review queue served (low confidence: 6 right, 14 wrong); outside it, audited rows
    // all wrong. The seed's figure sees 33 right of 50; the audit sample 27 of 30.
    Instant from = Instant.parse("2026-03-01T00:00:00Z");
    Instant at = from.plus(3, ChronoUnit.HOURS);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      var row = Row.detected("card_arrival").confidence(60 + i).at(at).audited(true);
      rows.add(i < 27 ? row.correct("card_arrival") : i < 30 ? row.correct("card_linking") : row);
    }
    for (int i = 0; i < 20; i++) {
      rows.add(Row.detected("card_linking").confidence(10 + i).at(at).correct(i < 6 ? "card_linking" : "pin_blocked"));
    }
    for (int i = 0; i < 5; i++) {
      rows.add(Row.detected("card_arrival").at(from.minusSeconds(1)).audited(true).correct("pin_blocked"));
      rows.add(Row.detected("card_arrival").at(from.plus(1, ChronoUnit.DAYS)).audited(true).correct("pin_blocked"));
    }
    try (Connection c = STACK.stack().connect()) {
      TrainingRows.insert(c, rows);

      // Act
      JsonNode m = metrics(c, "2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z");
      double[] interval = wilson(c, 27, 30);

      // Assert: the seed's figure is unchanged and labelled; the live accuracy is 27 / 30
      assertThat(m.path("reviewed").asInt()).isEqualTo(50);
      assertThat(m.path("intent_accuracy").decimalValue()).isEqualByComparingTo("66.00");
      assertThat(m.path("intent_accuracy_basis").asText()).startsWith("all reviewed rows (biased toward hard cases");
      JsonNode live = m.path("live_accuracy");
      assertThat(live.path("audited").asInt()).isEqualTo(40);
      assertThat(live.path("audited_reviewed").asInt()).isEqualTo(30);
      assertThat(live.path("correct").asInt()).isEqualTo(27);
      assertThat(live.path("estimate").decimalValue()).isEqualByComparingTo("0.9");
      // 27 of 30: [0.7438, 0.9654] (closed form: centre 0.8546, half-width 0.1108)
      assertThat(live.path("low").decimalValue()).isEqualByComparingTo("0.7438");
      assertThat(live.path("high").decimalValue()).isEqualByComparingTo("0.9654");
      assertThat(interval).containsExactly(new double[] {0.7438, 0.9654}, offset());
      assertThat(live.path("confidence_level").decimalValue()).isEqualByComparingTo("0.95");
      assertThat(live.path("basis").asText()).contains("audit sample").contains("unbiased")
          .contains("95 % Wilson score interval");
      // Never in exponent form, once read and written again as the functions do
      assertThat(Json.write(live)).doesNotContainPattern("[0-9][eE][+-]?[0-9]");
    }
  }

  @Test
  void withoutAReviewedAuditedRowThereIsNoEstimateAndTheMetricsSaySo() throws Exception {
    Instant at = Instant.parse("2026-03-01T03:00:00Z");
    try (Connection c = STACK.stack().connect()) {
      TrainingRows.insert(c, List.of(
          Row.detected("card_arrival").at(at).audited(true),
          Row.detected("card_arrival").at(at).correct("card_linking")));

      JsonNode m = metrics(c, "2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z");

      JsonNode live = m.path("live_accuracy");
      assertThat(m.path("intent_accuracy").decimalValue()).isEqualByComparingTo("0");
      assertThat(live.path("audited").asInt()).isEqualTo(1);
      assertThat(live.path("audited_reviewed").asInt()).isZero();
      assertThat(live.path("estimate").isNull()).isTrue();
      assertThat(live.path("low").isNull()).isTrue();
      assertThat(live.path("high").isNull()).isTrue();
      assertThat(live.path("basis").asText()).contains("no row of the audit sample").contains("no estimate");
    }
  }

  @Test
  void theLiveMetricsAndTheSnapshotsCarryIt() throws Exception {
    // Arrange: yesterday, 4 audited rows reviewed, all right
    Instant yesterday = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(12, ChronoUnit.HOURS);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      rows.add(Row.detected("card_arrival").at(yesterday).audited(true).correct("card_arrival"));
    }
    try (Connection c = STACK.stack().connect()) {
      TrainingRows.insert(c, rows);
    }
    var service = new MetricsService(STACK.database());

    // Act
    JsonNode live = service.live(48);
    Snapshot snapshot = service.snapshot(PeriodType.DAILY, Instant.now());

    // Assert: 4 of 4, [0.5101, 1]; written as numbers in plain notation
    assertThat(live.path("live_accuracy").path("estimate").decimalValue()).isEqualByComparingTo("1");
    assertThat(live.path("live_accuracy").path("low").decimalValue()).isEqualByComparingTo("0.5101");
    JsonNode frozen = snapshot.metrics().path("live_accuracy");
    assertThat(frozen.path("audited_reviewed").asInt()).isEqualTo(4);
    assertThat(frozen.path("high").decimalValue()).isEqualByComparingTo("1");
    assertThat(Json.write(snapshot)).contains("\"live_accuracy\":{").doesNotContain("\"estimate\":1E")
        .doesNotContainPattern("\"(estimate|low|high|confidence_level)\":[0-9.]+[eE]");
  }

  @Test
  void theAuditFiguresReadTheirOwnIndex() throws Exception {
    // The window's audited rows are read from ai_training_data_audit_idx (db/V8), never by a pass
    // over the table: with sequential scans priced out, the plan still needs no other access path.
    Database database = STACK.database();
    String plan = database.run(c -> {
      try (var s = c.createStatement()) {
        s.execute("SET enable_seqscan = off");
        StringBuilder text = new StringBuilder();
        try (ResultSet rs = s.executeQuery("EXPLAIN SELECT count(*), count(intent_correct),"
            + " count(*) FILTER (WHERE intent_correct) FROM ai_training_data WHERE review_reason = 'audit'"
            + " AND occurred_at >= now() - interval '1 day' AND occurred_at < now()")) {
          while (rs.next()) {
            text.append(rs.getString(1)).append('\n');
          }
        } finally {
          s.execute("RESET enable_seqscan");
        }
        return text.toString();
      }
    });

    assertThat(plan).contains("ai_training_data_audit_idx").doesNotContain("Seq Scan");
  }
}
