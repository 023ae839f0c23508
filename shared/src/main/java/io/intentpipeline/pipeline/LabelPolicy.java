package io.intentpipeline.pipeline;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which labels a run trains on besides the human-verified ones (corrected, reviewed, approved or
 * imported as labelled data, which every policy keeps). The rows nobody reviewed carry the bot's
 * own answer: training on it teaches the model its own mistakes, and leaving it out loses data.
 * {@code ./pipeline simulate --label-policy} measures each on replayed traffic (README).
 */
public enum LabelPolicy {
  /**
   * The original system's rule: every row, the bot's label where no human gave one
   * ({@code COALESCE(correct_intent, detected_intent)}), filtered only by the run's {@code min_confidence}.
   */
  SEED("seed"),
  /** Human-verified rows only: the bot's unreviewed answers never teach the model. */
  HUMAN_ONLY("human_only"),
  /**
   * Human-verified rows, and unreviewed rows whose bot confidence is at least the confident-label
   * threshold ({@code TRAIN_CONFIDENT_LABEL}, default 90): the bot's label is kept only where its
   * calibrated confidence says it is very likely right.
   */
  CONFIDENT("confident"),
  /**
   * {@link #HUMAN_ONLY} once human-verified rows hold at least {@link #TRUSTED_PER_INTENT} samples
   * per intent (of every intent the fetched rows carry, and at least the run's minimum sample
   * count); until then, on a system nobody has reviewed or fed labelled data yet, {@link #SEED}.
   */
  TRUSTED("trusted");

  /** Human-verified samples per intent from which {@link #TRUSTED} leaves the bot's labels out. */
  public static final int TRUSTED_PER_INTENT = 5;

  private final String wireName;

  LabelPolicy(String wireName) {
    this.wireName = wireName;
  }

  /** The name in requests, settings and run parameters. */
  public String wireName() {
    return wireName;
  }

  /** Every name, comma-separated, in declaration order. */
  public static String names() {
    return Arrays.stream(values()).map(LabelPolicy::wireName).collect(Collectors.joining(", "));
  }

  /** The policy called {@code name}; IllegalArgumentException naming the accepted ones otherwise. */
  public static LabelPolicy parse(String name) {
    for (LabelPolicy policy : values()) {
      if (policy.wireName.equals(name)) {
        return policy;
      }
    }
    throw new IllegalArgumentException("label_policy must be one of " + names() + ", got '"
        + (name == null ? "" : name.toLowerCase(Locale.ROOT)) + "'");
  }

  /** {@code get_training_dataset}'s {@code p_min_confidence} for a run asking {@code minConfidence}. */
  int minConfidence(int minConfidence, int confidentLabel) {
    return this == CONFIDENT ? Math.max(minConfidence, confidentLabel) : minConfidence;
  }

  /**
   * The policy {@code this} amounts to for rows of which {@code verified} are human-verified and which
   * carry {@code intents} intents, for a run that needs at least {@code minSamples}: {@link #TRUSTED}
   * resolves to {@link #HUMAN_ONLY} or {@link #SEED}, the others to themselves.
   */
  LabelPolicy resolve(int verified, int intents, int minSamples) {
    if (this != TRUSTED) {
      return this;
    }
    return verified >= Math.max(minSamples, TRUSTED_PER_INTENT * intents) ? HUMAN_ONLY : SEED;
  }

  /** {@code get_training_dataset}'s {@code p_only_reviewed} for a run asking {@code onlyReviewed}. */
  boolean onlyReviewed(boolean onlyReviewed) {
    return onlyReviewed || this == HUMAN_ONLY;
  }
}
