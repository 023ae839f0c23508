package io.intentpipeline.ml;

/** Turns the decision values of the one-vs-rest classifiers into probabilities that sum to 1. */
sealed interface Calibration permits Calibration.Temperature, Calibration.Platt {
  /** Writes probabilities for {@code scores} into {@code out} (same length). */
  void probabilities(double[] scores, double[] out);

  /** A short name for reports: {@code temperature} or {@code sigmoid}. */
  String method();

  /** Softmax of scores / temperature: one parameter, keeps the ranking of the scores. */
  record Temperature(double temperature) implements Calibration {
    public Temperature {
      if (!(temperature > 0) || Double.isInfinite(temperature)) {
        throw new IllegalArgumentException("temperature must be a positive number: " + temperature);
      }
    }

    @Override
    public void probabilities(double[] scores, double[] out) {
      double max = Double.NEGATIVE_INFINITY;
      for (double s : scores) {
        max = Math.max(max, s);
      }
      double sum = 0;
      for (int c = 0; c < scores.length; c++) {
        double e = Math.exp((scores[c] - max) / temperature);
        out[c] = e;
        sum += e;
      }
      for (int c = 0; c < scores.length; c++) {
        out[c] /= sum;
      }
    }

    @Override
    public String method() {
      return "temperature";
    }
  }

  /**
   * One sigmoid per class, 1 / (1 + exp(a * s + b)), normalised to sum 1 (uniform when all are
   * 0): scikit-learn's CalibratedClassifierCV(method="sigmoid") for several classes.
   */
  record Platt(double[] a, double[] b) implements Calibration {
    public Platt {
      if (a.length != b.length) {
        throw new IllegalArgumentException("one a and one b per class");
      }
      a = a.clone();
      b = b.clone();
    }

    @Override
    public double[] a() {
      return a.clone();
    }

    @Override
    public double[] b() {
      return b.clone();
    }

    @Override
    public void probabilities(double[] scores, double[] out) {
      double sum = 0;
      for (int c = 0; c < scores.length; c++) {
        double z = a[c] * scores[c] + b[c];
        double p = z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
        out[c] = p;
        sum += p;
      }
      for (int c = 0; c < scores.length; c++) {
        out[c] = sum > 0 ? out[c] / sum : 1.0 / scores.length;
      }
    }

    @Override
    public String method() {
      return "sigmoid";
    }
  }
}
