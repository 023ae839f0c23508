package io.intentpipeline.ml;

import java.util.List;

/**
 * A frozen list of terms with an open-addressing index keyed by a term's FNV-1a hash and
 * checked against its characters, so a lookup takes a range of a buffer and allocates nothing.
 */
final class Vocabulary {
  private final char[] chars;
  private final int[] offsets;
  private final long[] hashes;
  private final int[] table;
  private final int mask;

  private Vocabulary(char[] chars, int[] offsets) {
    this.chars = chars;
    this.offsets = offsets;
    int n = offsets.length - 1;
    this.hashes = new long[n];
    int capacity = Integer.highestOneBit(Math.max(4, n * 2 - 1)) << 1;
    this.table = new int[capacity];
    this.mask = capacity - 1;
    for (int t = 0; t < n; t++) {
      long h = NgramScanner.hash(chars, offsets[t], offsets[t + 1]);
      hashes[t] = h;
      int slot = spread(h) & mask;
      while (table[slot] != 0) {
        int other = table[slot] - 1;
        if (hashes[other] == h && same(other, chars, offsets[t], offsets[t + 1])) {
          throw new IllegalArgumentException("duplicate term in vocabulary: " + term(t));
        }
        slot = (slot + 1) & mask;
      }
      table[slot] = t + 1;
    }
  }

  /** A vocabulary of {@code terms}; term i gets feature index i. */
  static Vocabulary of(List<String> terms) {
    int total = 0;
    for (String t : terms) {
      total += t.length();
    }
    char[] chars = new char[total];
    int[] offsets = new int[terms.size() + 1];
    int at = 0;
    for (int i = 0; i < terms.size(); i++) {
      String t = terms.get(i);
      t.getChars(0, t.length(), chars, at);
      at += t.length();
      offsets[i + 1] = at;
    }
    return new Vocabulary(chars, offsets);
  }

  /** A vocabulary over terms already laid end to end: term i is {@code chars[offsets[i], offsets[i+1])}. */
  static Vocabulary packed(char[] chars, int[] offsets) {
    return new Vocabulary(chars, offsets);
  }

  private static int spread(long h) {
    return (int) (h ^ (h >>> 32));
  }

  private boolean same(int term, char[] buf, int start, int end) {
    int from = offsets[term];
    int len = offsets[term + 1] - from;
    if (len != end - start) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (chars[from + i] != buf[start + i]) {
        return false;
      }
    }
    return true;
  }

  /** The index of the term {@code buf[start, end)} whose hash is {@code hash}, or -1. */
  int indexOf(char[] buf, int start, int end, long hash) {
    int slot = spread(hash) & mask;
    int entry;
    while ((entry = table[slot]) != 0) {
      int term = entry - 1;
      if (hashes[term] == hash && same(term, buf, start, end)) {
        return term;
      }
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  int size() {
    return offsets.length - 1;
  }

  String term(int i) {
    return new String(chars, offsets[i], offsets[i + 1] - offsets[i]);
  }

  /** The characters of all terms end to end (read-only by contract). */
  char[] chars() {
    return chars;
  }

  /** Term boundaries in {@link #chars()} (read-only by contract). */
  int[] offsets() {
    return offsets;
  }
}
