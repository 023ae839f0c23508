package io.intentpipeline.ml;

/** Fits the calibrations on held-out decision values. */
final class CalibrationFitter {
  private CalibrationFitter() {}

  /**
   * The temperature minimising the mean cross-entropy of softmax(scores / T) on the held-out
   * rows (golden-section search over log T in [1e-3, 1e2]).
   */
  static Calibration.Temperature temperature(double[][] scores, int[] labels) {
    double lo = Math.log(1e-3);
    double hi = Math.log(1e2);
    double phi = (Math.sqrt(5) - 1) / 2;
    double x1 = hi - phi * (hi - lo);
    double x2 = lo + phi * (hi - lo);
    double f1 = nll(scores, labels, Math.exp(x1));
    double f2 = nll(scores, labels, Math.exp(x2));
    for (int i = 0; i < 80 && hi - lo > 1e-6; i++) {
      if (f1 <= f2) {
        hi = x2;
        x2 = x1;
        f2 = f1;
        x1 = hi - phi * (hi - lo);
        f1 = nll(scores, labels, Math.exp(x1));
      } else {
        lo = x1;
        x1 = x2;
        f1 = f2;
        x2 = lo + phi * (hi - lo);
        f2 = nll(scores, labels, Math.exp(x2));
      }
    }
    return new Calibration.Temperature(Math.exp((lo + hi) / 2));
  }

  /**
   * Cross-entropy against Platt's smoothed targets: the true intent (n + 1) / (n + 2), the rest
   * sharing the remainder. Without the smoothing a validation split the model gets all right
   * would drive T to 0 and every confidence to 1.
   */
  private static double nll(double[][] scores, int[] labels, double t) {
    int n = scores.length;
    int k = scores[0].length;
    double hit = (n + 1.0) / (n + 2.0);
    double miss = (1 - hit) / (k - 1);
    double total = 0;
    for (int i = 0; i < n; i++) {
      double[] s = scores[i];
      double max = Double.NEGATIVE_INFINITY;
      for (double v : s) {
        max = Math.max(max, v);
      }
      double sum = 0;
      double all = 0;
      for (double v : s) {
        sum += Math.exp((v - max) / t);
        all += (v - max) / t;
      }
      double logSum = Math.log(sum);
      double logTrue = (s[labels[i]] - max) / t - logSum;
      double logOthers = all - (s[labels[i]] - max) / t - (k - 1) * logSum;
      total -= hit * logTrue + miss * logOthers;
    }
    return total / n;
  }

  /** One Platt sigmoid per class on held-out scores (class c's positives: labels == c). */
  static Calibration.Platt platt(double[][] scores, int[] labels, int classes) {
    double[] a = new double[classes];
    double[] b = new double[classes];
    // Independent per class, and deterministic: each class writes only its own slot.
    java.util.stream.IntStream.range(0, classes).parallel().forEach(c -> {
      double[] f = new double[scores.length];
      boolean[] y = new boolean[scores.length];
      for (int i = 0; i < scores.length; i++) {
        f[i] = scores[i][c];
        y[i] = labels[i] == c;
      }
      double[] ab = sigmoid(f, y);
      a[c] = ab[0];
      b[c] = ab[1];
    });
    return new Calibration.Platt(a, b);
  }

  /**
   * Platt's sigmoid P(y=1|f) = 1 / (1 + exp(A f + B)) with his regularised targets, fitted by
   * Newton's method with backtracking (Lin, Lin and Weng, 2007): returns {A, B}.
   */
  static double[] sigmoid(double[] f, boolean[] y) {
    int n = f.length;
    int prior1 = 0;
    for (boolean v : y) {
      prior1 += v ? 1 : 0;
    }
    int prior0 = n - prior1;
    double hi = (prior1 + 1.0) / (prior1 + 2.0);
    double lo = 1.0 / (prior0 + 2.0);
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = y[i] ? hi : lo;
    }
    double a = 0;
    double b = Math.log((prior0 + 1.0) / (prior1 + 1.0));
    double fval = 0;
    for (int i = 0; i < n; i++) {
      double fApB = f[i] * a + b;
      fval += fApB >= 0 ? t[i] * fApB + Math.log1p(Math.exp(-fApB)) : (t[i] - 1) * fApB + Math.log1p(Math.exp(fApB));
    }
    final double sigma = 1e-12;
    final double eps = 1e-5;
    for (int iter = 0; iter < 100; iter++) {
      double h11 = sigma;
      double h22 = sigma;
      double h21 = 0;
      double g1 = 0;
      double g2 = 0;
      for (int i = 0; i < n; i++) {
        double fApB = f[i] * a + b;
        double p;
        double q;
        // One exp per point (the same values as computing it in each expression).
        if (fApB >= 0) {
          double e = Math.exp(-fApB);
          p = e / (1.0 + e);
          q = 1.0 / (1.0 + e);
        } else {
          double e = Math.exp(fApB);
          p = 1.0 / (1.0 + e);
          q = e / (1.0 + e);
        }
        double d2 = p * q;
        h11 += f[i] * f[i] * d2;
        h22 += d2;
        h21 += f[i] * d2;
        double d1 = t[i] - p;
        g1 += f[i] * d1;
        g2 += d1;
      }
      if (Math.abs(g1) < eps && Math.abs(g2) < eps) {
        break;
      }
      double det = h11 * h22 - h21 * h21;
      double dA = -(h22 * g1 - h21 * g2) / det;
      double dB = -(-h21 * g1 + h11 * g2) / det;
      double gd = g1 * dA + g2 * dB;
      double step = 1;
      while (step >= 1e-10) {
        double newA = a + step * dA;
        double newB = b + step * dB;
        double newf = 0;
        for (int i = 0; i < n; i++) {
          double fApB = f[i] * newA + newB;
          newf += fApB >= 0 ? t[i] * fApB + Math.log1p(Math.exp(-fApB))
              : (t[i] - 1) * fApB + Math.log1p(Math.exp(fApB));
        }
        if (newf < fval + 0.0001 * step * gd) {
          a = newA;
          b = newB;
          fval = newf;
          break;
        }
        step /= 2;
      }
      if (step < 1e-10) {
        break;
      }
    }
    return new double[] {a, b};
  }
}
