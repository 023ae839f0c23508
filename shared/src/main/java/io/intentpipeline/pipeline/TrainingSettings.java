package io.intentpipeline.pipeline;

import io.intentpipeline.config.Env;
import io.intentpipeline.ml.AnswerPolicy;
import io.intentpipeline.ml.TrainingProfile;

/**
 * How runs train and decide, read once from the environment.
 *
 * @param minSamples the fewest samples, after cleaning, a run trains on ({@code TRAIN_MIN_SAMPLES}, default 20)
 * @param deployMargin how much lower than the deployed model's macro F1 a new model's may be and still deploy
 *     ({@code DEPLOY_F1_MARGIN}, default 0.05)
 * @param datasetLimit the most samples a run fetches, newest first ({@code TRAIN_DATASET_LIMIT}, default 100,000)
 * @param seed the seed of the split and the solver ({@code TRAIN_SEED}, default 42): the same data gives the same model
 * @param profile the training profile ({@code TRAIN_PROFILE}, default {@code default})
 * @param minConfidence the {@code min_confidence} of runs that do not say ({@code TRAIN_MIN_CONFIDENCE}, default 0)
 * @param labelPolicy which unreviewed rows runs that do not say train on ({@code TRAIN_LABEL_POLICY}, default
 *     {@link #DEFAULT_LABEL_POLICY})
 * @param confidentLabel the bot confidence (0-100) from which the {@code confident} policy keeps an unreviewed
 *     row's label ({@code TRAIN_CONFIDENT_LABEL}, default 90)
 * @param rescoreLimit after a deploy, how many of the newest samples waiting for review the new model re-scores
 *     ({@code RESCORE_LIMIT}, default 100,000; 0: none)
 * @param answerTargetAccuracy the accuracy of answered messages the answer threshold is chosen for, on the
 *     validation split, for runs that do not say ({@code ANSWER_TARGET_ACCURACY}, default 0.97; docs/ANSWER_ACTIONS.md)
 * @param outOfScopeIntent the reserved intent of messages no intent covers ({@code OUT_OF_SCOPE_INTENT}, default
 *     {@code out_of_scope})
 */
public record TrainingSettings(int minSamples, double deployMargin, int datasetLimit, long seed,
    TrainingProfile profile, int minConfidence, LabelPolicy labelPolicy, int confidentLabel, int rescoreLimit,
    double answerTargetAccuracy, String outOfScopeIntent) {

  /** The label policy the simulation measured best on BANKING77 (README, "./pipeline simulate"). */
  public static final LabelPolicy DEFAULT_LABEL_POLICY = LabelPolicy.TRUSTED;
  /**
   * The defaults: the original system's 20 samples and margin 0.05, the measured label policy, and
   * 100,000 samples re-scored after a deploy.
   */
  public static final TrainingSettings DEFAULTS =
      new TrainingSettings(20, 0.05, 100_000, 42, TrainingProfile.DEFAULT, 0, DEFAULT_LABEL_POLICY, 90, 100_000,
          AnswerPolicy.DEFAULT_TARGET_ACCURACY, AnswerPolicy.DEFAULT_OUT_OF_SCOPE);

  /** Checks the ranges. */
  public TrainingSettings {
    if (minSamples < 2 || !(deployMargin >= 0 && deployMargin <= 1) || datasetLimit < 1 || datasetLimit > 1_000_000
        || minConfidence < 0 || minConfidence > 100 || confidentLabel < 0 || confidentLabel > 100
        || rescoreLimit < 0 || rescoreLimit > 1_000_000) {
      throw new IllegalArgumentException("minSamples >= 2, deployMargin in [0, 1], datasetLimit in [1, 1000000],"
          + " minConfidence and confidentLabel in [0, 100], rescoreLimit in [0, 1000000]");
    }
    java.util.Objects.requireNonNull(labelPolicy, "labelPolicy");
    if (!(answerTargetAccuracy > 0 && answerTargetAccuracy <= 1)) {
      throw new IllegalArgumentException("answerTargetAccuracy in (0, 1]");
    }
    if (outOfScopeIntent == null || !io.intentpipeline.http.QueryParams.isIntentName(outOfScopeIntent)) {
      throw new IllegalArgumentException("outOfScopeIntent must be a valid intent name: " + outOfScopeIntent);
    }
  }

  /**
   * TRAIN_MIN_SAMPLES, DEPLOY_F1_MARGIN, TRAIN_DATASET_LIMIT, TRAIN_SEED, TRAIN_PROFILE, TRAIN_MIN_CONFIDENCE,
   * TRAIN_LABEL_POLICY, TRAIN_CONFIDENT_LABEL, RESCORE_LIMIT, ANSWER_TARGET_ACCURACY, OUT_OF_SCOPE_INTENT.
   */
  public static TrainingSettings fromEnv(Env env) {
    TrainingProfile profile;
    String profileName = env.string("TRAIN_PROFILE", "default");
    try {
      profile = TrainingProfile.named(profileName);
    } catch (IllegalArgumentException e) {
      throw new io.intentpipeline.config.ConfigException(
          "Environment variable TRAIN_PROFILE must be seed or default, got '" + profileName + "'");
    }
    return new TrainingSettings(
        env.integer("TRAIN_MIN_SAMPLES", 20, 2, 1_000_000),
        env.decimal("DEPLOY_F1_MARGIN", 0.05, 0, 1),
        env.integer("TRAIN_DATASET_LIMIT", 100_000, 1, 1_000_000),
        env.integer("TRAIN_SEED", 42, 0, Integer.MAX_VALUE),
        profile,
        env.integer("TRAIN_MIN_CONFIDENCE", 0, 0, 100),
        labelPolicy(env.optional("TRAIN_LABEL_POLICY").orElse(DEFAULT_LABEL_POLICY.wireName())),
        env.integer("TRAIN_CONFIDENT_LABEL", 90, 0, 100),
        env.integer("RESCORE_LIMIT", 100_000, 0, 1_000_000),
        env.decimal("ANSWER_TARGET_ACCURACY", 0.97, 0.5, 1),
        outOfScopeIntent(env.string("OUT_OF_SCOPE_INTENT", "out_of_scope")));
  }

  private static String outOfScopeIntent(String name) {
    if (!io.intentpipeline.http.QueryParams.isIntentName(name)) {
      throw new io.intentpipeline.config.ConfigException(
          "Environment variable OUT_OF_SCOPE_INTENT must be a valid intent name, got '" + name + "'");
    }
    return name;
  }

  private static LabelPolicy labelPolicy(String name) {
    try {
      return LabelPolicy.parse(name);
    } catch (IllegalArgumentException e) {
      throw new io.intentpipeline.config.ConfigException(
          "Environment variable TRAIN_LABEL_POLICY must be one of " + LabelPolicy.names() + ", got '" + name + "'");
    }
  }

  /** The same with another minimum sample count (tests, the benchmark). */
  public TrainingSettings withMinSamples(int value) {
    return new TrainingSettings(value, deployMargin, datasetLimit, seed, profile, minConfidence, labelPolicy,
        confidentLabel, rescoreLimit, answerTargetAccuracy, outOfScopeIntent);
  }

  /** The same with another answer target accuracy (a run's {@code answer_target_accuracy}). */
  public TrainingSettings withAnswerTargetAccuracy(double value) {
    return new TrainingSettings(minSamples, deployMargin, datasetLimit, seed, profile, minConfidence, labelPolicy,
        confidentLabel, rescoreLimit, value, outOfScopeIntent);
  }
}
