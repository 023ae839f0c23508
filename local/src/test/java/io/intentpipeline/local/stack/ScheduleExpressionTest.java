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
  void nearestWeekdayAndLastWeekdayStayInTheirMonth() {
    // 2026-08-15 is a Saturday: 15W fires on Friday the 14th.
    assertThat(next("cron(0 12 15W * ? *)", "2026-08-01T00:00:00Z")).isEqualTo("2026-08-14T12:00:00Z");
    // 2026-08-01 is a Saturday: 1W does not go back to July 31st, it fires on Monday the 3rd.
    assertThat(next("cron(0 12 1W * ? *)", "2026-07-15T00:00:00Z")).isEqualTo("2026-08-03T12:00:00Z");
    // 2026-01-31 is a Saturday and 2026-05-31 a Sunday: LW fires on the Fridays before.
    assertThat(next("cron(0 12 LW * ? *)", "2026-01-01T00:00:00Z")).isEqualTo("2026-01-30T12:00:00Z");
    assertThat(next("cron(0 12 LW * ? *)", "2026-05-01T00:00:00Z")).isEqualTo("2026-05-29T12:00:00Z");
    assertThat(next("cron(0 12 L FEB ? *)", "2027-03-01T00:00:00Z")).isEqualTo("2028-02-29T12:00:00Z");
  }

  @Test
  void nthAndLastDayOfTheWeek() {
    // March 2026's Fridays are the 6th, 13th, 20th and 27th; its Sundays the 1st to the 29th.
    assertThat(next("cron(0 12 ? * 6#3 *)", "2026-03-01T00:00:00Z")).isEqualTo("2026-03-20T12:00:00Z");
    assertThat(next("cron(0 12 ? * 1L *)", "2026-03-01T00:00:00Z")).isEqualTo("2026-03-29T12:00:00Z");
    // A fifth Monday: none in April or May 2026, June's is the 29th; a fifth Friday: May 29th.
    assertThat(next("cron(0 12 ? * 2#5 *)", "2026-03-31T00:00:00Z")).isEqualTo("2026-06-29T12:00:00Z");
    assertThat(next("cron(0 12 ? * FRI#5 *)", "2026-03-01T00:00:00Z")).isEqualTo("2026-05-29T12:00:00Z");
    assertThat(next("cron(0 12 ? * SUN *)", "2026-03-02T00:00:00Z")).isEqualTo("2026-03-08T12:00:00Z");
    assertThat(next("cron(0 12 ? * 7 *)", "2026-03-02T00:00:00Z")).isEqualTo("2026-03-07T12:00:00Z");
  }

  @Test
  void yearsTakeRangesListsAndSteps() {
    assertThat(next("cron(0 0 29 FEB ? 2025-2030)", "2026-03-01T00:00:00Z")).isEqualTo("2028-02-29T00:00:00Z");
    assertThat(next("cron(0 0 1 JAN ? 2027,2029)", "2027-06-01T00:00:00Z")).isEqualTo("2029-01-01T00:00:00Z");
    // 2027-01-04 is the first Monday of 2027; 2027/2 is 2027, 2029, ...
    assertThat(next("cron(0 10 ? * MON 2027/2)", "2026-03-01T00:00:00Z")).isEqualTo("2027-01-04T10:00:00Z");
    assertThat(next("cron(0 10 1 JAN ? 2027/2)", "2027-01-01T10:00:00Z")).isEqualTo("2029-01-01T10:00:00Z");
    assertThat(ScheduleExpression.parse("cron(0 0 31 FEB ? *)").nextAfter(Instant.parse("2026-03-01T00:00:00Z")))
        .isEmpty();
  }

  @Test
  void refusesOtherFieldsEventBridgeRefuses() {
    assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 12 ? * ? *)")).hasMessageContaining("exactly one of");
    assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 12 ? * 2#6 *)")).hasMessageContaining("must be 1-5");
    assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 12 ? * 8 *)")).hasMessageContaining("8 is out of 1-7");
    assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 0 1 JAN ? 2200)"))
        .hasMessageContaining("2200 is out of 1970-2199");
    assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 12 ? * FRI-MON *)")).isInstanceOf(TemplateException.class);
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
