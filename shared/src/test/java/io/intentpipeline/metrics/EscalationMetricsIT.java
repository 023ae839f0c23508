package io.intentpipeline.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.testing.TestStackExtension;
import io.intentpipeline.testing.TrainingRows;
import io.intentpipeline.testing.TrainingRows.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The live metrics' {@code escalation} (docs/ANSWER_ACTIONS.md): the rate the orchestrator saw, the
 * rates the model in service predicts (its run's answer policy), and how many escalated and
 * clarified messages turned out, once reviewed, to be an intent the bot knows.
 */
class EscalationMetricsIT {
  @RegisterExtension
  static final TestStackExtension STACK = TestStackExtension.withDatabase("escalationmetrics").emptyingTrainingRows();

  @org.junit.jupiter.api.BeforeEach
  void noRuns() throws Exception {
    try (Connection c = STACK.stack().connect(); var s = c.createStatement()) {
      s.execute("TRUNCATE ai_training_runs CASCADE");
    }
  }

  @Test
  void theLiveMetricsSayWhatWasEscalatedWhatTheModelPredictsAndWhatReviewsFound() throws Exception {
    // Arrange, in the last hour: 20 messages; 5 escalated (4 reviewed: 3 a known intent, 1 out of
    // scope under the serving run's name "oos"), 2 clarified (both reviewed, a known intent), 13
    // answered. A deployed run whose answer policy predicts 10 % escalated and 4 % clarified.
    Instant at = Instant.now().minusSeconds(600);
    List<Row> rows = new ArrayList<>();
    rows.add(Row.detected("card_arrival").at(at).escalated(true).correct("card_arrival"));
    rows.add(Row.detected("card_arrival").at(at).escalated(true).correct("card_linking"));
    rows.add(Row.detected("pin_blocked").at(at).escalated(true).correct("pin_blocked"));
    rows.add(Row.detected("pin_blocked").at(at).escalated(true).correct("oos"));
    rows.add(Row.detected("pin_blocked").at(at).escalated(true));
    rows.add(Row.detected("card_arrival").at(at).responseSource("clarify").correct("card_linking"));
    rows.add(Row.detected("card_linking").at(at).responseSource("clarify").correct("card_linking"));
    for (int i = 0; i < 13; i++) {
      rows.add(Row.detected("card_arrival").at(at));
    }
    // Outside the window: not counted.
    rows.add(Row.detected("card_arrival").at(at.minusSeconds(3 * 3600)).escalated(true).correct("oos"));
    try (Connection c = STACK.stack().connect()) {
      TrainingRows.insert(c, rows);
      try (PreparedStatement s = c.prepareStatement("INSERT INTO ai_training_runs (run_name, status, deployed,"
          + " model_version, completed_at, parameters) VALUES ('r', 'completed', TRUE, 'intent_classifier_x', now(),"
          + " ?::jsonb)")) {
        s.setString(1, "{\"out_of_scope_intent\": \"oos\", \"answer\": {\"expected_escalate_share\": 0.1,"
            + " \"expected_clarify_share\": 0.04, \"on_test\": {\"escalate_share\": 0.125}}}");
        s.executeUpdate();
      }
    }

    // Act
    JsonNode m = new MetricsService(STACK.database()).live(2);

    // Assert
    JsonNode e = m.path("escalation");
    assertThat(m.path("escalation_rate").decimalValue()).isEqualByComparingTo("25");
    assertThat(e.path("seen_rate").decimalValue()).isEqualByComparingTo("25");
    assertThat(e.path("clarified").asInt()).isEqualTo(2);
    assertThat(e.path("clarify_rate").decimalValue()).isEqualByComparingTo("10");
    assertThat(e.path("model_version").asText()).isEqualTo("intent_classifier_x");
    assertThat(e.path("model_predicted_rate").decimalValue()).isEqualByComparingTo("10");
    assertThat(e.path("model_predicted_rate_on_test").decimalValue()).isEqualByComparingTo("12.5");
    assertThat(e.path("model_predicted_clarify_rate").decimalValue()).isEqualByComparingTo("4");
    assertThat(e.path("out_of_scope_intent").asText()).isEqualTo("oos");
    assertThat(e.path("escalated_reviewed").asInt()).isEqualTo(4);
    assertThat(e.path("escalated_known").asInt()).isEqualTo(3);
    assertThat(e.path("escalated_known_rate").decimalValue()).isEqualByComparingTo("75");
    assertThat(e.path("clarified_reviewed").asInt()).isEqualTo(2);
    assertThat(e.path("clarified_known_rate").decimalValue()).isEqualByComparingTo("100");
  }

  @Test
  void withoutADeployedModelOrTrafficTheFiguresAreNull() throws Exception {
    JsonNode e = new MetricsService(STACK.database()).live(1).path("escalation");

    assertThat(e.path("seen_rate").isNull()).isTrue();
    assertThat(e.path("model_predicted_rate").isNull()).isTrue();
    assertThat(e.path("out_of_scope_intent").asText()).isEqualTo("out_of_scope");
    assertThat(e.path("escalated_known_rate").isNull()).isTrue();
  }
}
