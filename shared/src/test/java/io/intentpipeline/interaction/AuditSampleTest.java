package io.intentpipeline.interaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The audit pick: its documented hash, its share, its idempotence, and live traffic only. */
class AuditSampleTest {
  private static final AuditSample TWO_PERCENT = new AuditSample(AuditSample.DEFAULT_SHARE);

  private static Interaction interaction(String id, String source) {
    return new Interaction(id, "where is my parcel?", "order_status", 42, null, false, null, null, null, null,
        null, List.of(), Instant.parse("2026-11-27T14:05:00Z"), source);
  }

  @Test
  void theFractionIsTheFirst52BitsOfTheSha256OfTheId() {
    // Computed independently: int(sha256(id).hexdigest()[:13], 16) / 16**13 (and the same in SQL,
    // see docs/REVIEW_AND_METRICS.md).
    assertThat(AuditSample.fraction("orc-7f3a9c2e-0001")).isEqualTo(0.20132897999213184);
    assertThat(AuditSample.fraction("orc-7f3a9c2e-0050")).isEqualTo(0.00273097580223558);
    assertThat(AuditSample.fraction("3f1c2a9e-5b7d-4e21-9c3a-8d2f6b1e4a70")).isEqualTo(0.9649576745564361);
  }

  @Test
  void aboutTheShareOfOneHundredThousandIdsIsPicked() {
    // Sequential ids (the shape an orchestrator's counter gives) and random UUIDs (seeded): the hash
    // spreads both. Binomial(100,000, p): a standard deviation of 44 picks at 2 %, of 95 at 10 %.
    var random = new Random(2L);
    for (double share : new double[] {0.02, 0.1, 0.5}) {
      var audit = new AuditSample(share);
      long sequential = IntStream.range(0, 100_000)
          .filter(i -> audit.picks(interaction("orc-7f3a9c2e-" + i, "live"))).count();
      long uuids = IntStream.range(0, 100_000)
          .filter(i -> audit.picks(interaction(new UUID(random.nextLong(), random.nextLong()).toString(), "live"))).count();
      double sd = Math.sqrt(100_000 * share * (1 - share));
      assertThat((double) sequential).as("sequential ids at %s", share).isCloseTo(100_000 * share, within(5 * sd));
      assertThat((double) uuids).as("UUIDs at %s", share).isCloseTo(100_000 * share, within(5 * sd));
    }
  }

  @Test
  void theSameIdIsAlwaysDecidedTheSame() {
    // A retried or duplicated message carries the same id: the same decision, in any instance.
    for (int i = 0; i < 10_000; i++) {
      String id = "orc-" + i;
      boolean first = TWO_PERCENT.picks(interaction(id, "live"));
      assertThat(new AuditSample(AuditSample.DEFAULT_SHARE).picks(interaction(id, "live"))).isEqualTo(first);
      assertThat(TWO_PERCENT.reviewReason(interaction(id, "live"))).isEqualTo(first ? "audit" : null);
    }
    assertThat(TWO_PERCENT.picks(interaction("orc-7f3a9c2e-0050", "live"))).isTrue();
    assertThat(TWO_PERCENT.picks(interaction("orc-7f3a9c2e-0001", "live"))).isFalse();
  }

  @Test
  void onlyLiveInteractionsAreAudited() {
    var everything = new AuditSample(1);

    assertThat(everything.picks(interaction("orc-1", "live"))).isTrue();
    assertThat(everything.picks(interaction("orc-1", "imported"))).isFalse();
    assertThat(everything.picks(interaction("orc-1", "synthetic"))).isFalse();
    assertThat(AuditSample.NONE.picks(interaction("orc-7f3a9c2e-0050", "live"))).isFalse();
  }

  @Test
  void theShareIsAFractionOfOne() {
    assertThatThrownBy(() -> new AuditSample(1.01)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AuditSample(-0.01)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AuditSample(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }
}
