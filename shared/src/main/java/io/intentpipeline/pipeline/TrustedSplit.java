package io.intentpipeline.pipeline;

import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.dataset.TrainingSample;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A run's split when some samples carry a human's label and others only the bot's: the test split
 * a run is judged on is drawn from the human-verified samples, stable from run to run, as soon as
 * there are enough of them for a fair estimate.
 *
 * <p>Every sample keeps the place {@link StableSplit} gives its text. Samples whose place is in
 * the test part are never trained on, whoever labelled them, so a text a later run tests on was
 * not in the deployed model's training data (the property the gate's comparison rests on), even
 * after a human reviews it.
 *
 * <ul>
 *   <li><b>Judged on verified samples</b> when the human-verified samples of the test part number
 *       at least {@link #required(int)}: test and validation hold human-verified samples only (the
 *       split {@link StableSplit} makes of those), training holds the rest of them and the
 *       unverified samples outside the test part. The unverified samples of the test part are
 *       held out: the "all" F1 counts them, nothing trains on them.
 *   <li><b>Judged on all samples</b> (the original system's behaviour) otherwise:
 *       {@link StableSplit} of every sample, bot labels included.
 * </ul>
 *
 * <p>Why {@code max(200, 3 × intents)}: macro F1 averages per-intent figures, and an intent with
 * fewer than about three test samples gets an F1 of 0, 0.5 or 1 by chance; 200 samples bound the
 * standard error of an accuracy near 0.85 by 0.025, and of the difference between two models
 * that disagree on one message in ten (what the gate compares, on the same samples) by about
 * 0.02, below the gate's margin of 0.05. Fewer human-verified test samples would let chance decide.
 */
final class TrustedSplit {
  /** The fewest human-verified test samples a fair estimate needs, whatever the number of intents. */
  static final int MIN_VERIFIED_TEST = 200;
  /** Human-verified test samples needed per intent. */
  static final int VERIFIED_TEST_PER_INTENT = 3;

  /** Which test split a run's gate compared the models on. */
  enum JudgedOn {
    /** The human-verified samples of the test part. */
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
   * @param verifiedTest the human-verified samples of the test part
   * @param allTest every sample of the test part (none trained on)
   * @param required the human-verified test samples a fair estimate needs for these samples
   */
  record Result(DatasetSplitter.Split split, JudgedOn judgedOn, List<TrainingSample> verifiedTest,
      List<TrainingSample> allTest, int required) {
    /** Immutable copies. */
    Result {
      verifiedTest = List.copyOf(verifiedTest);
      allTest = List.copyOf(allTest);
    }
  }

  private TrustedSplit() {}

  /** The human-verified test samples a fair estimate needs when the samples carry {@code intents} intents. */
  static int required(int intents) {
    return Math.max(MIN_VERIFIED_TEST, VERIFIED_TEST_PER_INTENT * intents);
  }

  /**
   * The split of {@code samples} (distinct texts, in the order training should see them) under
   * {@code seed}, {@code verified} telling which carry a human's label.
   */
  static Result split(List<TrainingSample> samples, Predicate<TrainingSample> verified, long seed) {
    int required = required((int) samples.stream().map(TrainingSample::intent).distinct().count());
    DatasetSplitter.Split all = StableSplit.split(samples, seed);
    List<TrainingSample> humans = samples.stream().filter(verified).toList();
    if (humans.size() == samples.size()) {
      return new Result(all, JudgedOn.VERIFIED, all.test(), all.test(), required);
    }
    DatasetSplitter.Split byHumans = StableSplit.split(humans, seed);
    if (byHumans.test().size() < required) {
      List<TrainingSample> verifiedTest = all.test().stream().filter(verified).toList();
      return new Result(all, JudgedOn.ALL, verifiedTest, all.test(), required);
    }
    Map<TrainingSample, Integer> part = new IdentityHashMap<>();
    byHumans.validation().forEach(s -> part.put(s, 1));
    byHumans.test().forEach(s -> part.put(s, 2));
    double[] position = StableSplit.positions(samples, seed);
    List<TrainingSample> train = new ArrayList<>();
    List<TrainingSample> validation = new ArrayList<>();
    List<TrainingSample> test = new ArrayList<>();
    List<TrainingSample> heldOut = new ArrayList<>();
    Set<String> trainedOnly = new TreeSet<>(byHumans.tooSmallIntents());
    Set<String> humanIntents = new TreeSet<>();
    humans.forEach(s -> humanIntents.add(s.intent()));
    for (int i = 0; i < samples.size(); i++) {
      TrainingSample s = samples.get(i);
      if (verified.test(s)) {
        int p = part.getOrDefault(s, 0);
        (p == 2 ? test : p == 1 ? validation : train).add(s);
      } else if (position[i] < StableSplit.TEST_SHARE) {
        heldOut.add(s);
      } else {
        train.add(s);
        if (!humanIntents.contains(s.intent())) {
          trainedOnly.add(s.intent());
        }
      }
    }
    List<TrainingSample> allTest = new ArrayList<>(test);
    allTest.addAll(heldOut);
    return new Result(new DatasetSplitter.Split(train, validation, test, List.copyOf(trainedOnly)), JudgedOn.VERIFIED,
        test, allTest, required);
  }
}
