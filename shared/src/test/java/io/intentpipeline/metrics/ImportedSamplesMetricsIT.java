package io.intentpipeline.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TrainingRows;
import io.intentpipeline.testing.TrainingRows.Row;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * V6: imported samples are training data, not conversations: the live metrics and the snapshots
 * leave them out, the dataset statistics count them.
 */
class ImportedSamplesMetricsIT {
  static TestStack stack;

  @BeforeAll
  static void start() {
    stack = TestStack.create("importedmetrics");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void importedSamplesInTheWindowChangeNoFigureOfTheMetrics() throws Exception {
    // Arrange: two live interactions (one escalated) and three imported samples, all in the window.
    Instant from = Instant.parse("2026-03-01T00:00:00Z");
    Instant at = from.plus(1, ChronoUnit.HOURS);
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, List.of(
          Row.detected("card_arrival").confidence(80).at(at),
          Row.detected("card_linking").confidence(40).escalated(true).at(at),
          Row.detected("top_up_failed").confidence(null).source("imported").status("approved").at(at),
          Row.detected("top_up_failed").confidence(null).source("imported").status("approved").at(at),
          Row.detected("exchange_rate").confidence(null).source("imported").status("approved").at(at)));
    }

    // Act
    JsonNode metrics;
    JsonNode stats;
    try (Connection c = stack.connect(); var s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT ai_training_metrics_between('2026-03-01T00:00:00Z',"
          + " '2026-03-02T00:00:00Z')::text")) {
        rs.next();
        metrics = Json.MAPPER.readTree(rs.getString(1));
      }
      try (ResultSet rs = s.executeQuery("SELECT ai_dataset_stats()::text")) {
        rs.next();
        stats = Json.MAPPER.readTree(rs.getString(1));
      }
    }

    // Assert: the figures of the two live interactions alone.
    assertThat(metrics.path("total_messages").asInt()).isEqualTo(2);
    assertThat(metrics.path("escalated").asInt()).isEqualTo(1);
    assertThat(metrics.path("escalation_rate").decimalValue()).isEqualByComparingTo("50.00");
    assertThat(metrics.path("avg_confidence").decimalValue()).isEqualByComparingTo("60.00");
    assertThat(Json.MAPPER.convertValue(metrics.path("top_intents"), java.util.Map.class))
        .containsOnlyKeys("card_arrival", "card_linking");
    assertThat(stats.path("total_samples").asInt()).isEqualTo(5);
    assertThat(stats.path("sources").path("imported").asInt()).isEqualTo(3);
  }
}
