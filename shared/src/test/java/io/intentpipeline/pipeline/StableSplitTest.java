package io.intentpipeline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.dataset.TrainingSample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StableSplitTest {
  private static List<TrainingSample> samples(int intents, int perIntent, int offset) {
    List<TrainingSample> samples = new ArrayList<>();
    for (int n = offset; n < offset + perIntent; n++) {
      for (int i = 0; i < intents; i++) {
        samples.add(TrainingSample.of("message " + n + " about topic " + i, "intent_" + i));
      }
    }
    return samples;
  }

  private static Set<String> texts(List<TrainingSample> part) {
    Set<String> texts = new HashSet<>();
    part.forEach(s -> texts.add(s.userMessage()));
    return texts;
  }

  @Test
  void theSameTextsAndSeedGiveTheSameSplit() {
    List<TrainingSample> samples = samples(5, 40, 0);

    DatasetSplitter.Split first = StableSplit.split(samples, 42);
    DatasetSplitter.Split second = StableSplit.split(samples, 42);
    DatasetSplitter.Split otherSeed = StableSplit.split(samples, 7);

    assertThat(second.test()).isEqualTo(first.test());
    assertThat(second.validation()).isEqualTo(first.validation());
    assertThat(second.train()).isEqualTo(first.train());
    assertThat(texts(otherSeed.test())).isNotEqualTo(texts(first.test()));
  }

  @Test
  void aTextTestedOnOnceIsTestedOnAfterMoreDataArrives() {
    // Arrange: a first run's data, then the same texts in another order with new ones and new labels around them.
    List<TrainingSample> before = samples(6, 50, 0);
    List<TrainingSample> after = new ArrayList<>(samples(6, 200, 50));
    after.addAll(before);
    java.util.Collections.shuffle(after, new Random(3));

    DatasetSplitter.Split first = StableSplit.split(before, 42);
    DatasetSplitter.Split later = StableSplit.split(after, 42);

    // Assert: nothing the first model trained on (train + validation) is in the later test split.
    Set<String> trainedFirst = texts(first.train());
    trainedFirst.addAll(texts(first.validation()));
    assertThat(texts(later.test())).doesNotContainAnyElementsOf(trainedFirst);
    assertThat(texts(later.test())).containsAll(texts(first.test()));
  }

  @Test
  void partsAreAboutSeventyFifteenFifteenAndEveryIntentIsInEachPart() {
    List<TrainingSample> samples = samples(20, 200, 0);

    DatasetSplitter.Split split = StableSplit.split(samples, 42);

    assertThat(split.test().size() / (double) samples.size()).isBetween(0.13, 0.17);
    assertThat(split.validation().size() / (double) samples.size()).isBetween(0.13, 0.17);
    for (int i = 0; i < 20; i++) {
      String intent = "intent_" + i;
      assertThat(split.test()).anyMatch(s -> s.intent().equals(intent));
      assertThat(split.validation()).anyMatch(s -> s.intent().equals(intent));
    }
  }

  @Test
  void smallIntentsStillGetATestAndAValidationSampleAndTinyOnesStayInTraining() {
    List<TrainingSample> samples = new ArrayList<>(samples(1, 3, 0));
    samples.add(TrainingSample.of("lonely one", "rare"));
    samples.add(TrainingSample.of("lonely two", "rare"));

    DatasetSplitter.Split split = StableSplit.split(samples, 42);

    assertThat(split.test()).extracting(TrainingSample::intent).containsExactly("intent_0");
    assertThat(split.validation()).extracting(TrainingSample::intent).containsExactly("intent_0");
    assertThat(split.train()).extracting(TrainingSample::intent).containsExactlyInAnyOrder("intent_0", "rare", "rare");
    assertThat(split.tooSmallIntents()).containsExactly("rare");
  }

  @Test
  void caseAndSpacingDoNotMoveAText() {
    List<TrainingSample> plain = List.of(TrainingSample.of("Where is my card", "a"));
    List<TrainingSample> shouted = List.of(TrainingSample.of("  WHERE is   my card ", "a"));
    // One sample of an intent stays in training; compare the hashes through a bigger group instead.
    List<TrainingSample> many = new ArrayList<>(samples(1, 60, 0));
    List<TrainingSample> manyShouted = many.stream()
        .map(s -> TrainingSample.of("  " + s.userMessage().toUpperCase(java.util.Locale.ROOT) + " ", s.intent())).toList();

    assertThat(StableSplit.split(plain, 1).train()).hasSize(1);
    assertThat(StableSplit.split(shouted, 1).train()).hasSize(1);
    assertThat(StableSplit.split(manyShouted, 5).test().size()).isEqualTo(StableSplit.split(many, 5).test().size());
    assertThat(StableSplit.split(manyShouted, 5).test()).extracting(s -> s.userMessage().trim().toLowerCase(java.util.Locale.ROOT))
        .containsExactlyElementsOf(StableSplit.split(many, 5).test().stream().map(TrainingSample::userMessage).toList());
  }
}
