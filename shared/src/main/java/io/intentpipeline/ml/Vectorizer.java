package io.intentpipeline.ml;

import java.util.Arrays;

/**
 * A frozen TF-IDF transformer: n-gram blocks, each with its vocabulary, laid side by side in one
 * feature space. A text's value for a feature is its count (or 1 + ln count when
 * {@code sublinearTf}) times the feature's IDF; each block is then scaled to unit L2 norm, as
 * scikit-learn's TfidfVectorizer does for one block.
 */
final class Vectorizer {
  private final FeatureBlock[] blocks;
  private final Vocabulary[] vocabularies;
  private final int[] offsets;
  private final double[] idf;
  private final boolean sublinearTf;

  Vectorizer(FeatureBlock[] blocks, Vocabulary[] vocabularies, double[] idf, boolean sublinearTf) {
    if (blocks.length != vocabularies.length || blocks.length == 0) {
      throw new IllegalArgumentException("one vocabulary per block, at least one block");
    }
    this.blocks = blocks.clone();
    this.vocabularies = vocabularies.clone();
    this.offsets = new int[blocks.length + 1];
    for (int b = 0; b < blocks.length; b++) {
      offsets[b + 1] = offsets[b] + vocabularies[b].size();
    }
    if (idf.length != offsets[blocks.length]) {
      throw new IllegalArgumentException("idf has " + idf.length + " values for " + offsets[blocks.length]
          + " features");
    }
    this.idf = idf.clone();
    this.sublinearTf = sublinearTf;
  }

  int featureCount() {
    return offsets[blocks.length];
  }

  FeatureBlock[] blocks() {
    return blocks.clone();
  }

  Vocabulary vocabulary(int block) {
    return vocabularies[block];
  }

  double idf(int feature) {
    return idf[feature];
  }

  boolean sublinearTf() {
    return sublinearTf;
  }

  /** A new per-thread workspace for {@link #transform(String, Features)}. */
  Features newFeatures() {
    return new Features(featureCount(), blocks.length);
  }

  /**
   * Fills {@code out} with the TF-IDF vector of {@code text}: {@code out.nnz} entries, features of
   * a block contiguous, in order of first appearance.
   */
  void transform(String text, Features out) {
    out.reset();
    out.scanner.scan(text, blocks, out);
    out.closeBlocks(blocks.length);
    int from = 0;
    for (int b = 0; b < blocks.length; b++) {
      int to = out.blockEnd[b];
      double norm = 0;
      for (int k = from; k < to; k++) {
        double tf = out.val[k];
        double v = (sublinearTf ? 1 + Math.log(tf) : tf) * idf[out.idx[k]];
        out.val[k] = v;
        norm += v * v;
      }
      if (norm > 0) {
        double scale = 1 / Math.sqrt(norm);
        for (int k = from; k < to; k++) {
          out.val[k] *= scale;
        }
      }
      from = to;
    }
    for (int k = 0; k < out.nnz; k++) {
      out.slot[out.idx[k]] = -1;
    }
  }

  /** The TF-IDF vector of {@code text} with indices ascending (for training). */
  SparseVector vector(String text, Features work) {
    transform(text, work);
    int n = work.nnz;
    long[] packed = new long[n];
    for (int k = 0; k < n; k++) {
      packed[k] = ((long) work.idx[k] << 32) | k;
    }
    Arrays.sort(packed);
    int[] idx = new int[n];
    double[] val = new double[n];
    for (int k = 0; k < n; k++) {
      idx[k] = (int) (packed[k] >>> 32);
      val[k] = work.val[(int) packed[k]];
    }
    return new SparseVector(idx, val);
  }

  /** A sparse vector: ascending feature indices and their values. */
  record SparseVector(int[] indices, double[] values) {}

  /** Reused workspace: the scanner, counts of the current text, and a feature-to-entry map. */
  final class Features implements NgramScanner.Sink {
    final NgramScanner scanner = new NgramScanner();
    final int[] slot;
    final int[] blockEnd;
    int[] idx = new int[256];
    double[] val = new double[256];
    int nnz;
    private int block;

    Features(int features, int blockCount) {
      slot = new int[features];
      Arrays.fill(slot, -1);
      blockEnd = new int[blockCount];
    }

    void reset() {
      nnz = 0;
      block = 0;
    }

    void closeBlocks(int upTo) {
      while (block < upTo) {
        blockEnd[block++] = nnz;
      }
    }

    @Override
    public void accept(int b, char[] buf, int start, int end, long hash) {
      if (b != block) {
        closeBlocks(b);
      }
      int term = vocabularies[b].indexOf(buf, start, end, hash);
      if (term < 0) {
        return;
      }
      int feature = offsets[b] + term;
      int at = slot[feature];
      if (at >= 0) {
        val[at] += 1;
        return;
      }
      if (nnz == idx.length) {
        idx = Arrays.copyOf(idx, nnz * 2);
        val = Arrays.copyOf(val, nnz * 2);
      }
      slot[feature] = nnz;
      idx[nnz] = feature;
      val[nnz++] = 1;
    }
  }
}
