package io.intentpipeline.ml;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A trained, immutable intent classifier: frozen TF-IDF features, one linear score per intent,
 * and a calibration that turns scores into confidences. Thread-safe: each thread predicts with
 * its own reused workspace, so a prediction allocates only its result.
 *
 * <p>Needs nothing but this package at run time (no liblinear, no JSON library): the predict
 * function loads it with {@link ModelCodec#read(byte[])}.
 */
public final class IntentModel {
  private final ModelMetadata metadata;
  private final String[] intents;
  private final Vectorizer vectorizer;
  private final LinearWeights weights;
  private final double[] biases;
  private final Calibration calibration;
  private final AnswerPolicy policy;
  private final ThreadLocal<Workspace> workspace;

  IntentModel(ModelMetadata metadata, List<String> intents, Vectorizer vectorizer, LinearWeights weights,
      double[] biases, Calibration calibration) {
    this(metadata, intents, vectorizer, weights, biases, calibration, AnswerPolicy.NONE);
  }

  IntentModel(ModelMetadata metadata, List<String> intents, Vectorizer vectorizer, LinearWeights weights,
      double[] biases, Calibration calibration, AnswerPolicy policy) {
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.intents = intents.toArray(String[]::new);
    this.vectorizer = vectorizer;
    this.weights = weights;
    this.biases = biases.clone();
    this.calibration = calibration;
    if (this.intents.length < 2) {
      throw new IllegalArgumentException("a model needs at least two intents");
    }
    if (weights.classes() != this.intents.length || biases.length != this.intents.length
        || weights.features() != vectorizer.featureCount()) {
      throw new IllegalArgumentException("weights, biases, intents and features disagree in size");
    }
    this.workspace = ThreadLocal.withInitial(Workspace::new);
  }

  /** Its metadata: run id, version, profile, creation time, training config and metrics. */
  public ModelMetadata metadata() {
    return metadata;
  }

  /** The same model with other metadata (the weights are shared, not copied). */
  public IntentModel withMetadata(ModelMetadata other) {
    return new IntentModel(other, List.of(intents), vectorizer, weights, biases, calibration, policy);
  }

  /** When its predictions are answered, clarified or escalated ({@link AnswerPolicy#NONE} for old files). */
  public AnswerPolicy policy() {
    return policy;
  }

  /** The same model with another answer policy (the weights are shared, not copied). */
  public IntentModel withPolicy(AnswerPolicy other) {
    return new IntentModel(metadata, List.of(intents), vectorizer, weights, biases, calibration, other);
  }

  /** The intents it knows, in the order of {@link #probabilities(String)}. */
  public List<String> intents() {
    return List.of(intents);
  }

  /** The number of TF-IDF features. */
  public int featureCount() {
    return vectorizer.featureCount();
  }

  /** How confidences are calibrated: {@code temperature} or {@code sigmoid}. */
  public String calibrationMethod() {
    return calibration.method();
  }

  /**
   * The most probable intent of {@code text}, its confidence, and the {@code topK} most probable
   * intents (1 <= topK; fewer when the model knows fewer), best first, ties in intent order.
   */
  public Prediction predict(String text, int topK) {
    return predict(text, topK, Double.NaN);
  }

  /**
   * As {@link #predict(String, int)}, the action decided with {@code minConfidence} in [0, 1] in
   * place of the learned rule (answer when the confidence reaches it); NaN keeps the learned rule.
   */
  public Prediction predict(String text, int topK, double minConfidence) {
    if (topK < 1) {
      throw new IllegalArgumentException("topK must be at least 1");
    }
    Workspace w = workspace.get();
    w.compute(text);
    int first = -1;
    int second = -1;
    for (int c = 0; c < intents.length; c++) {
      if (first < 0 || w.probs[c] > w.probs[first]) {
        second = first;
        first = c;
      } else if (second < 0 || w.probs[c] > w.probs[second]) {
        second = c;
      }
    }
    Action action = policy.decide(intents[first], w.probs[first], intents[second], w.probs[second], minConfidence);
    List<String> clarify = action == Action.CLARIFY ? List.of(intents[first], intents[second]) : null;
    int k = Math.min(topK, intents.length);
    Prediction.IntentScore[] top = new Prediction.IntentScore[k];
    boolean[] taken = w.taken;
    for (int j = 0; j < k; j++) {
      int best = -1;
      for (int c = 0; c < intents.length; c++) {
        if (!taken[c] && (best < 0 || w.probs[c] > w.probs[best])) {
          best = c;
        }
      }
      taken[best] = true;
      top[j] = new Prediction.IntentScore(intents[best], w.probs[best]);
    }
    Arrays.fill(taken, false);
    return new Prediction(top[0].intent(), top[0].confidence(), List.of(top), action, clarify);
  }

  /** The calibrated probability of every intent (in {@link #intents()} order; sums to 1). */
  public double[] probabilities(String text) {
    Workspace w = workspace.get();
    w.compute(text);
    return w.probs.clone();
  }

  /** The raw one-vs-rest decision values of every intent, before calibration. */
  double[] decisionValues(String text) {
    Workspace w = workspace.get();
    w.compute(text);
    return w.scores.clone();
  }

  Vectorizer vectorizer() {
    return vectorizer;
  }

  LinearWeights weights() {
    return weights;
  }

  double[] biases() {
    return biases.clone();
  }

  Calibration calibration() {
    return calibration;
  }

  /** Per-thread buffers: features of the current text, scores, probabilities. */
  private final class Workspace {
    final Vectorizer.Features features = vectorizer.newFeatures();
    final double[] scores = new double[intents.length];
    final double[] probs = new double[intents.length];
    final boolean[] taken = new boolean[intents.length];

    void compute(String text) {
      vectorizer.transform(text, features);
      System.arraycopy(biases, 0, scores, 0, scores.length);
      for (int k = 0; k < features.nnz; k++) {
        weights.accumulate(features.idx[k], features.val[k], scores);
      }
      calibration.probabilities(scores, probs);
    }
  }

}
