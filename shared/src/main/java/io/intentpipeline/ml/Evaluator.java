package io.intentpipeline.ml;

import io.intentpipeline.dataset.TrainingSample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Scores a model on labelled samples; see {@link Evaluation} for the figures' definitions. */
public final class Evaluator {
  /** At most this many misclassified samples are listed. */
  public static final int MAX_MISCLASSIFIED = 1000;
  static final int ECE_BINS = 15;

  private Evaluator() {}

  /** Evaluates {@code model} on {@code samples} (at least one). */
  public static Evaluation evaluate(IntentModel model, List<TrainingSample> samples) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("cannot evaluate on an empty set");
    }
    List<String> intents = model.intents();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < intents.size(); i++) {
      index.put(intents.get(i), i);
    }
    String[] truth = new String[samples.size()];
    String[] predicted = new String[samples.size()];
    double[] confidence = new double[samples.size()];
    double brier = 0;
    List<Evaluation.Misclassified> wrong = new ArrayList<>();
    int wrongCount = 0;
    for (int i = 0; i < samples.size(); i++) {
      TrainingSample s = samples.get(i);
      double[] p = model.probabilities(s.userMessage());
      int best = Trainer.argmax(p);
      truth[i] = s.intent();
      predicted[i] = intents.get(best);
      confidence[i] = p[best];
      Integer t = index.get(s.intent());
      for (int c = 0; c < p.length; c++) {
        double target = t != null && t == c ? 1 : 0;
        brier += (p[c] - target) * (p[c] - target);
      }
      if (t == null) {
        brier += 1;
      }
      if (!truth[i].equals(predicted[i])) {
        wrongCount++;
        if (wrong.size() < MAX_MISCLASSIFIED) {
          wrong.add(new Evaluation.Misclassified(s.userMessage(), truth[i], predicted[i], confidence[i]));
        }
      }
    }
    return summarise(truth, predicted, confidence, brier / samples.size(), wrong, wrongCount);
  }

  static Evaluation summarise(String[] truth, String[] predicted, double[] confidence, double brier,
      List<Evaluation.Misclassified> wrong, int wrongCount) {
    TreeSet<String> labels = new TreeSet<>();
    Map<String, Map<String, Integer>> matrix = new TreeMap<>();
    int correct = 0;
    for (int i = 0; i < truth.length; i++) {
      labels.add(truth[i]);
      labels.add(predicted[i]);
      matrix.computeIfAbsent(truth[i], k -> new TreeMap<>()).merge(predicted[i], 1, Integer::sum);
      correct += truth[i].equals(predicted[i]) ? 1 : 0;
    }
    Map<String, Evaluation.IntentMetrics> per = new LinkedHashMap<>();
    double sp = 0;
    double sr = 0;
    double sf = 0;
    for (String label : labels) {
      int tp = 0;
      int support = 0;
      int predictedAs = 0;
      for (int i = 0; i < truth.length; i++) {
        boolean t = truth[i].equals(label);
        boolean p = predicted[i].equals(label);
        support += t ? 1 : 0;
        predictedAs += p ? 1 : 0;
        tp += t && p ? 1 : 0;
      }
      double precision = predictedAs == 0 ? 0 : (double) tp / predictedAs;
      double recall = support == 0 ? 0 : (double) tp / support;
      double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      per.put(label, new Evaluation.IntentMetrics(precision, recall, f1, support));
      sp += precision;
      sr += recall;
      sf += f1;
    }
    int n = labels.size();
    return new Evaluation((double) correct / truth.length, sp / n, sr / n, sf / n,
        ece(confidence, truth, predicted), brier, truth.length, n, per, new LinkedHashMap<>(matrix), wrongCount,
        wrong);
  }

  /** Expected calibration error of the top label over 15 equal-width bins (lo, hi]. */
  static double ece(double[] confidence, String[] truth, String[] predicted) {
    double[] sumConfidence = new double[ECE_BINS];
    int[] hits = new int[ECE_BINS];
    int[] count = new int[ECE_BINS];
    for (int i = 0; i < confidence.length; i++) {
      int bin = (int) Math.ceil(confidence[i] * ECE_BINS) - 1;
      bin = Math.max(0, Math.min(ECE_BINS - 1, bin));
      sumConfidence[bin] += confidence[i];
      hits[bin] += truth[i].equals(predicted[i]) ? 1 : 0;
      count[bin]++;
    }
    double ece = 0;
    for (int b = 0; b < ECE_BINS; b++) {
      if (count[b] > 0) {
        ece += Math.abs(hits[b] - sumConfidence[b]) / confidence.length;
      }
    }
    return ece;
  }

  /** Macro F1 over the classes that are true or predicted at least once (for tuning). */
  static double macroF1(int[] truth, int[] predicted, int classes) {
    int[] tp = new int[classes];
    int[] support = new int[classes];
    int[] predictedAs = new int[classes];
    for (int i = 0; i < truth.length; i++) {
      support[truth[i]]++;
      predictedAs[predicted[i]]++;
      if (truth[i] == predicted[i]) {
        tp[truth[i]]++;
      }
    }
    double sum = 0;
    int present = 0;
    for (int c = 0; c < classes; c++) {
      if (support[c] == 0 && predictedAs[c] == 0) {
        continue;
      }
      present++;
      double p = predictedAs[c] == 0 ? 0 : (double) tp[c] / predictedAs[c];
      double r = support[c] == 0 ? 0 : (double) tp[c] / support[c];
      sum += p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
    return present == 0 ? 0 : sum / present;
  }
}
