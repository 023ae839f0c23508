package io.intentpipeline.pipeline;

import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.dataset.TrainingSample;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A run's split when some labels are a human's and others the bot's: the test split a run is judged
 * on is drawn from human-verified samples that were not chosen for being hard, stable from run to
 * run, as soon as there are enough of them for a fair estimate.
 *
 * <p>Which human labels measure the model: samples imported as labelled data (those whose text
 * {@link StableSplit} puts in the test part) and audited samples (picked at random from live traffic
 * and reviewed, all of them). Samples a reviewer took from the review queue are a human's labels too,
 * but the queue offers the hardest messages first: measured on BANKING77 (README, "./pipeline
 * simulate"), a test split of them reports a macro F1 0.13-0.19 below the model's true one, while the
 * bot's own labels report it 0.04 above. So reviewed samples train, and measure nothing.
 *
 * <ul>
 *   <li><b>Judged on verified samples</b> when those representative samples number at least
 *       {@link #required(int)}: test = the labelled samples of the test part and every audited
 *       sample; validation = the labelled samples of the validation part; training = the other
 *       labelled samples, every reviewed sample, and the bot-labelled samples outside the test part.
 *       Bot-labelled samples of the test part are held out: the "all" F1 counts them, nothing trains
 *       on them, so such a text stays unseen by every model even after a human reviews it.
 *   <li><b>Judged on all samples</b> (the original system's behaviour) otherwise: {@link StableSplit}
 *       of every sample, bot labels included; audited samples join its test part.
 * </ul>
 *
 * Audit picks never train, reviewed or not: they are the live traffic's unbiased sample, and a model
 * that trained on one would be measured on it later.
 *
 * <p>Why {@code max(200, 3 × intents)}: macro F1 averages per-intent figures, and an intent with
 * fewer than about three test samples gets an F1 of 0, 0.5 or 1 by chance; 200 samples bound the
 * standard error of an accuracy near 0.85 by 0.025, and of the difference between two models that
 * disagree on one message in ten (what the gate compares, on the same samples) by about 0.02, below
 * the gate's margin of 0.05. Fewer would let chance decide.
 */
final class TrustedSplit {
  /** The fewest representative human-verified test samples a fair estimate needs, whatever the number of intents. */
  static final int MIN_VERIFIED_TEST = 200;
  /** Representative human-verified test samples needed per intent. */
  static final int VERIFIED_TEST_PER_INTENT = 3;

  /** Which test split a run's gate compared the models on. */
  enum JudgedOn {
    /** Representative human-verified samples: labelled data of the test part, and audited samples. */
    VERIFIED("verified"),
    /** Every sample of the test part, bot labels included (the original system's). */
    ALL("all");

    private final String dbName;

    JudgedOn(String dbName) {
      this.dbName = dbName;
    }

    /** The name in {@code ai_training_runs.judged_on}. */
    String dbName() {
      return dbName;
    }
  }

  /**
   * The split, and the test sets of the two F1s a run records.
   *
   * @param split what the run trains, validates and is judged on ({@code test} is the judged test set)
   * @param judgedOn which test set {@code split.test()} is
   * @param verifiedTest the representative human-verified test samples (labelled data of the test part, audited)
   * @param allTest every sample of the test part and every audited one (none trained on)
   * @param required the representative human-verified test samples a fair estimate needs for these samples
   * @param auditPending audit picks not reviewed yet: neither trained nor tested on
   */
  record Result(DatasetSplitter.Split split, JudgedOn judgedOn, List<TrainingSample> verifiedTest,
      List<TrainingSample> allTest, int required, int auditPending) {
    /** Immutable copies. */
    Result {
      verifiedTest = List.copyOf(verifiedTest);
      allTest = List.copyOf(allTest);
    }
  }

  private TrustedSplit() {}

  /** The representative human-verified test samples a fair estimate needs when the samples carry {@code intents} intents. */
  static int required(int intents) {
    return Math.max(MIN_VERIFIED_TEST, VERIFIED_TEST_PER_INTENT * intents);
  }

  /**
   * The split of {@code samples} (distinct texts, in the order training should see them) under
   * {@code seed}, {@code trust} telling how each label came to be.
   */
  static Result split(List<TrainingSample> samples, Function<TrainingSample, Trust> trust, long seed) {
    Map<TrainingSample, Trust> kinds = new IdentityHashMap<>();
    List<TrainingSample> measured = new ArrayList<>(); // every sample but the audit picks
    List<TrainingSample> labelled = new ArrayList<>();
    List<TrainingSample> audited = new ArrayList<>();
    int auditPending = 0;
    for (TrainingSample s : samples) {
      Trust t = trust.apply(s);
      kinds.put(s, t);
      switch (t) {
        case AUDITED -> audited.add(s);
        case AUDIT_PENDING -> auditPending++;
        case LABELLED -> {
          labelled.add(s);
          measured.add(s);
        }
        default -> measured.add(s);
      }
    }
    int required = required((int) samples.stream().map(TrainingSample::intent).distinct().count());
    DatasetSplitter.Split byLabels = StableSplit.split(labelled, seed);
    List<TrainingSample> verifiedTest = new ArrayList<>(byLabels.test());
    verifiedTest.addAll(audited);
    boolean onlyRepresentative = labelled.size() + audited.size() == samples.size() - auditPending;
    if (verifiedTest.size() < required && !onlyRepresentative) {
      DatasetSplitter.Split all = StableSplit.split(measured, seed);
      List<TrainingSample> test = new ArrayList<>(all.test());
      test.addAll(audited);
      List<TrainingSample> representative = test.stream()
          .filter(s -> kinds.get(s) == Trust.LABELLED || kinds.get(s) == Trust.AUDITED).toList();
      return new Result(new DatasetSplitter.Split(all.train(), all.validation(), test, all.tooSmallIntents()),
          JudgedOn.ALL, representative, test, required, auditPending);
    }
    Map<TrainingSample, Integer> part = new IdentityHashMap<>();
    byLabels.validation().forEach(s -> part.put(s, 1));
    byLabels.test().forEach(s -> part.put(s, 2));
    double[] position = StableSplit.positions(samples, seed);
    List<TrainingSample> train = new ArrayList<>();
    List<TrainingSample> validation = new ArrayList<>();
    List<TrainingSample> heldOut = new ArrayList<>();
    Set<String> tested = new TreeSet<>();
    verifiedTest.forEach(s -> tested.add(s.intent()));
    for (int i = 0; i < samples.size(); i++) {
      TrainingSample s = samples.get(i);
      switch (kinds.get(s)) {
        case LABELLED -> {
          int p = part.getOrDefault(s, 0);
          if (p == 1) {
            validation.add(s);
          } else if (p == 0) {
            train.add(s);
          }
        }
        case REVIEWED -> train.add(s);
        case BOT -> (position[i] < StableSplit.TEST_SHARE ? heldOut : train).add(s);
        default -> { } // audited: tested; audit pending: left out
      }
    }
    Set<String> untested = new TreeSet<>();
    train.forEach(s -> {
      if (!tested.contains(s.intent())) {
        untested.add(s.intent());
      }
    });
    List<TrainingSample> allTest = new ArrayList<>(verifiedTest);
    allTest.addAll(heldOut);
    return new Result(new DatasetSplitter.Split(train, validation, verifiedTest, List.copyOf(untested)),
        JudgedOn.VERIFIED, verifiedTest, allTest, required, auditPending);
  }
}
