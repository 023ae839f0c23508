package io.intentpipeline.local.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The same kinds as {@code Redactor}, found with one regular expression per kind and the same
 * checks (Luhn, mod 97) after a match: the alternative the redaction benchmark measures the
 * hand-written scanner against. Not used by any function.
 */
final class RegexRedactor {
  private static final Pattern IBAN = Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}\\b");
  private static final Pattern CARD = Pattern.compile("(?<![\\w+(])[2-6]\\d{3}(?:[ -]?\\d){9,15}\\b");
  private static final Pattern EMAIL = Pattern.compile(
      "[\\p{L}\\p{N}][\\p{L}\\p{N}._%+-]{0,63}@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,}\\b");
  private static final Pattern PHONE = Pattern.compile(
      "(?<![\\w])(?:\\+[1-9]\\d{0,2}(?:[ .-]?\\(0\\))?(?:[ .-]?\\d){6,13}"
          + "|00[1-9](?:[ .-]?\\d){8,14}"
          + "|\\([2-9]\\d{2}\\) ?\\d{3}[ .-]\\d{4}"
          + "|1-[2-9]\\d{2}-\\d{3}-\\d{4}"
          + "|[2-9]\\d{2}([.-])\\d{3}\\1\\d{4}"
          + "|0[1-9](?:[ .-]?\\d){8,9}"
          + "|[67]\\d{2} \\d{3} \\d{3}"
          + "|3\\d{2} \\d{3} \\d{4})(?![\\w])");

  String apply(String text) {
    String out = replace(EMAIL, text, "[EMAIL]", Check.NONE);
    out = replace(IBAN, out, "[IBAN]", Check.IBAN);
    out = replace(CARD, out, "[CARD]", Check.LUHN);
    return replace(PHONE, out, "[PHONE]", Check.NONE);
  }

  private enum Check { NONE, LUHN, IBAN }

  private static String replace(Pattern pattern, String text, String placeholder, Check check) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    do {
      String found = m.group();
      boolean ok = switch (check) {
        case NONE -> true;
        case LUHN -> luhn(found);
        case IBAN -> mod97(found.replace(" ", ""));
      };
      if (ok) {
        out.append(text, copied, m.start()).append(placeholder);
        copied = m.end();
      }
    } while (m.find());
    return out.append(text, copied, text.length()).toString();
  }

  private static boolean luhn(String s) {
    int sum = 0;
    boolean twice = false;
    for (int k = s.length() - 1; k >= 0; k--) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (twice) {
        d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  private static boolean mod97(String iban) {
    String moved = iban.substring(4) + iban.substring(0, 4);
    int r = 0;
    for (char c : moved.toUpperCase(java.util.Locale.ROOT).toCharArray()) {
      r = Character.isDigit(c) ? (r * 10 + (c - '0')) % 97 : (r * 100 + (c - 'A' + 10)) % 97;
    }
    return r == 1;
  }
}
