package io.intentpipeline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.dataset.TrainingSample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The run's split: judged on representative human labels once they are enough, the test part never trained on. */
class TrustedSplitTest {
  /** {@code perIntent} samples of each of {@code intents} intents, their texts starting with {@code kind}. */
  private static List<TrainingSample> samples(String kind, int intents, int perIntent) {
    List<TrainingSample> samples = new ArrayList<>();
    for (int n = 0; n < perIntent; n++) {
      for (int i = 0; i < intents; i++) {
        samples.add(TrainingSample.of(kind + " message " + n + " about topic " + i, "intent_" + i));
      }
    }
    return samples;
  }

  /** The trust a text's first word names: labelled, audited, pending (audit), reviewed, else the bot's. */
  private static final Function<TrainingSample, Trust> TRUST = s -> switch (s.userMessage().split(" ")[0]) {
    case "labelled" -> Trust.LABELLED;
    case "audited" -> Trust.AUDITED;
    case "pending" -> Trust.AUDIT_PENDING;
    case "reviewed" -> Trust.REVIEWED;
    default -> Trust.BOT;
  };

  private static List<TrainingSample> of(List<TrainingSample> part, Trust trust) {
    return part.stream().filter(s -> TRUST.apply(s) == trust).toList();
  }

  private static Set<String> texts(List<TrainingSample> part) {
    Set<String> texts = new HashSet<>();
    part.forEach(s -> texts.add(s.userMessage()));
    return texts;
  }

  private static List<TrainingSample> concat(List<List<TrainingSample>> parts) {
    List<TrainingSample> all = new ArrayList<>();
    parts.forEach(all::addAll);
    return all;
  }

  @Test
  void theFairEstimateNeedsTwoHundredSamplesOrThreePerIntent() {
    assertThat(TrustedSplit.required(2)).isEqualTo(200);
    assertThat(TrustedSplit.required(77)).isEqualTo(231);
  }

  @Test
  void tooFewRepresentativeHumanLabelsKeepTheSeedsSplitWithAuditedSamplesAddedToTheTest() {
    List<TrainingSample> measured = concat(List.of(samples("labelled", 4, 100), samples("reviewed", 4, 200),
        samples("bot", 4, 300)));
    List<TrainingSample> all = concat(List.of(measured, samples("audited", 4, 5), samples("pending", 4, 5)));

    TrustedSplit.Result result = TrustedSplit.split(all, TRUST, 42);

    assertThat(result.judgedOn()).isEqualTo(TrustedSplit.JudgedOn.ALL);
    DatasetSplitter.Split seeds = StableSplit.split(measured, 42);
    assertThat(result.split().train()).isEqualTo(seeds.train());
    assertThat(result.split().validation()).isEqualTo(seeds.validation());
    assertThat(result.split().test()).containsAll(seeds.test()).containsAll(samples("audited", 4, 5))
        .hasSize(seeds.test().size() + 20);
    assertThat(result.verifiedTest()).hasSizeLessThan(200)
        .allMatch(s -> TRUST.apply(s) == Trust.LABELLED || TRUST.apply(s) == Trust.AUDITED);
    assertThat(result.auditPending()).isEqualTo(20);
    assertThat(texts(result.split().train())).noneMatch(t -> t.startsWith("pending") || t.startsWith("audited"));
  }

  @Test
  void enoughRepresentativeHumanLabelsMakeTheTestLabelledAndAuditedSamplesOnly() {
    List<TrainingSample> all = concat(List.of(samples("labelled", 4, 400), samples("audited", 4, 30),
        samples("reviewed", 4, 300), samples("bot", 4, 500), samples("pending", 4, 10)));

    TrustedSplit.Result result = TrustedSplit.split(all, TRUST, 42);
    DatasetSplitter.Split split = result.split();

    assertThat(result.judgedOn()).isEqualTo(TrustedSplit.JudgedOn.VERIFIED);
    assertThat(split.test()).hasSizeGreaterThanOrEqualTo(200).isEqualTo(result.verifiedTest())
        .containsAll(samples("audited", 4, 30));
    assertThat(of(split.test(), Trust.LABELLED)).isEqualTo(StableSplit.split(samples("labelled", 4, 400), 42).test());
    assertThat(split.validation()).isNotEmpty().allMatch(s -> TRUST.apply(s) == Trust.LABELLED);
    // Every reviewed sample trains (the queue chose them for being hard: they would understate the F1).
    assertThat(of(split.train(), Trust.REVIEWED)).hasSize(1200);
    // The bot's samples whose text falls in the test part are held out: in the "all" F1, never trained on.
    List<TrainingSample> heldOut = of(result.allTest(), Trust.BOT);
    assertThat(heldOut).isNotEmpty();
    assertThat(texts(split.train())).doesNotContainAnyElementsOf(texts(heldOut));
    assertThat(texts(StableSplit.split(all, 42).test())).containsAll(texts(heldOut));
    assertThat(split.train().size() + split.validation().size() + split.test().size() + heldOut.size() + 40)
        .isEqualTo(all.size());
    assertThat(texts(split.train())).noneMatch(t -> t.startsWith("pending") || t.startsWith("audited"));
  }

  @Test
  void aBotLabelledTextHeldOutOnceIsNeverTrainedOnBeforeItCanBeTestedOn() {
    List<TrainingSample> base = concat(List.of(samples("labelled", 4, 400), samples("audited", 4, 30)));
    List<TrainingSample> bot = samples("bot", 4, 200);
    TrustedSplit.Result first = TrustedSplit.split(concat(List.of(base, bot)), TRUST, 42);
    Set<String> heldOut = texts(of(first.allTest(), Trust.BOT));

    // Later an auditor reviews every one of those texts: they are tested on, and were never trained on.
    Function<TrainingSample, Trust> audited = s -> s.userMessage().startsWith("bot") ? Trust.AUDITED : TRUST.apply(s);
    TrustedSplit.Result later = TrustedSplit.split(concat(List.of(base, bot)), audited, 42);

    assertThat(texts(later.split().test())).containsAll(heldOut);
    assertThat(texts(first.split().train())).doesNotContainAnyElementsOf(heldOut);
  }

  @Test
  void onlyLabelledDataIsJudgedOnItsOwnTestPartWhateverItsSize() {
    List<TrainingSample> labelled = samples("labelled", 3, 20);

    TrustedSplit.Result result = TrustedSplit.split(labelled, TRUST, 42);

    assertThat(result.judgedOn()).isEqualTo(TrustedSplit.JudgedOn.VERIFIED);
    assertThat(result.split()).isEqualTo(StableSplit.split(labelled, 42));
    assertThat(result.verifiedTest()).isEqualTo(result.split().test());
  }

  @Test
  void anIntentNobodyLabelledIsTrainedOnAndNamedAsNotTested() {
    List<TrainingSample> all = concat(List.of(samples("labelled", 4, 500), samples("bot", 6, 50)));

    TrustedSplit.Result result = TrustedSplit.split(all, TRUST, 42);

    assertThat(result.judgedOn()).isEqualTo(TrustedSplit.JudgedOn.VERIFIED);
    assertThat(result.split().train()).anyMatch(s -> s.intent().equals("intent_5"));
    assertThat(result.split().test()).noneMatch(s -> s.intent().equals("intent_5"));
    assertThat(result.split().tooSmallIntents()).containsExactly("intent_4", "intent_5");
  }
}
