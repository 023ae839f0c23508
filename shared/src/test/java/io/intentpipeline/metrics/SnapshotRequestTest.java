package io.intentpipeline.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The time a schedule fired, and the request it completes. */
class SnapshotRequestTest {
  private static final Instant NOW = Instant.parse("2026-03-01T00:05:00Z");

  @Test
  void aScheduleFiresAtItsEventTime() {
    assertThat(SnapshotRequest.firedAt("2026-03-01T00:00:00Z", NOW)).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
    assertThat(SnapshotRequest.firedAt("2026-03-01T23:00:00Z", NOW)).as("ahead, within a day")
        .isEqualTo(Instant.parse("2026-03-01T23:00:00Z"));
  }

  @Test
  void aTimeThatIsNoSchedulesIsNow() {
    assertThat(SnapshotRequest.firedAt("", NOW)).isEqualTo(NOW);
    assertThat(SnapshotRequest.firedAt("yesterday", NOW)).isEqualTo(NOW);
    assertThat(SnapshotRequest.firedAt("1999-12-31T23:59:59Z", NOW)).as("before 2000").isEqualTo(NOW);
    assertThat(SnapshotRequest.firedAt("2026-03-02T00:05:01Z", NOW)).as("more than a day ahead").isEqualTo(NOW);
    assertThat(SnapshotRequest.firedAt("+1000000000-01-01T00:00:00Z", NOW)).isEqualTo(NOW);
  }

  @Test
  void aRequestWithoutATimeTakesTheFiringTime() {
    Instant fired = Instant.parse("2026-02-28T00:00:00Z");
    assertThat(new SnapshotRequest(PeriodType.DAILY, Optional.empty()).orAt(fired))
        .isEqualTo(new SnapshotRequest(PeriodType.DAILY, Optional.of(fired)));
    var explicit = new SnapshotRequest(PeriodType.DAILY, Optional.of(NOW));
    assertThat(explicit.orAt(fired)).isSameAs(explicit);
  }
}
