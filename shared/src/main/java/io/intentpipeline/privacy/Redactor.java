package io.intentpipeline.privacy;

import io.intentpipeline.config.ConfigException;
import io.intentpipeline.config.Env;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Replaces personal data in a text with typed placeholders: payment card numbers ({@code [CARD]},
 * 13-19 digits, spaces or dashes allowed, Luhn-valid, first digit 2-6), IBANs ({@code [IBAN]}, a
 * known country's length, mod-97 valid, spaces allowed), e-mail addresses ({@code [EMAIL]}) and
 * phone numbers ({@code [PHONE]}: international with {@code +} or {@code 00}, North American
 * 3-3-4, national numbers with a trunk 0 of 10-11 digits), then the operator's extra pattern
 * ({@code [NAME]} of its named group, else {@code [REDACTED]}). docs/PRIVACY.md lists the formats.
 *
 * <p>The built-in kinds are found in one pass by hand, not with a regular expression per kind: on
 * the redaction benchmark's corpus the regular expressions cost several times as much per message
 * (docs/PRIVACY.md gives both figures), and this class is on record's and predict's hot paths,
 * where it loads no class beyond this one and {@link Redaction}. Immutable and thread-safe.
 */
public final class Redactor {
  /** Bit of {@link Redaction#builtIn()} for a card number. */
  public static final int CARD = 1;
  /** Bit for an IBAN. */
  public static final int IBAN = 2;
  /** Bit for an e-mail address. */
  public static final int EMAIL = 4;
  /** Bit for a phone number. */
  public static final int PHONE = 8;
  /** Every built-in kind. */
  public static final int ALL = CARD | IBAN | EMAIL | PHONE;

  /** The built-in kinds' names, by bit order: as configured, stored and reported. */
  static final String[] NAMES = {"card", "iban", "email", "phone"};
  private static final String[] PLACEHOLDERS = {"[CARD]", "[IBAN]", "[EMAIL]", "[PHONE]"};

  /** The environment variable naming the built-in kinds to redact ({@code none} turns redaction off). */
  public static final String KINDS_VARIABLE = "REDACT_PERSONAL_DATA";
  /** The environment variable holding the operator's extra pattern (a Java regular expression). */
  public static final String PATTERN_VARIABLE = "REDACT_EXTRA_PATTERN";

  private final int kinds;
  private final Pattern extra;
  private final String[] extraGroups;

  private Redactor(int kinds, Pattern extra) {
    this.kinds = kinds;
    this.extra = extra;
    if (extra == null) {
      this.extraGroups = new String[0];
    } else {
      List<String> groups = new ArrayList<>();
      // Compiled here, not in a static field: predict without an extra pattern loads no regex class.
      Matcher m = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>").matcher(extra.pattern());
      while (m.find()) {
        groups.add(m.group(1));
      }
      this.extraGroups = groups.toArray(new String[0]);
    }
  }

  /** Redacts the built-in kinds of {@code kinds} (bits above) and nothing else. */
  public static Redactor of(int kinds) {
    return new Redactor(kinds & ALL, null);
  }

  /** Redacts the built-in {@code kinds} and then whatever {@code extra} matches. */
  public static Redactor of(int kinds, Pattern extra) {
    return new Redactor(kinds & ALL, extra);
  }

  /** Every built-in kind, no extra pattern: the default. */
  public static Redactor standard() {
    return new Redactor(ALL, null);
  }

  /** Redacts nothing. */
  public static Redactor off() {
    return new Redactor(0, null);
  }

  /**
   * The redactor {@code env} configures: {@value #KINDS_VARIABLE} is a comma-separated list of
   * {@code card}, {@code iban}, {@code email}, {@code phone} (default all four) or {@code none};
   * {@value #PATTERN_VARIABLE} an optional Java regular expression whose named groups name the
   * placeholders. A wrong value fails naming the variable.
   */
  public static Redactor fromEnv(Env env) {
    int kinds = parseKinds(env.string("REDACT_PERSONAL_DATA", "card,iban,email,phone"));
    Pattern extra = null;
    var pattern = env.optional("REDACT_EXTRA_PATTERN");
    if (pattern.isPresent()) {
      try {
        extra = Pattern.compile(pattern.get());
      } catch (PatternSyntaxException e) {
        throw new ConfigException("Environment variable " + PATTERN_VARIABLE
            + " is not a valid Java regular expression: " + e.getDescription() + " near index " + e.getIndex());
      }
      if (extra.matcher("").matches()) {
        throw new ConfigException("Environment variable " + PATTERN_VARIABLE + " matches the empty text;"
            + " it must match only what is to be redacted");
      }
    }
    return new Redactor(kinds, extra);
  }

  static int parseKinds(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("none") || v.equals("off")) {
      return 0;
    }
    int bits = 0;
    for (String part : v.split(",")) {
      String name = part.trim();
      int bit = -1;
      for (int k = 0; k < NAMES.length; k++) {
        if (NAMES[k].equals(name)) {
          bit = 1 << k;
        }
      }
      if (bit < 0) {
        throw new ConfigException("Environment variable " + KINDS_VARIABLE + " must be none or a comma-separated"
            + " list of card, iban, email, phone; got '" + (name.length() > 20 ? name.substring(0, 20) + "..." : name) + "'");
      }
      bits |= bit;
    }
    return bits;
  }

  /** True when this redactor can change a text. */
  public boolean enabled() {
    return kinds != 0 || extra != null;
  }

  /** The built-in kinds redacted, as bits. */
  public int kinds() {
    return kinds;
  }

  /** {@code text} with its personal data replaced (null stays null). */
  public String apply(String text) {
    return text == null ? null : redact(text).text();
  }

  /** {@code text} with its personal data replaced, and which kinds were found. */
  public Redaction redact(String text) {
    Redaction builtIn = kinds == 0 ? new Redaction(text, 0, List.of()) : scan(text);
    return extra == null ? builtIn : applyExtra(builtIn);
  }

  private Redaction applyExtra(Redaction in) {
    Matcher m = extra.matcher(in.text());
    if (!m.find()) {
      return in;
    }
    StringBuilder out = new StringBuilder(in.text().length());
    List<String> found = new ArrayList<>(in.custom());
    int copied = 0;
    do {
      if (m.end() == m.start()) {
        continue;
      }
      String name = "redacted";
      for (String group : extraGroups) {
        if (m.group(group) != null) {
          name = group.toLowerCase(Locale.ROOT);
          break;
        }
      }
      out.append(in.text(), copied, m.start()).append('[').append(name.toUpperCase(Locale.ROOT)).append(']');
      copied = m.end();
      if (!found.contains(name)) {
        found.add(name);
      }
    } while (m.find());
    out.append(in.text(), copied, in.text().length());
    return new Redaction(out.toString(), in.builtIn(), found);
  }

  // ---------------------------------------------------------------------------------------------
  // The scanner. One pass; a candidate starts at a word boundary: an '@' (e-mail), a letter (an
  // IBAN's country code, otherwise the whole word is skipped), a digit, '+' or '(' (a number).
  // Output is built only when something is found: a text without personal data costs one pass
  // and no allocation beyond the result.
  // ---------------------------------------------------------------------------------------------

  private Redaction scan(String s) {
    int n = s.length();
    StringBuilder out = null;
    int copied = 0;
    int found = 0;
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '@') {
        if ((kinds & EMAIL) != 0) {
          int start = emailStart(s, i, copied);
          int end = start < 0 ? -1 : emailEnd(s, i);
          if (end > 0) {
            out = replace(out, s, copied, start, EMAIL);
            copied = end;
            found |= EMAIL;
            i = end;
            continue;
          }
        }
        i++;
      } else if (isAsciiLetter(c)) {
        if (boundaryBefore(s, i)) {
          long token = iban(s, i);
          if (token > 0 && (token & 1) == 1 && (kinds & IBAN) != 0) {
            int end = (int) (token >>> 1);
            out = replace(out, s, copied, i, IBAN);
            copied = end;
            found |= IBAN;
            i = end;
            continue;
          }
          if (token > 0) {
            // Shaped like an IBAN but not one (or IBANs are not redacted): its digits are no card or phone.
            i = (int) (token >>> 1);
            continue;
          }
        }
        i = skipWord(s, i);
      } else if (c >= '0' && c <= '9' || (c == '+' || c == '(') && i + 1 < n && isDigit(s.charAt(i + 1))) {
        if (c == '(' && !closesAfterDigits(s, i + 1)) {
          i++; // a bracket of the sentence around the number, not an area code's
          continue;
        }
        if (!boundaryBefore(s, i)) {
          i = skipWord(s, i);
          continue;
        }
        long match = (kinds & (CARD | PHONE)) == 0 ? 0 : number(s, i);
        int end = (int) (match >>> 8);
        if (end > 0 && (match & 0xFF) != 0) {
          int kind = (int) (match & 0xFF);
          out = replace(out, s, copied, i, kind);
          copied = end;
          found |= kind;
          i = end;
        } else {
          i = end > i ? end : skipWord(s, i);
        }
      } else {
        i++;
      }
    }
    if (out == null) {
      return new Redaction(s, 0, List.of());
    }
    out.append(s, copied, n);
    return new Redaction(out.toString(), found, List.of());
  }

  private static StringBuilder replace(StringBuilder out, String s, int copied, int start, int kind) {
    StringBuilder b = out != null ? out : new StringBuilder(s.length() + 8);
    b.append(s, copied, start).append(PLACEHOLDERS[Integer.numberOfTrailingZeros(kind)]);
    return b;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAsciiLetter(char c) {
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  }

  private static boolean isWordChar(char c) {
    return c < 0x80 ? isDigit(c) || isAsciiLetter(c) || c == '_' : Character.isLetterOrDigit(c);
  }

  private static boolean boundaryBefore(String s, int i) {
    return i == 0 || !isWordChar(s.charAt(i - 1));
  }

  private static int skipWord(String s, int i) {
    int j = i + 1;
    while (j < s.length() && isWordChar(s.charAt(j))) {
      j++;
    }
    return j;
  }

  // --- e-mail ------------------------------------------------------------------------------------

  private static boolean isLocalChar(char c) {
    return isWordChar(c) || c == '.' || c == '%' || c == '+' || c == '-';
  }

  /** Where the local part before the '@' at {@code at} starts, or -1 when there is none. */
  private static int emailStart(String s, int at, int floor) {
    int j = at;
    while (j > floor && isLocalChar(s.charAt(j - 1))) {
      j--;
    }
    while (j < at && !isWordChar(s.charAt(j))) {
      j++; // a local part starts with a letter or digit (not "'" or "." from the sentence)
    }
    return j < at && at - j <= 64 ? j : -1;
  }

  /** Where the domain after the '@' at {@code at} ends: labels, a dot, a top-level domain of 2+ letters; -1 when none. */
  private static int emailEnd(String s, int at) {
    int n = s.length();
    int j = at + 1;
    int dots = 0;
    int labelStart = j;
    int lastGood = -1;
    while (j < n) {
      char c = s.charAt(j);
      if (isWordChar(c) && c != '_' || c == '-') {
        j++;
      } else if (c == '.' && j > labelStart && j + 1 < n && isWordChar(s.charAt(j + 1))) {
        dots++;
        j++;
        labelStart = j;
      } else {
        break;
      }
      if (dots > 0 && j - labelStart >= 2 && allLetters(s, labelStart, j)) {
        lastGood = j;
      }
    }
    return lastGood > 0 && (lastGood == n || !isWordChar(s.charAt(lastGood))) ? lastGood : -1;
  }

  private static boolean allLetters(String s, int from, int to) {
    for (int k = from; k < to; k++) {
      if (!Character.isLetter(s.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  // --- IBAN --------------------------------------------------------------------------------------

  /** Length of the IBAN of each country (ISO 13616 registry), indexed by the two letters. */
  private static final byte[] IBAN_LENGTH = new byte[26 * 26];

  static {
    String table = "AD24AE23AL28AT20AZ28BA20BE16BG22BH22BR29BY28CH21CR22CY28CZ24DE22DK18DO28EE20EG29ES24"
        + "FI18FO18FR27GB22GE22GI23GL18GR27GT28HR21HU28IE22IL23IQ23IS26IT27JO30KW30KZ20LB28LC32LI21LT20"
        + "LU20LV21LY25MC27MD24ME22MK19MR27MT31MU30NL18NO15PK24PL28PS29PT25QA29RO24RS22SA24SC31SE24SI19"
        + "SK24SM27ST25SV28TL23TN24TR26UA29VA22VG24XK20";
    for (int k = 0; k < table.length(); k += 4) {
      IBAN_LENGTH[(table.charAt(k) - 'A') * 26 + table.charAt(k + 1) - 'A'] =
          (byte) Integer.parseInt(table.substring(k + 2, k + 4));
    }
  }

  private static int ibanLength(char a, char b) {
    int x = (a | 0x20) - 'a';
    int y = (b | 0x20) - 'a';
    return x < 0 || x >= 26 || y < 0 || y >= 26 ? 0 : IBAN_LENGTH[x * 26 + y];
  }

  private static boolean isAlnum(char c) {
    return isDigit(c) || isAsciiLetter(c);
  }

  /**
   * Reads the IBAN-shaped token at {@code i}: a known country's two letters, two digits, then
   * letters and digits (single spaces between them allowed) up to the country's length, nothing of
   * a word right after. Returns {@code end << 1 | valid} (valid: the mod-97 check holds), or -1
   * when the token is not shaped so.
   */
  private static long iban(String s, int i) {
    int n = s.length();
    if (i + 4 > n || !isAsciiLetter(s.charAt(i + 1)) || !isDigit(s.charAt(i + 2)) || !isDigit(s.charAt(i + 3))) {
      return -1;
    }
    int length = ibanLength(s.charAt(i), s.charAt(i + 1));
    if (length == 0) {
      return -1;
    }
    // mod 97 of the BBAN followed by the first four characters, digit by digit (letters are 10-35).
    int remainder = 0;
    int count = 4;
    int j = i + 4;
    while (count < length) {
      if (j >= n) {
        return -1;
      }
      char c = s.charAt(j);
      if (c == ' ' && j + 1 < n && isAlnum(s.charAt(j + 1)) && isAlnum(s.charAt(j - 1))) {
        j++;
        continue;
      }
      if (!isAlnum(c)) {
        return -1;
      }
      remainder = mod97(remainder, c);
      count++;
      j++;
    }
    if (j < n && isWordChar(s.charAt(j))) {
      return -1;
    }
    for (int k = i; k < i + 4; k++) {
      remainder = mod97(remainder, s.charAt(k));
    }
    return (long) j << 1 | (remainder == 1 ? 1 : 0);
  }

  private static int mod97(int remainder, char c) {
    if (isDigit(c)) {
      return (remainder * 10 + (c - '0')) % 97;
    }
    return (remainder * 100 + ((c | 0x20) - 'a' + 10)) % 97;
  }

  // --- numbers: cards and phones -----------------------------------------------------------------

  private static final int MAX_GROUPS = 12;

  /**
   * Reads the run of digit groups starting at {@code i} (separators: one of space, '-', '.', or
   * spaces and brackets; a leading '+' or '(') and finds its longest prefix of whole groups that is
   * a card or a phone. Returns {@code end << 8 | kind}; kind 0 when no prefix is either, and then
   * end is where the first group ends (the next group is tried on its own).
   */
  private long number(String s, int i) {
    int n = s.length();
    boolean plus = s.charAt(i) == '+';
    boolean paren = s.charAt(i) == '(';
    int j = plus || paren ? i + 1 : i;
    int[] groupEnd = new int[MAX_GROUPS];
    int[] groupDigits = new int[MAX_GROUPS];
    int groups = 0;
    int digits = 0;
    int cardSeparators = 0; // groups joined by a single space or dash, from the first
    while (j < n && groups < MAX_GROUPS) {
      int g = j;
      while (j < n && isDigit(s.charAt(j))) {
        j++;
      }
      if (j == g) {
        break;
      }
      digits += j - g;
      groupDigits[groups] = digits;
      groupEnd[groups++] = j;
      int k = j;
      while (k < n && k - j < 3 && isSeparator(s.charAt(k))) {
        k++;
      }
      if (k == j || k >= n || !isDigit(s.charAt(k)) || !balanced(s, j, k)) {
        break;
      }
      if (cardSeparators == groups - 1 && k - j == 1 && (s.charAt(j) == ' ' || s.charAt(j) == '-')) {
        cardSeparators++;
      }
      j = k;
    }
    int runEnd = groupEnd[groups - 1];
    if (runEnd < n && isWordChar(s.charAt(runEnd))) {
      return (long) skipWord(s, runEnd) << 8;
    }
    char first = s.charAt(i);
    boolean cardStart = (kinds & CARD) != 0 && !plus && !paren && first >= '2' && first <= '6';
    for (int g = groups - 1; g >= 0; g--) {
      int d = groupDigits[g];
      if (cardStart && g <= cardSeparators && d >= 13 && d <= 19 && luhn(s, i, groupEnd[g])) {
        return (long) groupEnd[g] << 8 | CARD;
      }
      if ((kinds & PHONE) != 0 && isPhone(s, i, plus, paren, g + 1, groupDigits, d)) {
        return (long) groupEnd[g] << 8 | PHONE;
      }
    }
    if (!plus && !paren && first >= '2' && first <= '6' && cardSeparators == groups - 1 && digits >= 13
        && digits <= 19) {
      return (long) runEnd << 8; // shaped like a card but not one: none of its digits is a phone
    }
    return (long) groupEnd[0] << 8;
  }

  private static boolean closesAfterDigits(String s, int from) {
    int j = from;
    while (j < s.length() && isDigit(s.charAt(j))) {
      j++;
    }
    return j < s.length() && s.charAt(j) == ')';
  }

  private static boolean isSeparator(char c) {
    return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
  }

  /**
   * A separator is one character, or spaces and brackets only (") ", " (", ")"): "2008. 5482" is
   * two sentences, not one number. No ')' after a '('.
   */
  private static boolean balanced(String s, int from, int to) {
    if (to - from == 1) {
      return true;
    }
    boolean open = false;
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      if (c == '-' || c == '.') {
        return false;
      } else if (c == '(') {
        open = true;
      } else if (c == ')' && open) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPhone(String s, int i, boolean plus, boolean paren, int groups, int[] groupDigits,
      int digits) {
    int first = plus || paren ? i + 1 : i;
    char d0 = s.charAt(first);
    if (plus) {
      return digits >= 8 && digits <= 15 && d0 != '0';
    }
    char d1 = digits > 1 ? nthDigit(s, first, 1) : '0';
    if (d0 == '0' && d1 == '0') {
      return digits >= 11 && digits <= 17 && nthDigit(s, first, 2) != '0';
    }
    if (d0 == '0') {
      // A national number with its trunk 0 (UK, DE, FR, NL, IT, JP, AU, IN ...): 10 or 11 digits.
      return digits >= 10 && digits <= 11 && (groups > 1 || !paren);
    }
    if (groups >= 3) {
      // North America: (NXX) NXX-XXXX, NXX-NXX-XXXX, NXX.NXX.XXXX, 1-NXX-NXX-XXXX.
      int g0 = groupDigits[0];
      int g1 = groupDigits[1] - groupDigits[0];
      int g2 = groupDigits[2] - groupDigits[1];
      if (groups == 3 && g0 == 3 && g1 == 3 && digits == 10 && d0 >= '2') {
        return true;
      }
      if (groups == 4 && g0 == 1 && d0 == '1' && g1 == 3 && g2 == 3 && digits == 11) {
        return true;
      }
      // Spain and Italy without a trunk 0: mobiles 6xx xxx xxx, 3xx xxx xxxx.
      if (groups == 3 && g0 == 3 && g1 == 3 && !paren
          && (d0 == '6' || d0 == '7') && digits == 9 && s.charAt(first + 3) == ' ') {
        return true;
      }
      return groups == 3 && g0 == 3 && g1 == 3 && d0 == '3' && digits == 10 && !paren && s.charAt(first + 3) == ' ';
    }
    return false;
  }

  private static char nthDigit(String s, int from, int nth) {
    int seen = 0;
    for (int k = from; k < s.length(); k++) {
      char c = s.charAt(k);
      if (isDigit(c)) {
        if (seen++ == nth) {
          return c;
        }
      }
    }
    return '0';
  }

  /** The Luhn check of the digits between {@code from} and {@code to} (separators skipped). */
  static boolean luhn(String s, int from, int to) {
    int sum = 0;
    boolean twice = false;
    for (int k = to - 1; k >= from; k--) {
      char c = s.charAt(k);
      if (!isDigit(c)) {
        continue;
      }
      int d = c - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }
}
