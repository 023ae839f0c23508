package io.intentpipeline.ml;

/**
 * Enumerates the n-grams of a text without building substrings: each n-gram is handed to a sink
 * as a range of a reused buffer with its 64-bit hash. One instance per thread (it owns buffers).
 * Training and prediction both use it, so they always agree on what a feature is.
 */
final class NgramScanner {
  static final long FNV_OFFSET = 0xcbf29ce484222325L;
  static final long FNV_PRIME = 0x100000001b3L;

  /** Receives one n-gram: {@code buf[start, end)} of block {@code block}, and its hash. */
  interface Sink {
    void accept(int block, char[] buf, int start, int end, long hash);
  }

  private char[] lower = new char[256];
  private int length;
  private char[] joined = new char[256];
  private int[] tokenStart = new int[64];
  private int[] tokenEnd = new int[64];
  private char[] padded = new char[64];

  /** FNV-1a over {@code buf[start, end)}: the hash every n-gram is looked up by. */
  static long hash(char[] buf, int start, int end) {
    long h = FNV_OFFSET;
    for (int i = start; i < end; i++) {
      h = (h ^ buf[i]) * FNV_PRIME;
    }
    return h;
  }

  /** Sends every n-gram of {@code text} for each block, in block order. */
  void scan(String text, FeatureBlock[] blocks, Sink sink) {
    lowercase(text);
    for (int b = 0; b < blocks.length; b++) {
      FeatureBlock block = blocks[b];
      if (block.kind() == FeatureBlock.Kind.WORD) {
        words(b, block, sink);
      } else {
        charsInWords(b, block, sink);
      }
    }
  }

  private void lowercase(String text) {
    int n = text.length();
    if (lower.length < n * 2) {
      lower = new char[Math.max(n * 2, lower.length * 2)];
    }
    int out = 0;
    for (int i = 0; i < n; ) {
      char c = text.charAt(i);
      if (c < 0x80) {
        lower[out++] = (c >= 'A' && c <= 'Z') ? (char) (c + 32) : c;
        i++;
        continue;
      }
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      out += Character.toChars(Character.toLowerCase(cp), lower, out);
    }
    length = out;
  }

  static boolean isWordChar(int cp) {
    if (cp < 0x80) {
      return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || cp == '_';
    }
    if (Character.isLetter(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
        || type == Character.OTHER_NUMBER;
  }

  static boolean isSpace(char c) {
    return c == ' ' || (c < 0x80 ? (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f)
        : Character.isWhitespace(c) || Character.isSpaceChar(c));
  }

  private void words(int b, FeatureBlock block, Sink sink) {
    // Tokens of at least minTokenLength, copied one space apart so that every n-gram is a range.
    if (joined.length < length + 1) {
      joined = new char[Math.max(length + 1, joined.length * 2)];
    }
    int tokens = 0;
    int out = 0;
    int i = 0;
    while (i < length) {
      int cp = Character.codePointAt(lower, i, length);
      if (!isWordChar(cp)) {
        i += Character.charCount(cp);
        continue;
      }
      int start = i;
      int chars = 0;
      while (i < length) {
        cp = Character.codePointAt(lower, i, length);
        if (!isWordChar(cp)) {
          break;
        }
        i += Character.charCount(cp);
        chars++;
      }
      if (chars < block.minTokenLength()) {
        continue;
      }
      if (tokens == tokenStart.length) {
        tokenStart = java.util.Arrays.copyOf(tokenStart, tokens * 2);
        tokenEnd = java.util.Arrays.copyOf(tokenEnd, tokens * 2);
      }
      if (tokens > 0) {
        joined[out++] = ' ';
      }
      tokenStart[tokens] = out;
      System.arraycopy(lower, start, joined, out, i - start);
      out += i - start;
      tokenEnd[tokens++] = out;
    }
    for (int t = 0; t < tokens; t++) {
      long h = FNV_OFFSET;
      int pos = tokenStart[t];
      int maxN = Math.min(block.maxN(), tokens - t);
      for (int n = 1; n <= maxN; n++) {
        int end = tokenEnd[t + n - 1];
        for (; pos < end; pos++) {
          h = (h ^ joined[pos]) * FNV_PRIME;
        }
        if (n >= block.minN()) {
          sink.accept(b, joined, tokenStart[t], end, h);
        }
      }
    }
  }

  private void charsInWords(int b, FeatureBlock block, Sink sink) {
    int minN = block.minN();
    int maxN = block.maxN();
    int i = 0;
    while (i < length) {
      if (isSpace(lower[i])) {
        i++;
        continue;
      }
      int start = i;
      while (i < length && !isSpace(lower[i])) {
        i++;
      }
      int len = i - start + 2;
      if (padded.length < len) {
        padded = new char[len * 2];
      }
      padded[0] = ' ';
      System.arraycopy(lower, start, padded, 1, i - start);
      padded[len - 1] = ' ';
      for (int s = 0; s + minN <= len; s++) {
        long h = FNV_OFFSET;
        int pos = s;
        int top = Math.min(maxN, len - s);
        for (int n = 1; n <= top; n++) {
          h = (h ^ padded[pos++]) * FNV_PRIME;
          if (n >= minN) {
            sink.accept(b, padded, s, s + n, h);
          }
        }
      }
      // scikit-learn counts a padded word shorter than the smallest n once, whole.
      if (len < minN) {
        sink.accept(b, padded, 0, len, hash(padded, 0, len));
      }
    }
  }
}
