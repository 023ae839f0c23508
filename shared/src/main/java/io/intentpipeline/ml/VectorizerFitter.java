package io.intentpipeline.ml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Learns a {@link Vectorizer} from training texts, as scikit-learn's TfidfVectorizer does per
 * block: terms with document frequency below {@code minDf} are dropped, then at most
 * {@code maxFeatures} terms are kept by corpus frequency (ties by term), sorted by term;
 * IDF is smoothed: ln((1 + n) / (1 + df)) + 1.
 */
final class VectorizerFitter {
  private VectorizerFitter() {}

  static Vectorizer fit(List<String> texts, FeatureBlock[] blocks, boolean sublinearTf, int minDf,
      int maxFeatures) {
    TermCounter[] counters = new TermCounter[blocks.length];
    for (int b = 0; b < blocks.length; b++) {
      counters[b] = new TermCounter();
    }
    NgramScanner scanner = new NgramScanner();
    int[] doc = {0};
    NgramScanner.Sink sink = (b, buf, start, end, hash) -> counters[b].add(buf, start, end, hash, doc[0]);
    for (String text : texts) {
      scanner.scan(text, blocks, sink);
      doc[0]++;
    }
    int n = texts.size();
    Vocabulary[] vocabularies = new Vocabulary[blocks.length];
    List<double[]> idfs = new ArrayList<>();
    int total = 0;
    for (int b = 0; b < blocks.length; b++) {
      TermCounter counter = counters[b];
      List<Integer> kept = new ArrayList<>();
      for (int t = 0; t < counter.size; t++) {
        if (counter.df[t] >= minDf) {
          kept.add(t);
        }
      }
      String[] terms = new String[counter.size];
      for (int t : kept) {
        terms[t] = counter.term(t);
      }
      if (maxFeatures > 0 && kept.size() > maxFeatures) {
        kept.sort((x, y) -> counter.tf[x] != counter.tf[y] ? Integer.compare(counter.tf[y], counter.tf[x])
            : terms[x].compareTo(terms[y]));
        kept = new ArrayList<>(kept.subList(0, maxFeatures));
      }
      kept.sort((x, y) -> terms[x].compareTo(terms[y]));
      List<String> vocabulary = new ArrayList<>(kept.size());
      double[] idf = new double[kept.size()];
      for (int i = 0; i < kept.size(); i++) {
        int t = kept.get(i);
        vocabulary.add(terms[t]);
        idf[i] = Math.log((1.0 + n) / (1.0 + counter.df[t])) + 1.0;
      }
      vocabularies[b] = Vocabulary.of(vocabulary);
      idfs.add(idf);
      total += idf.length;
    }
    double[] idf = new double[total];
    int at = 0;
    for (double[] part : idfs) {
      System.arraycopy(part, 0, idf, at, part.length);
      at += part.length;
    }
    return new Vectorizer(blocks, vocabularies, idf, sublinearTf);
  }

  /** Counts terms (document and corpus frequency) keyed by hash and checked by characters. */
  static final class TermCounter {
    int size;
    int[] df = new int[1024];
    int[] tf = new int[1024];
    private int[] lastDoc = new int[1024];
    private long[] hashes = new long[1024];
    private int[] start = new int[1024];
    private int[] end = new int[1024];
    private char[] chars = new char[1 << 16];
    private int used;
    private int[] table = new int[2048];

    void add(char[] buf, int from, int to, long hash, int doc) {
      int mask = table.length - 1;
      int slot = (int) (hash ^ (hash >>> 32)) & mask;
      int entry;
      while ((entry = table[slot]) != 0) {
        int t = entry - 1;
        if (hashes[t] == hash && equal(t, buf, from, to)) {
          if (lastDoc[t] != doc) {
            lastDoc[t] = doc;
            df[t]++;
          }
          tf[t]++;
          return;
        }
        slot = (slot + 1) & mask;
      }
      int t = size++;
      if (t == df.length) {
        int grown = t * 2;
        df = Arrays.copyOf(df, grown);
        tf = Arrays.copyOf(tf, grown);
        lastDoc = Arrays.copyOf(lastDoc, grown);
        hashes = Arrays.copyOf(hashes, grown);
        start = Arrays.copyOf(start, grown);
        end = Arrays.copyOf(end, grown);
      }
      int len = to - from;
      if (used + len > chars.length) {
        chars = Arrays.copyOf(chars, Math.max(chars.length * 2, used + len));
      }
      System.arraycopy(buf, from, chars, used, len);
      start[t] = used;
      used += len;
      end[t] = used;
      hashes[t] = hash;
      df[t] = 1;
      tf[t] = 1;
      lastDoc[t] = doc;
      table[slot] = t + 1;
      if (size * 2 > table.length) {
        rehash();
      }
    }

    private boolean equal(int t, char[] buf, int from, int to) {
      int len = end[t] - start[t];
      if (len != to - from) {
        return false;
      }
      for (int i = 0; i < len; i++) {
        if (chars[start[t] + i] != buf[from + i]) {
          return false;
        }
      }
      return true;
    }

    private void rehash() {
      int[] bigger = new int[table.length * 2];
      int mask = bigger.length - 1;
      for (int t = 0; t < size; t++) {
        int slot = (int) (hashes[t] ^ (hashes[t] >>> 32)) & mask;
        while (bigger[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        bigger[slot] = t + 1;
      }
      table = bigger;
    }

    String term(int t) {
      return new String(chars, start[t], end[t] - start[t]);
    }
  }
}
