package io.intentpipeline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.dataset.TrainingSample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The run's split: judged on human-verified samples once they are enough, the test part never trained on. */
class TrustedSplitTest {
  /** {@code perIntent} samples of each of {@code intents} intents; texts starting with "human" are verified. */
  private static List<TrainingSample> samples(String prefix, int intents, int perIntent) {
    List<TrainingSample> samples = new ArrayList<>();
    for (int n = 0; n < perIntent; n++) {
      for (int i = 0; i < intents; i++) {
        samples.add(TrainingSample.of(prefix + " message " + n + " about topic " + i, "intent_" + i));
      }
    }
    return samples;
  }

  private static final Predicate<TrainingSample> HUMAN = s -> s.userMessage().startsWith("human");

  private static Set<String> texts(List<TrainingSample> part) {
    Set<String> texts = new HashSet<>();
    part.forEach(s -> texts.add(s.userMessage()));
    return texts;
  }

  @Test
  void theFairEstimateNeedsTwoHundredSamplesOrThreePerIntent() {
    assertThat(TrustedSplit.required(2)).isEqualTo(200);
    assertThat(TrustedSplit.required(77)).isEqualTo(231);
  }

  @Test
  void tooFewHumanVerifiedTestSamplesKeepTheSeedsSplitOfEverySample() {
    List<TrainingSample> all = new ArrayList<>(samples("human", 4, 100)); // ~60 verified test samples
    all.addAll(samples("bot", 4, 300));

    TrustedSplit.Result result = TrustedSplit.split(all, HUMAN, 42);

    assertThat(result.judgedOn()).isEqualTo(TrustedSplit.JudgedOn.ALL);
    assertThat(result.split()).isEqualTo(StableSplit.split(all, 42));
    assertThat(result.allTest()).isEqualTo(result.split().test());
    assertThat(result.verifiedTest()).isNotEmpty().allMatch(HUMAN).hasSizeLessThan(200);
    assertThat(result.split().test()).anyMatch(HUMAN.negate());
  }

  @Test
  void enoughHumanVerifiedTestSamplesMakeTheJudgedTestAndValidationHumanOnly() {
    List<TrainingSample> all = new ArrayList<>(samples("human", 4, 500));
    all.addAll(samples("bot", 4, 500));

    TrustedSplit.Result result = TrustedSplit.split(all, HUMAN, 42);
    DatasetSplitter.Split split = result.split();

    assertThat(result.judgedOn()).isEqualTo(TrustedSplit.JudgedOn.VERIFIED);
    assertThat(split.test()).hasSizeGreaterThanOrEqualTo(200).allMatch(HUMAN).isEqualTo(result.verifiedTest());
    assertThat(split.validation()).isNotEmpty().allMatch(HUMAN);
    // The bot's samples whose text falls in the test part are held out: counted in the "all" F1, never trained on.
    List<TrainingSample> heldOut = result.allTest().stream().filter(HUMAN.negate()).toList();
    assertThat(heldOut).isNotEmpty();
    assertThat(texts(split.train())).doesNotContainAnyElementsOf(texts(heldOut));
    assertThat(split.train().size() + split.validation().size() + split.test().size() + heldOut.size())
        .isEqualTo(all.size());
    // Every text keeps the test part StableSplit gives it, whoever labelled it.
    Set<String> seedTest = texts(StableSplit.split(all, 42).test());
    assertThat(seedTest).containsAll(texts(heldOut));
  }

  @Test
  void aTextTestedOnAsTheBotsLabelIsStillTestedOnOnceAHumanVerifiesIt() {
    List<TrainingSample> before = new ArrayList<>(samples("human", 4, 500));
    List<TrainingSample> bot = samples("bot", 4, 200);
    before.addAll(bot);
    TrustedSplit.Result first = TrustedSplit.split(before, HUMAN, 42);
    Set<String> heldOut = texts(first.allTest());
    heldOut.removeAll(texts(first.verifiedTest()));

    // A reviewer verifies every bot sample: same texts, now human-labelled.
    Predicate<TrainingSample> everyone = s -> true;
    TrustedSplit.Result later = TrustedSplit.split(before, everyone, 42);

    assertThat(texts(later.split().test())).containsAll(heldOut);
    assertThat(texts(later.split().train())).doesNotContainAnyElementsOf(heldOut);
  }

  @Test
  void onlyHumanVerifiedSamplesAreJudgedOnThemWhateverTheirNumber() {
    List<TrainingSample> humans = samples("human", 3, 20);

    TrustedSplit.Result result = TrustedSplit.split(humans, HUMAN, 42);

    assertThat(result.judgedOn()).isEqualTo(TrustedSplit.JudgedOn.VERIFIED);
    assertThat(result.split()).isEqualTo(StableSplit.split(humans, 42));
    assertThat(result.verifiedTest()).isEqualTo(result.split().test());
  }

  @Test
  void anIntentOnlyTheBotLabelledIsTrainedOnAndNamedAsNotTested() {
    List<TrainingSample> all = new ArrayList<>(samples("human", 4, 500));
    all.addAll(samples("bot", 6, 50)); // intents 4 and 5 only from the bot

    TrustedSplit.Result result = TrustedSplit.split(all, HUMAN, 42);

    assertThat(result.judgedOn()).isEqualTo(TrustedSplit.JudgedOn.VERIFIED);
    assertThat(result.split().train()).anyMatch(s -> s.intent().equals("intent_5"));
    assertThat(result.split().test()).noneMatch(s -> s.intent().equals("intent_5"));
    assertThat(result.split().tooSmallIntents()).contains("intent_4", "intent_5");
  }
}
