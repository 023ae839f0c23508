package io.intentpipeline.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LiblinearAdapterTest {
  /**
   * The solver's shuffles come from this generator: it must draw exactly what java.util.Random
   * draws for the same seed, so models stay what they were before it replaced Random.
   */
  @Test
  void unsharedRandomDrawsWhatJavaUtilRandomDraws() {
    for (long seed : new long[] {0, 1, 42, -7, Long.MAX_VALUE, Long.MIN_VALUE, 0x9E3779B97F4A7C15L}) {
      Random expected = new Random(seed);
      Random actual = new LiblinearAdapter.UnsharedRandom(seed);
      for (int i = 0; i < 2_000; i++) {
        int bound = 1 + (i * 7919) % 10_007;
        assertThat(actual.nextInt(bound)).as("seed %d draw %d", seed, i).isEqualTo(expected.nextInt(bound));
      }
      assertThat(actual.nextInt()).isEqualTo(expected.nextInt());
      assertThat(actual.nextLong()).isEqualTo(expected.nextLong());
      assertThat(actual.nextDouble()).isEqualTo(expected.nextDouble());
      assertThat(actual.nextInt(1 << 20)).isEqualTo(expected.nextInt(1 << 20));
      expected.setSeed(seed + 1);
      actual.setSeed(seed + 1);
      assertThat(actual.nextInt(1000)).isEqualTo(expected.nextInt(1000));
    }
  }

  @Test
  void everyRowEndsWithTheBiasFeature() {
    List<Vectorizer.SparseVector> vectors = List.of(
        new Vectorizer.SparseVector(new int[] {0, 3}, new double[] {0.6, 0.8}),
        new Vectorizer.SparseVector(new int[] {}, new double[] {}));
    LiblinearAdapter.Matrix matrix = LiblinearAdapter.matrix(vectors.size(), 5, vectors::get);
    assertThat(matrix.rows[0]).hasSize(3);
    assertThat(matrix.rows[0][0].getIndex()).isEqualTo(1);
    assertThat(matrix.rows[0][1].getIndex()).isEqualTo(4);
    assertThat(matrix.rows[0][1].getValue()).isEqualTo(0.8);
    for (var row : matrix.rows) {
      assertThat(row[row.length - 1].getIndex()).isEqualTo(6);
      assertThat(row[row.length - 1].getValue()).isEqualTo(1.0);
    }
  }
}
