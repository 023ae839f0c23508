package io.intentpipeline.dataset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Seeded stratified splits: each intent is shuffled with the seed and cut in the given
 * proportions, so every split keeps the intents' shares. An intent with too few samples to give
 * every split at least one stays whole in training and is reported. The same seed and input give
 * the same split.
 */
public final class DatasetSplitter {
  private DatasetSplitter() {}

  /** The three parts, and the intents too small to split (all their samples are in training). */
  public record Split(List<TrainingSample> train, List<TrainingSample> validation, List<TrainingSample> test,
      List<String> tooSmallIntents) {
    /** Immutable copies. */
    public Split {
      train = List.copyOf(train);
      validation = List.copyOf(validation);
      test = List.copyOf(test);
      tooSmallIntents = List.copyOf(tooSmallIntents);
    }
  }

  /** The pipeline's 70/15/15 split. */
  public static Split split(List<TrainingSample> samples, long seed) {
    return split(samples, 0.15, 0.15, seed);
  }

  /**
   * Splits with the given validation and test shares (each in [0, 1), summing below 1). Per
   * intent of n samples: round(n * share) for each held-out part, at least one when the share
   * is positive, and at least one left for training; an intent that cannot give that is too small.
   */
  public static Split split(List<TrainingSample> samples, double validationShare, double testShare, long seed) {
    if (validationShare < 0 || testShare < 0 || validationShare + testShare >= 1) {
      throw new IllegalArgumentException("shares must be >= 0 and sum below 1");
    }
    Map<String, List<TrainingSample>> byIntent = new TreeMap<>();
    for (TrainingSample s : samples) {
      byIntent.computeIfAbsent(s.intent(), k -> new ArrayList<>()).add(s);
    }
    Random random = new Random(seed);
    List<TrainingSample> train = new ArrayList<>();
    List<TrainingSample> validation = new ArrayList<>();
    List<TrainingSample> test = new ArrayList<>();
    List<String> tooSmall = new ArrayList<>();
    int needed = 1 + (validationShare > 0 ? 1 : 0) + (testShare > 0 ? 1 : 0);
    for (Map.Entry<String, List<TrainingSample>> entry : byIntent.entrySet()) {
      List<TrainingSample> group = new ArrayList<>(entry.getValue());
      Collections.shuffle(group, random);
      int n = group.size();
      if (n < needed) {
        tooSmall.add(entry.getKey());
        train.addAll(group);
        continue;
      }
      int nTest = testShare > 0 ? Math.max(1, (int) Math.round(n * testShare)) : 0;
      int nValidation = validationShare > 0 ? Math.max(1, (int) Math.round(n * validationShare)) : 0;
      while (n - nTest - nValidation < 1) {
        if (nTest >= nValidation && nTest > 1) {
          nTest--;
        } else {
          nValidation--;
        }
      }
      test.addAll(group.subList(0, nTest));
      validation.addAll(group.subList(nTest, nTest + nValidation));
      train.addAll(group.subList(nTest + nValidation, n));
    }
    Collections.shuffle(train, random);
    Collections.shuffle(validation, random);
    Collections.shuffle(test, random);
    return new Split(train, validation, test, tooSmall);
  }
}
