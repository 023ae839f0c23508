package io.intentpipeline.ml;

import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.json.JsonText;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Turns labelled samples into an {@link IntentModel} following a {@link TrainingProfile}.
 * Human-corrected samples weigh twice (they are repeated in the SVM's problem); class weights are
 * balanced as scikit-learn defines them, n_samples / (n_classes * count); the one-vs-rest
 * problems run on all cores. The same samples, profile and seed give the same model, byte for byte.
 *
 * <p>The final model is trained on training plus validation samples, after the validation split
 * has served to choose C and fit the calibration (profile {@code default}); profile {@code seed}
 * calibrates by cross-validation on all of them, as the original system did.
 */
public final class Trainer {
  private static final DateTimeFormatter VERSION =
      DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

  private final TrainingProfile profile;
  private final Clock clock;
  private final int threads;
  private final double targetAccuracy;
  private final String outOfScopeIntent;

  /** A trainer using all cores and the system clock. */
  public Trainer(TrainingProfile profile) {
    this(profile, Clock.systemUTC(), Runtime.getRuntime().availableProcessors());
  }

  /** A trainer with a given clock (creation time and version) and number of threads. */
  public Trainer(TrainingProfile profile, Clock clock, int threads) {
    this(profile, clock, threads, AnswerPolicy.DEFAULT_TARGET_ACCURACY, AnswerPolicy.DEFAULT_OUT_OF_SCOPE);
  }

  private Trainer(TrainingProfile profile, Clock clock, int threads, double targetAccuracy, String outOfScopeIntent) {
    if (!(targetAccuracy > 0 && targetAccuracy <= 1)) {
      throw new IllegalArgumentException("the answer target accuracy must be in (0, 1]: " + targetAccuracy);
    }
    if (outOfScopeIntent == null || outOfScopeIntent.isBlank()) {
      throw new IllegalArgumentException("the out-of-scope intent needs a name");
    }
    this.profile = profile;
    this.clock = clock;
    this.threads = threads;
    this.targetAccuracy = targetAccuracy;
    this.outOfScopeIntent = outOfScopeIntent;
  }

  /**
   * The same trainer choosing the answer threshold for {@code targetAccuracy} (answered accuracy
   * on the held-out samples, in (0, 1]) with {@code outOfScopeIntent} as the reserved intent.
   */
  public Trainer answering(double targetAccuracy, String outOfScopeIntent) {
    return new Trainer(profile, clock, threads, targetAccuracy, outOfScopeIntent);
  }

  /** What training produced, with figures about how. */
  public record Result(IntentModel model, double fitSeconds, int trainSamples, int validationSamples,
      double chosenC, Map<Double, Double> validationF1ByC, HeldOut heldOut, AnswerPolicyFitter.Fit answer) {}

  /**
   * Calibrated probabilities of samples the model that produced them did not train on (the
   * validation split, or the cross-validation folds), with their labels (index into the model's
   * intents): what the answer policy is chosen on. Empty when nothing was held out.
   */
  public record HeldOut(double[][] probabilities, int[] labels) {
    static final HeldOut NONE = new HeldOut(new double[0][], new int[0]);

    /** How many samples. */
    public int size() {
      return labels.length;
    }
  }

  /** Trains without progress messages. */
  public Result train(List<TrainingSample> train, List<TrainingSample> validation, long seed) {
    return train(train, validation, seed, message -> { });
  }

  /**
   * Trains on {@code train}, using {@code validation} as the profile says (when empty and needed,
   * 15% of {@code train} is held out, stratified with the seed). Fails with
   * IllegalArgumentException when fewer than two intents are present.
   */
  public Result train(List<TrainingSample> train, List<TrainingSample> validation, long seed,
      Consumer<String> progress) {
    long start = System.nanoTime();
    List<TrainingSample> all = new ArrayList<>(train);
    all.addAll(validation);
    List<String> intents = new ArrayList<>(new TreeSet<>(all.stream().map(TrainingSample::intent).toList()));
    if (intents.size() < 2) {
      throw new IllegalArgumentException("training needs at least two intents, found " + intents.size());
    }
    Map<String, Integer> classOf = new HashMap<>();
    for (int i = 0; i < intents.size(); i++) {
      classOf.put(intents.get(i), i);
    }
    Map<String, Object> config = baseConfig(seed);
    Result result = profile.calibration() == TrainingProfile.CalibrationMethod.SIGMOID_CV
        ? trainCrossValidated(all, intents, classOf, seed, config, progress, start)
        : trainTuned(train, validation, intents, classOf, seed, config, progress, start);
    progress.accept("choosing the answer threshold on " + result.heldOut().size() + " held-out samples (target "
        + targetAccuracy + ")");
    AnswerPolicyFitter.Fit answer = AnswerPolicyFitter.fit(result.heldOut().probabilities(), result.heldOut().labels(),
        intents, outOfScopeIntent, targetAccuracy);
    return new Result(result.model().withPolicy(answer.policy()), result.fitSeconds(), result.trainSamples(),
        result.validationSamples(), result.chosenC(), result.validationF1ByC(), result.heldOut(), answer);
  }

  private Result trainCrossValidated(List<TrainingSample> all, List<String> intents, Map<String, Integer> classOf,
      long seed, Map<String, Object> config, Consumer<String> progress, long start) {
    int k = intents.size();
    progress.accept("fitting TF-IDF on " + all.size() + " texts");
    Vectorizer vectorizer = fitVectorizer(all);
    LiblinearAdapter.Matrix matrix = matrix(vectorizer, all);
    int[] labels = labels(all, classOf);
    double c = profile.cGrid().get(0);
    int folds = Math.min(profile.calibrationFolds(), minCount(labels, k));
    List<LiblinearAdapter.Fit> fits = new ArrayList<>();
    int[] fold = folds >= 2 ? stratifiedFolds(labels, folds) : null;
    if (fold != null) {
      for (int f = 0; f < folds; f++) {
        int held = f;
        fits.add(fit(all, labels, i -> fold[i] != held, k, c, seed));
      }
    }
    if (fold == null) {
      fits.add(fit(all, labels, i -> true, k, c, seed));
    }
    progress.accept("training " + fits.size() + " x " + k + " one-vs-rest SVMs (C=" + c + ")");
    List<LiblinearAdapter.Ovr> models = LiblinearAdapter.train(matrix, fits, k, profile.tolerance(),
        profile.maxIterations(), threads);
    Calibration calibration;
    HeldOut heldOut = HeldOut.NONE;
    progress.accept("calibrating on held-out decision values");
    if (fold != null) {
      double[][] held = new double[all.size()][];
      for (int i = 0; i < all.size(); i++) {
        held[i] = LiblinearAdapter.decisionValues(models.get(fold[i]), matrix, i, k);
      }
      calibration = CalibrationFitter.platt(held, labels, k);
      config.put("calibration", ordered("method", "sigmoid", "folds", folds));
      heldOut = probabilities(calibration, held, labels);
    } else {
      // An intent with a single sample leaves nothing to hold out: plain softmax, uncalibrated.
      calibration = new Calibration.Temperature(1.0);
      config.put("calibration", ordered("method", "none", "reason", "an intent has fewer than 2 samples"));
    }
    config.put("c", c);
    // The fold models, averaged: like CalibratedClassifierCV's ensemble, the final predictor is
    // built from the k cross-validation fits (no extra fit on all data), but as one linear model.
    progress.accept("averaging the fold models");
    LiblinearAdapter.Ovr average = average(models);
    IntentModel model = build(intents, vectorizer, average, calibration, config, all.size(), 0);
    return new Result(model, seconds(start), all.size(), 0, c, Map.of(), heldOut, null);
  }

  private Result trainTuned(List<TrainingSample> train, List<TrainingSample> validation, List<String> intents,
      Map<String, Integer> classOf, long seed, Map<String, Object> config, Consumer<String> progress, long start) {
    int k = intents.size();
    List<TrainingSample> fitPart = train;
    List<TrainingSample> heldOut = validation;
    if (heldOut.isEmpty()) {
      DatasetSplitter.Split split = DatasetSplitter.split(train, 0.15, 0.0, seed);
      fitPart = split.train();
      heldOut = split.validation();
    }
    double chosen = defaultC();
    Calibration calibration = new Calibration.Temperature(1.0);
    Map<Double, Double> f1ByC = new LinkedHashMap<>();
    HeldOut held = HeldOut.NONE;
    if (!heldOut.isEmpty()) {
      Tuning tuning = tune(fitPart, heldOut, classOf, k, seed, progress);
      chosen = tuning.c();
      calibration = tuning.calibration();
      f1ByC = tuning.f1ByC();
      held = tuning.heldOut();
      config.put("calibration", ordered("method", "temperature", "temperature",
          tuning.calibration().temperature(), "fitted_on", "validation"));
      config.put("validation_f1_by_c", stringKeys(f1ByC));
    } else {
      config.put("calibration", ordered("method", "none", "reason", "no validation samples"));
    }
    config.put("c", chosen);
    List<TrainingSample> all = new ArrayList<>(fitPart);
    all.addAll(heldOut);
    progress.accept("training the final model on " + all.size() + " texts (C=" + chosen + ")");
    Vectorizer vectorizer = fitVectorizer(all);
    LiblinearAdapter.Matrix matrix = matrix(vectorizer, all);
    int[] labels = labels(all, classOf);
    LiblinearAdapter.Ovr fitted = LiblinearAdapter.train(matrix, List.of(fit(all, labels, i -> true, k, chosen, seed)),
        k, profile.tolerance(), profile.maxIterations(), threads).get(0);
    IntentModel model = build(intents, vectorizer, fitted, calibration, config, fitPart.size(), heldOut.size());
    return new Result(model, seconds(start), fitPart.size(), heldOut.size(), chosen, f1ByC, held, null);
  }

  /** C when nothing is tuned: 1 when the grid has it, else its first value. */
  private double defaultC() {
    return profile.cGrid().contains(1.0) ? 1.0 : profile.cGrid().get(0);
  }

  /** What tuning on the validation split chose: C, the temperature, and the validation F1 of each C. */
  private record Tuning(double c, Calibration.Temperature calibration, Map<Double, Double> f1ByC, HeldOut heldOut) {}

  /**
   * Trains one model per C of the grid on {@code fitPart} and keeps the C with the best macro F1
   * on {@code heldOut}, then fits the temperature on that model's held-out scores. A method of its
   * own so that its matrices and models are garbage before the final model's are built.
   */
  private Tuning tune(List<TrainingSample> fitPart, List<TrainingSample> heldOut, Map<String, Integer> classOf,
      int k, long seed, Consumer<String> progress) {
    progress.accept("fitting TF-IDF on " + fitPart.size() + " texts (validation: " + heldOut.size() + ")");
    Vectorizer tuning = fitVectorizer(fitPart);
    List<LiblinearAdapter.Ovr> models = fitGrid(tuning, fitPart, classOf, k, seed, progress);
    int[] heldLabels = labels(heldOut, classOf);
    LiblinearAdapter.Matrix heldMatrix = matrix(tuning, heldOut);
    double chosen = defaultC();
    Map<Double, Double> f1ByC = new LinkedHashMap<>();
    double bestF1 = -1;
    double[][] bestScores = null;
    for (int m = 0; m < models.size(); m++) {
      double[][] scores = new double[heldOut.size()][];
      int[] predicted = new int[heldOut.size()];
      for (int i = 0; i < heldOut.size(); i++) {
        scores[i] = LiblinearAdapter.decisionValues(models.get(m), heldMatrix, i, k);
        predicted[i] = argmax(scores[i]);
      }
      double f1 = Evaluator.macroF1(heldLabels, predicted, k);
      double c = profile.cGrid().get(m);
      f1ByC.put(c, f1);
      if (f1 > bestF1 + 1e-12) {
        bestF1 = f1;
        chosen = c;
        bestScores = scores;
      }
    }
    Calibration.Temperature temperature = CalibrationFitter.temperature(bestScores, heldLabels);
    return new Tuning(chosen, temperature, f1ByC, probabilities(temperature, bestScores, heldLabels));
  }

  /**
   * One model per C of the grid, trained on {@code fitPart}; a method of its own so that the
   * training matrix is garbage once the models are trained, before the held-out rows are scored.
   */
  private List<LiblinearAdapter.Ovr> fitGrid(Vectorizer vectorizer, List<TrainingSample> fitPart,
      Map<String, Integer> classOf, int k, long seed, Consumer<String> progress) {
    LiblinearAdapter.Matrix matrix = matrix(vectorizer, fitPart);
    int[] labels = labels(fitPart, classOf);
    List<LiblinearAdapter.Fit> fits = new ArrayList<>();
    for (double c : profile.cGrid()) {
      fits.add(fit(fitPart, labels, i -> true, k, c, seed));
    }
    progress.accept("tuning C over " + profile.cGrid() + " (" + fits.size() + " x " + k + " SVMs)");
    return LiblinearAdapter.train(matrix, fits, k, profile.tolerance(), profile.maxIterations(), threads);
  }

  private static HeldOut probabilities(Calibration calibration, double[][] scores, int[] labels) {
    double[][] probs = new double[scores.length][];
    for (int i = 0; i < scores.length; i++) {
      probs[i] = new double[scores[i].length];
      calibration.probabilities(scores[i], probs[i]);
    }
    return new HeldOut(probs, labels.clone());
  }

  private static LiblinearAdapter.Ovr average(List<LiblinearAdapter.Ovr> models) {
    if (models.size() == 1) {
      return models.get(0);
    }
    double[] w = new double[models.get(0).weights().length];
    double[] b = new double[models.get(0).biases().length];
    for (LiblinearAdapter.Ovr m : models) {
      double[] mw = m.weights();
      for (int i = 0; i < w.length; i++) {
        w[i] += mw[i];
      }
      for (int i = 0; i < b.length; i++) {
        b[i] += m.biases()[i];
      }
    }
    for (int i = 0; i < w.length; i++) {
      w[i] /= models.size();
    }
    for (int i = 0; i < b.length; i++) {
      b[i] /= models.size();
    }
    return new LiblinearAdapter.Ovr(w, b);
  }

  private Vectorizer fitVectorizer(List<TrainingSample> samples) {
    List<String> texts = samples.stream().map(TrainingSample::userMessage).toList();
    return VectorizerFitter.fit(texts, profile.blocks().toArray(FeatureBlock[]::new), profile.sublinearTf(),
        profile.minDf(), profile.maxFeaturesPerBlock());
  }

  /** The samples' TF-IDF rows in liblinear's form, each converted as soon as it is computed. */
  private static LiblinearAdapter.Matrix matrix(Vectorizer vectorizer, List<TrainingSample> samples) {
    Vectorizer.Features work = vectorizer.newFeatures();
    return LiblinearAdapter.matrix(samples.size(), vectorizer.featureCount(),
        i -> vectorizer.vector(samples.get(i).userMessage(), work));
  }

  private static int[] labels(List<TrainingSample> samples, Map<String, Integer> classOf) {
    int[] labels = new int[samples.size()];
    for (int i = 0; i < labels.length; i++) {
      Integer c = classOf.get(samples.get(i).intent());
      labels[i] = c == null ? -1 : c;
    }
    return labels;
  }

  /**
   * A fit over the samples selected by {@code include}; corrected samples appear twice. Class
   * weights are computed on the selected samples counted once, as scikit-learn computes
   * "balanced" weights from the labels regardless of sample weights.
   */
  private LiblinearAdapter.Fit fit(List<TrainingSample> samples, int[] labels, java.util.function.IntPredicate include,
      int classes, double c, long seed) {
    List<Integer> rows = new ArrayList<>();
    int[] counts = new int[classes];
    int selected = 0;
    for (int i = 0; i < labels.length; i++) {
      if (!include.test(i)) {
        continue;
      }
      rows.add(i);
      counts[labels[i]]++;
      selected++;
      if (samples.get(i).wasCorrected()) {
        rows.add(i);
      }
    }
    int present = 0;
    for (int count : counts) {
      present += count > 0 ? 1 : 0;
    }
    double[] weights = new double[classes];
    for (int cls = 0; cls < classes; cls++) {
      weights[cls] = !profile.balancedClassWeights() || counts[cls] == 0
          ? 1.0 : (double) selected / (present * (double) counts[cls]);
    }
    int[] rowArray = rows.stream().mapToInt(Integer::intValue).toArray();
    int[] rowLabels = new int[rowArray.length];
    for (int i = 0; i < rowArray.length; i++) {
      rowLabels[i] = labels[rowArray[i]];
    }
    return new LiblinearAdapter.Fit(rowArray, rowLabels, c, weights, seed);
  }

  /**
   * scikit-learn's StratifiedKFold(shuffle=False) assignment: intents numbered by first
   * appearance, per-fold counts from dealing the sorted labels round-robin, then each intent's
   * samples, in input order, filling fold 0, 1, ... with those counts.
   */
  static int[] stratifiedFolds(int[] labels, int folds) {
    int n = labels.length;
    Map<Integer, Integer> firstSeen = new LinkedHashMap<>();
    for (int label : labels) {
      firstSeen.putIfAbsent(label, firstSeen.size());
    }
    int classes = firstSeen.size();
    int[] encoded = new int[n];
    for (int i = 0; i < n; i++) {
      encoded[i] = firstSeen.get(labels[i]);
    }
    int[] sorted = encoded.clone();
    Arrays.sort(sorted);
    int[][] allocation = new int[folds][classes];
    for (int i = 0; i < n; i++) {
      allocation[i % folds][sorted[i]]++;
    }
    int[] fold = new int[n];
    int[] currentFold = new int[classes];
    int[] usedInFold = new int[classes];
    for (int i = 0; i < n; i++) {
      int c = encoded[i];
      while (usedInFold[c] >= allocation[currentFold[c]][c]) {
        currentFold[c]++;
        usedInFold[c] = 0;
      }
      fold[i] = currentFold[c];
      usedInFold[c]++;
    }
    return fold;
  }

  private static int minCount(int[] labels, int classes) {
    int[] counts = new int[classes];
    for (int label : labels) {
      counts[label]++;
    }
    return Arrays.stream(counts).min().orElse(0);
  }

  static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  private IntentModel build(List<String> intents, Vectorizer vectorizer, LiblinearAdapter.Ovr fitted,
      Calibration calibration, Map<String, Object> config, int trainSamples, int validationSamples) {
    int features = vectorizer.featureCount();
    int k = intents.size();
    LinearWeights weights;
    if (profile.quantizeWeights()) {
      weights = LinearWeights.Int8.quantize(features, k, fitted.weights());
    } else {
      float[] w = new float[features * k];
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) fitted.weights()[i];
      }
      weights = new LinearWeights.Float32(features, k, w);
    }
    config.put("features", features);
    config.put("intents", k);
    config.put("train_samples", trainSamples);
    config.put("validation_samples", validationSamples);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    ModelMetadata metadata = new ModelMetadata("", "intent_classifier_" + VERSION.format(now), profile.name(), now,
        JsonText.write(config), "{}");
    return new IntentModel(metadata, intents, vectorizer, weights, fitted.biases(), calibration);
  }

  private Map<String, Object> baseConfig(long seed) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("profile", profile.name());
    config.put("vectorizer", "tfidf");
    List<Map<String, Object>> blocks = new ArrayList<>();
    for (FeatureBlock b : profile.blocks()) {
      Map<String, Object> block = new LinkedHashMap<>();
      block.put("analyzer", b.kind() == FeatureBlock.Kind.WORD ? "word" : "char_wb");
      block.put("ngram_range", List.of(b.minN(), b.maxN()));
      if (b.kind() == FeatureBlock.Kind.WORD) {
        block.put("min_token_length", b.minTokenLength());
      }
      blocks.add(block);
    }
    config.put("blocks", blocks);
    config.put("sublinear_tf", profile.sublinearTf());
    config.put("min_df", profile.minDf());
    config.put("max_features_per_block", profile.maxFeaturesPerBlock());
    config.put("classifier", "LinearSVC (liblinear L2R_L2LOSS_SVC_DUAL, one-vs-rest)");
    config.put("c_grid", profile.cGrid());
    config.put("class_weight", profile.balancedClassWeights() ? "balanced" : "none");
    config.put("corrected_sample_weight", 2);
    config.put("tolerance", profile.tolerance());
    config.put("max_iterations", profile.maxIterations());
    config.put("weights", profile.quantizeWeights() ? "int8 per feature" : "float32");
    config.put("seed", seed);
    return config;
  }

  /** A map that iterates in the order given (Map.of's order changes from one JVM to the next). */
  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static Map<String, Double> stringKeys(Map<Double, Double> map) {
    Map<String, Double> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(Double.toString(k), v));
    return out;
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
