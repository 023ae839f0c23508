package io.intentpipeline.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.dataset.TrainingSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScaleDataTest {
  static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  /** 30 texts of 3 intents, without digits (the run's near-duplicate key makes every number 0). */
  static List<TrainingSample> base() {
    String[][] words = {{"card", "arrive", "delivery", "post", "mail"}, {"refund", "money", "back", "return", "owed"}};
    String[] intents = {"card_arrival", "refund_not_showing_up", "pin_blocked"};
    List<TrainingSample> base = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      for (int a = 0; a < 5; a++) {
        for (int b = 0; b < 2; b++) {
          base.add(TrainingSample.of("where is my " + words[b][a] + " for " + intents[i].replace('_', ' '), intents[i]));
        }
      }
    }
    return base;
  }

  @Test
  void theFirstRoundIsTheBaseTextsAndEveryRowIsADistinctMessage() {
    ScaleData data = new ScaleData(base(), 7, NOW);
    Set<String> baseTexts = new HashSet<>(base().stream().map(TrainingSample::userMessage).toList());
    Set<String> seen = new HashSet<>();
    for (int r = 0; r < 30 * 40; r++) {
      ScaleData.Row row = data.row(r);
      if (r < 30) {
        assertThat(baseTexts).contains(row.text());
      }
      // Letters only, lower-cased: what the run's near-duplicate filter compares.
      assertThat(seen.add(row.text().toLowerCase(Locale.ROOT).replaceAll("[^a-z]+", " ").trim()))
          .as("row %d: %s", r, row.text()).isTrue();
    }
  }

  @Test
  void labelsAndStatusesAreShapedLikeLiveTraffic() {
    ScaleData data = new ScaleData(base(), 7, NOW);
    int verified = 0;
    int botRight = 0;
    int rejected = 0;
    int n = 10_000;
    for (int r = 0; r < n; r++) {
      ScaleData.Row row = data.row(r);
      botRight += row.botIntent().equals(row.intent()) ? 1 : 0;
      rejected += row.status().equals("rejected") ? 1 : 0;
      assertThat(row.confidence()).isBetween(30, 100);
      assertThat(row.createdAt()).isBetween(NOW.minusSeconds(90 * 86_400), NOW);
      if (row.verified()) {
        verified++;
        assertThat(row.status()).isIn("reviewed", "approved");
        assertThat(row.sample().intent()).isEqualTo(row.intent());
        assertThat(row.sample().wasCorrected()).isTrue();
      } else {
        assertThat(row.status()).isIn("pending", "used_in_training", "rejected");
        assertThat(row.sample().intent()).isEqualTo(row.botIntent());
      }
    }
    assertThat(verified).isBetween(900, 1100);
    assertThat(botRight).isBetween(8_800, 9_200);
    assertThat(rejected).isBetween(50, 150);
  }

  @Test
  void theSameSeedGivesTheSameRowsAndSamplesLeaveOutRejectedRows() {
    assertThat(new ScaleData(base(), 7, NOW).row(1234)).isEqualTo(new ScaleData(base(), 7, NOW).row(1234));
    assertThat(new ScaleData(base(), 8, NOW).row(1234)).isNotEqualTo(new ScaleData(base(), 7, NOW).row(1234));
    List<TrainingSample> samples = new ScaleData(base(), 7, NOW).samples(5_000);
    assertThat(samples).hasSize(5_000);
    assertThatThrownBy(() -> new ScaleData(base(), 7, NOW).row(ScaleData.maxRows(30)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
