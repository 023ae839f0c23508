package io.intentpipeline.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.testing.TestStack;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** create_metrics_snapshot: period boundaries, what a snapshot freezes, replacing the same period. */
class CreateMetricsSnapshotIT {
  static TestStack stack;
  // Sunday 15 March 2026, 14:37 UTC.
  static final Instant AT = Instant.parse("2026-03-15T14:37:00Z");
  static int counter;

  @BeforeAll
  static void start() {
    stack = TestStack.create("snapshot");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @BeforeEach
  void empty() throws SQLException {
    try (Connection c = stack.connect(); var s = c.createStatement()) {
      s.execute("TRUNCATE ai_training_data, ai_metrics_snapshots CASCADE");
    }
  }

  private static void at(String instant, Row row) throws SQLException {
    try (Connection c = stack.connect()) {
      row.occurred(Instant.parse(instant)).insert(c);
    }
  }

  private static Row row() {
    return Row.of("snap-" + (++counter));
  }

  private static Map<String, Object> snapshot(String period, Instant at, String timeZone) throws SQLException {
    try (Connection c = stack.connect()) {
      if (timeZone != null) {
        try (var s = c.createStatement()) {
          s.execute("SET TIME ZONE '" + timeZone + "'");
        }
      }
      try (PreparedStatement s = c.prepareStatement("SELECT * FROM create_metrics_snapshot(?, ?)")) {
        s.setString(1, period);
        s.setObject(2, at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC), java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          return columns(rs);
        }
      }
    }
  }

  private static Map<String, Object> columns(ResultSet rs) throws SQLException {
    Map<String, Object> row = new HashMap<>();
    for (int k = 1; k <= rs.getMetaData().getColumnCount(); k++) {
      String name = rs.getMetaData().getColumnName(k);
      Object value = rs.getObject(k);
      if (value instanceof java.sql.Timestamp t) {
        value = t.toInstant();
      } else if (name.equals("metrics")) {
        value = Json.parseBody(rs.getString(k));
      }
      row.put(name, value);
    }
    return row;
  }

  private static Map<String, Object> stored(String period, String start) throws SQLException {
    try (Connection c = stack.connect(); PreparedStatement s = c.prepareStatement(
        "SELECT * FROM ai_metrics_snapshots WHERE period_type = ? AND period_start = ?::timestamptz")) {
      s.setString(1, period);
      s.setString(2, start);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).as("snapshot %s %s exists", period, start).isTrue();
        Map<String, Object> row = columns(rs);
        assertThat(rs.next()).isFalse();
        return row;
      }
    }
  }

  @Test
  void hourlyCoversTheLastCompleteHourIncludingItsStartOnly() throws Exception {
    at("2026-03-15T12:59:59.999999Z", row());
    at("2026-03-15T13:00:00Z", row().escalated(true).confidence(60));
    at("2026-03-15T13:59:59.999999Z", row().confidence(91));
    at("2026-03-15T14:00:00Z", row());

    Map<String, Object> s = snapshot("hourly", AT, null);

    assertThat(s.get("period_start")).isEqualTo(Instant.parse("2026-03-15T13:00:00Z"));
    assertThat(s.get("period_end")).isEqualTo(Instant.parse("2026-03-15T14:00:00Z"));
    assertThat(s).containsEntry("total_messages", 2).containsEntry("escalated", 1).containsEntry("ai_resolved", 1);
    assertThat((BigDecimal) s.get("escalation_rate")).isEqualByComparingTo("50.00");
    assertThat((BigDecimal) s.get("avg_confidence")).isEqualByComparingTo("75.50");
  }

  @Test
  void dailyWeeklyAndMonthlyAreTheLastCompleteUtcPeriodsWhateverTheSessionTimeZone() throws Exception {
    Map<String, Object> daily = snapshot("daily", AT, "Asia/Kolkata");
    Map<String, Object> weekly = snapshot("weekly", AT, "America/Los_Angeles");
    Map<String, Object> monthly = snapshot("monthly", AT, null);
    Map<String, Object> firstOfMonth = snapshot("monthly", Instant.parse("2026-03-01T00:00:00Z"), null);

    assertThat(daily.get("period_start")).isEqualTo(Instant.parse("2026-03-14T00:00:00Z"));
    assertThat(daily.get("period_end")).isEqualTo(Instant.parse("2026-03-15T00:00:00Z"));
    assertThat(weekly.get("period_start")).isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
    assertThat(weekly.get("period_end")).isEqualTo(Instant.parse("2026-03-09T00:00:00Z"));
    assertThat(monthly.get("period_start")).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
    assertThat(monthly.get("period_end")).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
    assertThat(firstOfMonth.get("period_start")).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
  }

  @Test
  void theColumnsAreTheFiguresOfTheFrozenMetrics() throws Exception {
    at("2026-03-14T08:00:00Z", row().detected("alpha").correct("bravo").confidence(40));
    at("2026-03-14T09:00:00Z", row().detected("alpha").correct("alpha").confidence(80).escalated(true));
    at("2026-03-14T10:00:00Z", row().detected("bravo").confidence(null));
    at("2026-03-14T11:00:00Z", row().detected("bravo").confidence(70));

    Map<String, Object> s = snapshot("daily", AT, null);

    JsonNode m = (JsonNode) s.get("metrics");
    assertThat(s).containsEntry("total_messages", 4).containsEntry("escalated", 1).containsEntry("ai_resolved", 3);
    assertThat((BigDecimal) s.get("escalation_rate")).isEqualByComparingTo("25.00");
    assertThat((BigDecimal) s.get("avg_confidence")).isEqualByComparingTo("63.33");
    assertThat((BigDecimal) s.get("intent_accuracy")).isEqualByComparingTo("50.00");
    assertThat((BigDecimal) s.get("misclassification_rate")).isEqualByComparingTo("50.00");
    assertThat((BigDecimal) s.get("correction_rate")).isEqualByComparingTo("25.00");
    assertThat(m.get("total_messages").asInt()).isEqualTo(4);
    assertThat(m.get("top_intents").get("alpha").asInt()).isEqualTo(2);
    assertThat(m.get("top_misclassified").get(0).get("correct_intent").asText()).isEqualTo("bravo");
  }

  @Test
  void aSnapshotStaysAsTakenWhenTheDataChangesLater() throws Exception {
    at("2026-03-15T13:10:00Z", row().confidence(50));
    at("2026-03-15T13:20:00Z", row().confidence(70));
    Map<String, Object> taken = snapshot("hourly", AT, null);

    at("2026-03-15T13:30:00Z", row().escalated(true));
    try (Connection c = stack.connect(); var s = c.createStatement()) {
      s.execute("UPDATE ai_training_data SET escalated = TRUE, confidence_score = 0");
    }
    Map<String, Object> later = stored("hourly", "2026-03-15T13:00:00Z");

    assertThat(later).isEqualTo(taken);
    assertThat(later).containsEntry("total_messages", 2).containsEntry("escalated", 0);
  }

  @Test
  void takingTheSamePeriodAgainReplacesItAndLeavesTheOthers() throws Exception {
    at("2026-03-15T13:10:00Z", row());
    at("2026-03-14T10:00:00Z", row());
    Map<String, Object> daily = snapshot("daily", AT, null);
    Map<String, Object> first = snapshot("hourly", AT, null);
    Map<String, Object> previousHour = snapshot("hourly", AT.minusSeconds(3600), null);
    at("2026-03-15T13:50:00Z", row().escalated(true));

    Map<String, Object> again = snapshot("hourly", AT.plusSeconds(600), null);

    assertThat(again.get("id")).isEqualTo(first.get("id"));
    assertThat(again).containsEntry("total_messages", 2).containsEntry("escalated", 1);
    assertThat(stored("hourly", "2026-03-15T13:00:00Z")).isEqualTo(again);
    assertThat(stored("hourly", "2026-03-15T12:00:00Z")).isEqualTo(previousHour);
    assertThat(stored("daily", "2026-03-14T00:00:00Z")).isEqualTo(daily);
    try (Connection c = stack.connect(); var s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM ai_metrics_snapshots")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(3);
    }
  }

  @Test
  void unknownPeriodsAndMissingTimesAreRefused() {
    for (String period : new String[] {"yearly", "HOURLY", null}) {
      assertThatThrownBy(() -> snapshot(period, AT, null))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"));
    }
    assertThatThrownBy(() -> snapshot("daily", null, null))
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"));
  }
}
