package io.intentpipeline.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatasetCleaningAndSplittingTest {
  private static TrainingSample sample(String text, String intent, boolean corrected, String created) {
    return new TrainingSample(text, intent, "", null, "", false, corrected, "live",
        created == null ? null : Instant.parse(created));
  }

  @Test
  void cleaningDropsEmptiesNormalisesSpacingAndRemovesVariants() {
    // Arrange
    List<TrainingSample> input = List.of(
        sample("  Where   is\tmy card? ", "card_arrival", false, null),
        sample("", "x", false, null),
        sample(" \n\t ", "x", false, null),
        sample("where is MY card?", "card_arrival", false, null),
        sample("hello", "greeting", false, null));

    // Act
    DatasetCleaner.Result result = DatasetCleaner.clean(input);

    // Assert
    // Same intent, no dates: the later variant is kept (normalised), at the first one's place.
    assertThat(result.samples()).extracting(TrainingSample::userMessage).containsExactly("where is MY card?", "hello");
    assertThat(result.emptyRemoved()).isEqualTo(2);
    assertThat(result.duplicatesRemoved()).isEqualTo(1);
    assertThat(result.conflicts()).isZero();
    assertThat(result.input()).isEqualTo(5);
  }

  @Test
  void conflictsKeepTheCorrectedLabelElseTheMostRecent() {
    // Arrange
    List<TrainingSample> input = List.of(
        sample("cancel it", "cancel_order", true, "2025-01-01T00:00:00Z"),
        sample("Cancel it", "refund", false, "2025-06-01T00:00:00Z"),
        sample("top up", "top_up_failed", false, "2025-01-01T00:00:00Z"),
        sample("TOP UP", "top_up_pending", false, "2025-02-01T00:00:00Z"),
        sample("top  up", "top_up_failed", false, null));

    // Act
    DatasetCleaner.Result result = DatasetCleaner.clean(input);

    // Assert
    assertThat(result.samples()).extracting(TrainingSample::intent).containsExactly("cancel_order", "top_up_pending");
    assertThat(result.conflicts()).isEqualTo(2);
    assertThat(result.duplicatesRemoved()).isEqualTo(3);
  }

  @Test
  void theSplitIsStratifiedSeededAndReportsTooSmallIntents() {
    // Arrange: 3 intents of 40, 20 and 2 samples, generated with a seeded generator.
    Random random = new Random(99);
    List<TrainingSample> samples = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      samples.add(TrainingSample.of("a" + random.nextInt(1_000_000) + " " + i, "big"));
    }
    for (int i = 0; i < 20; i++) {
      samples.add(TrainingSample.of("b" + i, "medium"));
    }
    samples.add(TrainingSample.of("c1", "tiny"));
    samples.add(TrainingSample.of("c2", "tiny"));

    // Act
    DatasetSplitter.Split split = DatasetSplitter.split(samples, 5);
    DatasetSplitter.Split again = DatasetSplitter.split(samples, 5);
    DatasetSplitter.Split other = DatasetSplitter.split(samples, 6);

    // Assert
    assertThat(split.test()).filteredOn(s -> s.intent().equals("big")).hasSize(6);
    assertThat(split.validation()).filteredOn(s -> s.intent().equals("big")).hasSize(6);
    assertThat(split.test()).filteredOn(s -> s.intent().equals("medium")).hasSize(3);
    assertThat(split.train()).filteredOn(s -> s.intent().equals("tiny")).hasSize(2);
    assertThat(split.tooSmallIntents()).containsExactly("tiny");
    assertThat(split).isEqualTo(again);
    assertThat(other.test()).isNotEqualTo(split.test());
    Set<TrainingSample> union = new HashSet<>(split.train());
    union.addAll(split.validation());
    union.addAll(split.test());
    assertThat(union).hasSize(samples.size());
    assertThat(split.train().size() + split.validation().size() + split.test().size()).isEqualTo(samples.size());
  }

  @Test
  void statisticsCountIntentsSourcesAndCorrections() {
    // Arrange
    List<TrainingSample> samples = List.of(
        new TrainingSample("a", "x", "", null, "", true, true, "live", null),
        new TrainingSample("b", "x", "", null, "", false, false, "imported", null),
        new TrainingSample("c", "y", "", null, "", false, false, "live", null),
        new TrainingSample("d", "z", "", null, "", false, true, "synthetic", null));

    // Act
    DatasetStatistics stats = DatasetStatistics.of(samples);

    // Assert
    assertThat(stats.totalSamples()).isEqualTo(4);
    assertThat(stats.totalIntents()).isEqualTo(3);
    assertThat(stats.perIntent()).containsExactly(java.util.Map.entry("x", 2), java.util.Map.entry("y", 1),
        java.util.Map.entry("z", 1));
    assertThat(stats.perSource()).containsEntry("live", 2).containsEntry("imported", 1).containsEntry("synthetic", 1);
    assertThat(stats.corrected()).isEqualTo(2);
    assertThat(stats.correctedShare()).isEqualTo(0.5);
    assertThat(stats.escalated()).isEqualTo(1);
  }
}
