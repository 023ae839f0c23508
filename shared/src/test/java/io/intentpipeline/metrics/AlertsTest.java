package io.intentpipeline.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Every threshold of the Monitoring section, on both sides of its limit and at it. */
class AlertsTest {
  private static JsonNode metrics(String accuracy, String escalation, String f1, String misclassification) {
    String model = f1 == null ? "null" : "{\"f1\": " + f1 + "}";
    return Json.parseBody("""
        {"intent_accuracy": %s, "escalation_rate": %s, "misclassification_rate": %s, "model": %s}
        """.formatted(accuracy, escalation, misclassification, model));
  }

  @Test
  void healthyFiguresRaiseNothing() {
    assertThat(Alerts.check(metrics("95.00", "10.00", "0.91", "5.00"))).isEmpty();
  }

  @Test
  void intentAccuracyAlertsStrictlyBelowSeventyPercent() {
    assertThat(Alerts.check(metrics("70.00", "0", "0.9", "0"))).isEmpty();

    var alerts = Alerts.check(metrics("69.99", "0", "0.9", "0"));

    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.metric()).isEqualTo("intent_accuracy");
      assertThat(a.value()).isEqualByComparingTo("69.99");
      assertThat(a.limit()).isEqualByComparingTo("70");
      assertThat(a.comparison()).isEqualTo("below");
      assertThat(a.message()).isEqualTo("Intent accuracy 69.99 % is below 70 %");
    });
  }

  @Test
  void escalationRateAlertsStrictlyAboveThirtyPercent() {
    assertThat(Alerts.check(metrics("90", "30.00", "0.9", "0"))).isEmpty();

    assertThat(Alerts.check(metrics("90", "30.01", "0.9", "0")))
        .singleElement().satisfies(a -> {
          assertThat(a.metric()).isEqualTo("escalation_rate");
          assertThat(a.value()).isEqualByComparingTo("30.01");
          assertThat(a.limit()).isEqualByComparingTo("30");
          assertThat(a.comparison()).isEqualTo("above");
        });
  }

  @Test
  void f1AlertsStrictlyBelowPointSeven() {
    assertThat(Alerts.check(metrics("90", "0", "0.7", "0"))).isEmpty();

    assertThat(Alerts.check(metrics("90", "0", "0.69", "0")))
        .singleElement().satisfies(a -> {
          assertThat(a.metric()).isEqualTo("f1");
          assertThat(a.unit()).isEqualTo("fraction");
          assertThat(a.value()).isEqualByComparingTo("0.69");
          assertThat(a.limit()).isEqualByComparingTo(new BigDecimal("0.70"));
        });
  }

  @Test
  void misclassificationAlertsStrictlyAboveFifteenPercent() {
    assertThat(Alerts.check(metrics("90", "0", "0.9", "15.00"))).isEmpty();

    assertThat(Alerts.check(metrics("90", "0", "0.9", "15.01")))
        .singleElement().satisfies(a -> assertThat(a.metric()).isEqualTo("misclassification_rate"));
  }

  @Test
  void figuresThatCannotBeComputedRaiseNothing() {
    assertThat(Alerts.check(metrics("null", "null", null, "null"))).isEmpty();
  }

  @Test
  void everyCrossedThresholdIsListedInAFixedOrder() {
    var alerts = Alerts.check(metrics("50", "40", "0.5", "50"));

    assertThat(alerts).extracting(Alert::metric)
        .containsExactly("intent_accuracy", "escalation_rate", "f1", "misclassification_rate");
  }
}
