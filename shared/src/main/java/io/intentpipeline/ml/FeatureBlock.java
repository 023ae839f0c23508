package io.intentpipeline.ml;

/**
 * One family of n-gram features of a text, counted on its lower-cased form.
 *
 * <p>{@code WORD}: tokens are maximal runs of word characters (letters, numbers, {@code _}) of at
 * least {@code minTokenLength} characters; n-grams join {@code minN..maxN} consecutive tokens with
 * one space (scikit-learn's default {@code (?u)\b\w\w+\b} is {@code minTokenLength = 2}).
 * {@code CHAR_WB}: each whitespace-separated word padded with a space on both sides gives its
 * character n-grams of {@code minN..maxN} characters (scikit-learn's {@code char_wb}: a padded word shorter than
 * {@code minN} counts once, whole).
 */
public record FeatureBlock(Kind kind, int minN, int maxN, int minTokenLength) {
  /** The analyzers. */
  public enum Kind { WORD, CHAR_WB }

  /** Checks the ranges. */
  public FeatureBlock {
    if (minN < 1 || maxN < minN || maxN > 16) {
      throw new IllegalArgumentException("n-gram range must satisfy 1 <= minN <= maxN <= 16");
    }
    if (minTokenLength < 1) {
      throw new IllegalArgumentException("minTokenLength must be >= 1");
    }
  }

  /** Word n-grams over tokens of at least {@code minTokenLength} characters. */
  public static FeatureBlock words(int minN, int maxN, int minTokenLength) {
    return new FeatureBlock(Kind.WORD, minN, maxN, minTokenLength);
  }

  /** Character n-grams inside space-padded words. */
  public static FeatureBlock charsInWords(int minN, int maxN) {
    return new FeatureBlock(Kind.CHAR_WB, minN, maxN, 1);
  }
}
