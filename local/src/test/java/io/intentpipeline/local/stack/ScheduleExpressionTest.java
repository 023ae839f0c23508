package io.intentpipeline.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleExpressionTest {
  private static Instant next(String expression, String after) {
    return ScheduleExpression.parse(expression).nextAfter(Instant.parse(after)).orElseThrow();
  }

  @Test
  void hourlySnapshotFiresFiveMinutesPastEachHour() {
    assertThat(next("cron(5 * * * ? *)", "2026-03-02T14:04:59Z")).isEqualTo("2026-03-02T14:05:00Z");
    assertThat(next("cron(5 * * * ? *)", "2026-03-02T14:05:00Z")).isEqualTo("2026-03-02T15:05:00Z");
    assertThat(next("cron(5 * * * ? *)", "2026-12-31T23:30:00Z")).isEqualTo("2027-01-01T00:05:00Z");
  }

  @Test
  void weeklySnapshotFiresOnMondaysAndMonthlyOnTheFirst() {
    // 2026-03-04 is a Wednesday.
    assertThat(next("cron(30 0 ? * MON *)", "2026-03-04T10:00:00Z")).isEqualTo("2026-03-09T00:30:00Z");
    assertThat(next("cron(30 0 ? * 2 *)", "2026-03-04T10:00:00Z")).isEqualTo("2026-03-09T00:30:00Z");
    assertThat(next("cron(45 0 1 * ? *)", "2026-03-01T00:45:00Z")).isEqualTo("2026-04-01T00:45:00Z");
    assertThat(next("cron(15 0 * * ? *)", "2026-03-01T00:14:00Z")).isEqualTo("2026-03-01T00:15:00Z");
  }

  @Test
  void supportsRangesStepsListsAndTheSpecialDays() {
    assertThat(next("cron(0/15 9-17 ? * MON-FRI *)", "2026-03-06T17:50:00Z")).isEqualTo("2026-03-09T09:00:00Z");
    assertThat(next("cron(0 8,20 * * ? *)", "2026-03-06T09:00:00Z")).isEqualTo("2026-03-06T20:00:00Z");
    assertThat(next("cron(0 12 L * ? *)", "2026-02-01T00:00:00Z")).isEqualTo("2026-02-28T12:00:00Z");
    assertThat(next("cron(0 12 ? * 6L *)", "2026-03-01T00:00:00Z")).isEqualTo("2026-03-27T12:00:00Z");
    assertThat(next("cron(0 12 ? * 2#1 *)", "2026-03-03T00:00:00Z")).isEqualTo("2026-04-06T12:00:00Z");
    // 2026-03-01 is a Sunday: the nearest weekday to the 1st within March is Monday the 2nd.
    assertThat(next("cron(0 12 1W * ? *)", "2026-02-15T00:00:00Z")).isEqualTo("2026-03-02T12:00:00Z");
    assertThat(next("cron(0 0 1 JAN ? 2027)", "2026-03-01T00:00:00Z")).isEqualTo("2027-01-01T00:00:00Z");
    assertThat(ScheduleExpression.parse("cron(0 0 1 JAN ? 2020)").nextAfter(Instant.parse("2026-03-01T00:00:00Z")))
        .isEmpty();
  }

  @Test
  void rateExpressionsHaveAFixedPeriod() {
    assertThat(ScheduleExpression.parse("rate(1 minute)").rate()).contains(Duration.ofMinutes(1));
    assertThat(ScheduleExpression.parse("rate(6 hours)").rate()).contains(Duration.ofHours(6));
    assertThat(next("rate(2 days)", "2026-03-01T10:00:00Z")).isEqualTo("2026-03-03T10:00:00Z");
  }

  @Test
  void refusesWhatEventBridgeRefuses() {
    assertThatThrownBy(() -> ScheduleExpression.parse("rate(1 minutes)")).hasMessageContaining("singular");
    assertThatThrownBy(() -> ScheduleExpression.parse("rate(5 minute)")).hasMessageContaining("plural");
    assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 12 * * MON *)")).hasMessageContaining("exactly one of");
    assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 12 * *)")).hasMessageContaining("6 fields");
    assertThatThrownBy(() -> ScheduleExpression.parse("cron(61 12 * * ? *)")).hasMessageContaining("61 is out of 0-59");
    assertThatThrownBy(() -> ScheduleExpression.parse("every hour")).hasMessageContaining("neither rate");
  }
}
