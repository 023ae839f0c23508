package io.intentpipeline.json;

import java.math.BigDecimal;

/**
 * Numbers as the project writes them in JSON: always in plain decimal notation, never in exponent
 * form ({@code 70}, not {@code 7E+1}; {@code 0.00001}, not {@code 1.0E-5}), so that a reader
 * (a person, a shell script, a spreadsheet) sees the figure as it is.
 */
public final class JsonNumbers {
  private JsonNumbers() {}

  /** {@code value} in plain notation; NaN and infinities, which JSON has no words for, as {@code null}. */
  public static String plain(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "null";
    }
    double magnitude = Math.abs(value);
    if (magnitude == 0 || (magnitude >= 1e-3 && magnitude < 1e7)) {
      // Double.toString is plain in this range (and shortest); the common case stays cheap.
      return Double.toString(value);
    }
    String plain = BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    return plain.indexOf('.') < 0 ? plain + ".0" : plain;
  }
}
