package io.intentpipeline.interaction;

/**
 * What every user text must be to be stored, queued or classified: at most a number of code
 * points, and none of the NUL character (PostgreSQL refuses it), a lone surrogate (pgjdbc would
 * store '?') or the noncharacters U+FFFE and U+FFFF (SQS refuses them).
 *
 * <p>Needs no JSON library, so the predict function checks its input with the same rules as
 * record without loading one.
 */
public final class TextRules {
  private TextRules() {}

  /**
   * Fails with an {@link InvalidInteractionException} naming {@code field} (never repeating the
   * text) unless {@code text} has at most {@code maxChars} code points and none of the characters
   * above.
   */
  public static void check(String text, String field, int maxChars) {
    int codePoints = 0;
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c == 0) {
        throw new InvalidInteractionException(field, field + " must not contain the NUL character (\\u0000)");
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          throw loneSurrogate(field);
        }
      } else if (Character.isLowSurrogate(c)) {
        throw loneSurrogate(field);
      } else if (c == '\uFFFE' || c == '\uFFFF') {
        throw new InvalidInteractionException(field, field + " must not contain the noncharacters U+FFFE or U+FFFF");
      }
      if (++codePoints > maxChars) {
        throw new InvalidInteractionException(field, field + " must be at most " + maxChars + " characters");
      }
    }
  }

  private static InvalidInteractionException loneSurrogate(String field) {
    return new InvalidInteractionException(field,
        field + " must be valid Unicode: it contains a lone surrogate (an unpaired \\uD800-\\uDFFF escape)");
  }
}
