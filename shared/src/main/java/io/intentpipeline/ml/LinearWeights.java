package io.intentpipeline.ml;

/**
 * The weight matrix of a one-vs-rest linear model, stored feature-major so that one active
 * feature adds one contiguous row to the class scores.
 */
sealed interface LinearWeights permits LinearWeights.Float32, LinearWeights.Int8 {
  int features();

  int classes();

  /** scores[c] += x * w[feature][c] for every class c. */
  void accumulate(int feature, double x, double[] scores);

  /** The weight of {@code feature} for class {@code c}, as used in scoring. */
  double weight(int feature, int c);

  /** Plain floats: w[f * classes + c]. */
  record Float32(int features, int classes, float[] w) implements LinearWeights {
    @Override
    public void accumulate(int feature, double x, double[] scores) {
      int base = feature * classes;
      for (int c = 0; c < classes; c++) {
        scores[c] += x * w[base + c];
      }
    }

    @Override
    public double weight(int feature, int c) {
      return w[feature * classes + c];
    }
  }

  /** Bytes with one scale per feature: w[f][c] = q[f * classes + c] * scale[f]; a quarter of the size. */
  record Int8(int features, int classes, byte[] q, float[] scale) implements LinearWeights {
    @Override
    public void accumulate(int feature, double x, double[] scores) {
      int base = feature * classes;
      double s = x * scale[feature];
      for (int c = 0; c < classes; c++) {
        scores[c] += s * q[base + c];
      }
    }

    @Override
    public double weight(int feature, int c) {
      return q[feature * classes + c] * (double) scale[feature];
    }

    /** Rounds {@code w} (feature-major) to bytes, scaling each feature by its largest weight. */
    static Int8 quantize(int features, int classes, double[] w) {
      byte[] q = new byte[features * classes];
      float[] scale = new float[features];
      for (int f = 0; f < features; f++) {
        double max = 0;
        int base = f * classes;
        for (int c = 0; c < classes; c++) {
          max = Math.max(max, Math.abs(w[base + c]));
        }
        float s = max == 0 ? 1f : (float) (max / 127.0);
        scale[f] = s;
        for (int c = 0; c < classes; c++) {
          long r = Math.round(w[base + c] / s);
          q[base + c] = (byte) Math.max(-127, Math.min(127, r));
        }
      }
      return new Int8(features, classes, q, scale);
    }
  }
}
