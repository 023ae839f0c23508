package io.intentpipeline.ml;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * The one class that touches liblinear-java: trains L2-regularised squared-hinge linear SVMs
 * (liblinear's dual coordinate descent, the solver behind scikit-learn's LinearSVC) one-vs-rest,
 * every (fit, class) problem as its own task on a pool of all cores. Each task has its own
 * random generator derived from the seed, so the result does not depend on scheduling.
 */
final class LiblinearAdapter {
  static {
    Linear.disableDebugOutput();
  }

  private LiblinearAdapter() {}

  /** Training rows in liblinear's form (with the bias feature), shared read-only by all fits. */
  static final class Matrix {
    final Feature[][] rows;
    final int features;

    private Matrix(Feature[][] rows, int features) {
      this.rows = rows;
      this.features = features;
    }
  }

  /**
   * Converts {@code count} sparse TF-IDF rows (ascending indices), row {@code i} given by
   * {@code vectors.apply(i)} when its turn comes (so that only one is alive at a time besides the
   * converted rows), and appends the constant bias feature 1.
   */
  static Matrix matrix(int count, int features, IntFunction<Vectorizer.SparseVector> vectors) {
    Feature[][] rows = new Feature[count][];
    // liblinear only reads the nodes, so every row shares one bias node.
    Feature bias = new FeatureNode(features + 1, 1.0);
    for (int i = 0; i < rows.length; i++) {
      Vectorizer.SparseVector v = vectors.apply(i);
      Feature[] row = new Feature[v.indices().length + 1];
      for (int k = 0; k < v.indices().length; k++) {
        row[k] = new FeatureNode(v.indices()[k] + 1, v.values()[k]);
      }
      row[row.length - 1] = bias;
      rows[i] = row;
    }
    return new Matrix(rows, features);
  }

  /**
   * One one-vs-rest fit: the rows it trains on (indices into the matrix; a repeated index weighs
   * that sample twice), each row's class in [0, classes), C, and the weight of each class
   * (multiplies C for that class's positive samples, as liblinear and scikit-learn do).
   */
  record Fit(int[] rows, int[] labels, double c, double[] classWeights, long seed) {}

  /** A fitted one-vs-rest model: weights feature-major (w[f * classes + c]) and one bias per class. */
  record Ovr(double[] weights, double[] biases) {}

  /** Runs every fit, all (fit, class) problems in parallel on {@code threads} threads. */
  static List<Ovr> train(Matrix matrix, List<Fit> fits, int classes, double eps, int maxIterations, int threads) {
    int features = matrix.features;
    List<Ovr> results = new ArrayList<>();
    for (int f = 0; f < fits.size(); f++) {
      results.add(new Ovr(new double[features * classes], new double[classes]));
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "liblinear");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int f = 0; f < fits.size(); f++) {
        Fit fit = fits.get(f);
        Ovr out = results.get(f);
        for (int c = 0; c < classes; c++) {
          int cls = c;
          int fitIndex = f;
          tasks.add(pool.submit(() -> trainOne(matrix, fit, fitIndex, cls, classes, eps, maxIterations, out)));
        }
      }
      for (Future<?> task : tasks) {
        task.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("training interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("training failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return results;
  }

  /** The decision values of row {@code row} of {@code matrix} under a fitted model (bias included). */
  static double[] decisionValues(Ovr model, Matrix matrix, int row, int classes) {
    double[] s = model.biases().clone();
    double[] w = model.weights();
    for (Feature node : matrix.rows[row]) {
      int f = node.getIndex() - 1;
      if (f >= matrix.features) {
        continue;
      }
      double x = node.getValue();
      int base = f * classes;
      for (int c = 0; c < classes; c++) {
        s[c] += x * w[base + c];
      }
    }
    return s;
  }

  private static void trainOne(Matrix matrix, Fit fit, int fitIndex, int cls, int classes, double eps,
      int maxIterations, Ovr out) {
    int l = fit.rows().length;
    Problem problem = new Problem();
    problem.l = l;
    problem.n = matrix.features + 1;
    problem.bias = 1.0;
    problem.x = new Feature[l][];
    problem.y = new double[l];
    int positives = 0;
    for (int i = 0; i < l; i++) {
      problem.x[i] = matrix.rows[fit.rows()[i]];
      boolean positive = fit.labels()[i] == cls;
      problem.y[i] = positive ? 1 : -1;
      positives += positive ? 1 : 0;
    }
    if (positives == 0 || positives == l) {
      // A class absent from (or alone in) this fit: a constant score, no weights.
      out.biases()[cls] = positives == 0 ? -1 : 1;
      return;
    }
    Parameter parameter = new Parameter(SolverType.L2R_L2LOSS_SVC_DUAL, fit.c(), eps);
    parameter.setMaxIters(maxIterations);
    parameter.setWeights(new double[] {fit.classWeights()[cls]}, new int[] {1});
    parameter.setRandom(new UnsharedRandom(mix(fit.seed(), fitIndex, cls)));
    Model model = Linear.train(problem, parameter);
    double[] w = model.getFeatureWeights();
    double sign = model.getLabels()[0] == 1 ? 1 : -1;
    double[] weights = out.weights();
    for (int j = 0; j < matrix.features; j++) {
      weights[j * classes + cls] = sign * w[j];
    }
    out.biases()[cls] = sign * w[matrix.features];
  }

  /**
   * java.util.Random's generator, number for number, without its thread-safe atomic update: the
   * dual solver draws one number per active sample per pass to shuffle them, and each task owns
   * its generator, so the compare-and-set on every draw is pure cost.
   */
  static final class UnsharedRandom extends Random {
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long MASK = (1L << 48) - 1;
    private static final long serialVersionUID = 1L;
    private long state;

    /** Random(seed) is specified as new Random() then setSeed(seed), so this seeds the state. */
    UnsharedRandom(long seed) {
      super(seed);
    }

    @Override
    public synchronized void setSeed(long seed) {
      super.setSeed(seed);
      state = (seed ^ MULTIPLIER) & MASK;
    }

    @Override
    protected int next(int bits) {
      state = (state * MULTIPLIER + 0xBL) & MASK;
      return (int) (state >>> (48 - bits));
    }
  }

  private static long mix(long seed, int fit, int cls) {
    long h = seed * 0x9E3779B97F4A7C15L + fit * 0xC2B2AE3D27D4EB4FL + cls * 0x165667B19E3779F9L;
    h ^= h >>> 31;
    return h * 0xBF58476D1CE4E5B9L;
  }
}
