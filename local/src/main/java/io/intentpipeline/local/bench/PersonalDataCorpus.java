package io.intentpipeline.local.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A labelled corpus of support messages, generated from a seed: about 70 % carry personal data
 * (card numbers, IBANs, e-mail addresses, phone numbers in the formats of several countries), and
 * all carry look-alikes that are not personal data (amounts, dates, times, references, card numbers
 * failing Luhn, IBANs failing their check digits, sort codes, short codes). Each message knows the
 * text the redactor should make of it, so recall and precision are counted per kind.
 */
public final class PersonalDataCorpus {
  /** The kinds, in the order of the redactor's bits, and their placeholders. */
  public static final List<String> KINDS = List.of("card", "iban", "email", "phone");
  static final String[] PLACEHOLDERS = {"[CARD]", "[IBAN]", "[EMAIL]", "[PHONE]"};

  /** One message: its text, the text once redacted, and the values of each kind it holds. */
  public record Message(String text, String expected, int[] counts, List<Value> values) {}

  /** A value of personal data in a message, and its kind (index in {@link #KINDS}). */
  public record Value(int kind, String text) {}

  private static final String[] WITH_CARD = {
      "my card {} was declined at the shop", "Card number {} - why was I charged twice?",
      "I lost my card, the number is {}, please block it", "can you check the payment from {} yesterday",
      "{} is the card that got swallowed by the ATM", "refund to card {} please",
      "Mi tarjeta {} fue rechazada", "Meine Karte {} wurde gesperrt"};
  private static final String[] WITH_IBAN = {
      "please send the refund to {}", "My IBAN is {}.", "transfer from {} never arrived",
      "Bitte überweisen Sie auf {}", "virement vers {} bloqué", "can I add {} as a beneficiary?",
      "IBAN: {} (main account)"};
  private static final String[] WITH_EMAIL = {
      "email me at {} when it is fixed", "my login is {} and I can't get in", "send the statement to {}",
      "Contact: {}", "I changed my address to {}, please update it", "Écrivez-moi à {} svp"};
  private static final String[] WITH_PHONE = {
      "call me on {}", "my new number is {}", "I didn't get the code on {}",
      "please ring {} after 5pm", "Phone: {}", "Rufen Sie mich unter {} an", "mon numéro est le {}",
      "my mobile ({}) was changed"};
  private static final String[] PLAIN = {
      "my card still hasn't arrived after {} days", "I was charged {} twice for the same thing",
      "the transfer of {} on {} is still pending", "why is there a fee of {}?",
      "top up of {} failed at {}", "the card ending in {} doesn't work abroad",
      "reference {} shows as declined", "I paid {} on {} but it's not showing",
      "is there a limit of {} per day?", "my sort code is {} and the transfer bounced",
      "exchange rate on {} was {}", "the code {} didn't work", "order {} from {} was refunded",
      "what is the fee for {} in {}?", "card number {} is rejected, is it wrong?",
      "is {} a valid IBAN? it was refused", "version {} of the app crashes",
      "I need help with my account", "How do I change my PIN?", "why was my transfer declined?",
      "Where can I see my statement for {}?", "ATM at {} gave me the wrong amount",
      "the contactless limit is {}, can I raise it", "my postcode {} isn't accepted"};

  private final Random random;

  /** A corpus drawn from {@code seed}: the same seed, the same messages. */
  public PersonalDataCorpus(long seed) {
    this.random = new Random(seed);
  }

  /** {@code count} messages; about 70 % hold one or more kinds of personal data. */
  public List<Message> messages(int count) {
    List<Message> messages = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      messages.add(next());
    }
    return messages;
  }

  private Message next() {
    StringBuilder text = new StringBuilder();
    StringBuilder expected = new StringBuilder();
    int[] counts = new int[4];
    List<Value> values = new ArrayList<>();
    int parts = 1 + random.nextInt(3);
    for (int p = 0; p < parts; p++) {
      if (p > 0) {
        String joint = pick(new String[] {" ", ". ", "; also ", ", and ", "\n"});
        text.append(joint);
        expected.append(joint);
      }
      int kind = random.nextInt(8) - 4; // 0-3: a kind of personal data; below 0: none
      if (kind >= 0) {
        String value = switch (kind) {
          case 0 -> card();
          case 1 -> iban();
          case 2 -> email();
          default -> phone();
        };
        String template = pick(switch (kind) {
          case 0 -> WITH_CARD;
          case 1 -> WITH_IBAN;
          case 2 -> WITH_EMAIL;
          default -> WITH_PHONE;
        });
        int at = template.indexOf("{}");
        String before = fill(template.substring(0, at));
        String after = fill(template.substring(at + 2));
        text.append(before).append(value).append(after);
        expected.append(before).append(PLACEHOLDERS[kind]).append(after);
        counts[kind]++;
        values.add(new Value(kind, value));
      } else {
        String plain = fill(pick(PLAIN));
        text.append(plain);
        expected.append(plain);
      }
    }
    return new Message(text.toString(), expected.toString(), counts, values);
  }

  /** Fills each {} with a look-alike that is not personal data. */
  private String fill(String template) {
    StringBuilder out = new StringBuilder();
    int from = 0;
    int at;
    while ((at = template.indexOf("{}", from)) >= 0) {
      out.append(template, from, at).append(lookAlike());
      from = at + 2;
    }
    return out.append(template, from, template.length()).toString();
  }

  private String lookAlike() {
    return switch (random.nextInt(16)) {
      case 0 -> "£" + (1 + random.nextInt(5000)) + "." + two(random.nextInt(100));
      case 1 -> "$" + (1 + random.nextInt(9)) + "," + three(random.nextInt(1000)) + ".00";
      case 2 -> (1 + random.nextInt(999)) + "," + two(random.nextInt(100)) + " €";
      case 3 -> two(1 + random.nextInt(28)) + "/" + two(1 + random.nextInt(12)) + "/20" + two(random.nextInt(30));
      case 4 -> "20" + two(random.nextInt(30)) + "-" + two(1 + random.nextInt(12)) + "-" + two(1 + random.nextInt(28));
      case 5 -> two(1 + random.nextInt(28)) + "." + two(1 + random.nextInt(12)) + ".20" + two(random.nextInt(30));
      case 6 -> two(random.nextInt(24)) + ":" + two(random.nextInt(60));
      case 7 -> Integer.toString(1000 + random.nextInt(9000));
      case 8 -> "TX-" + (10000 + random.nextInt(90000)) + "-" + (char) ('A' + random.nextInt(26));
      case 9 -> badCard();
      case 10 -> badIban();
      case 11 -> two(random.nextInt(100)) + "-" + two(random.nextInt(100)) + "-" + two(random.nextInt(100));
      case 12 -> Integer.toString(100000 + random.nextInt(900000));
      case 13 -> Integer.toString(10_000_000 + random.nextInt(90_000_000));
      case 14 -> "v" + random.nextInt(10) + "." + random.nextInt(20) + "." + random.nextInt(10);
      default -> pick(new String[] {"SW1A 1AA", "10115", "75008", "EC2A 4NE", "28013", "1012 AB"});
    };
  }

  private static String two(int v) {
    return v < 10 ? "0" + v : Integer.toString(v);
  }

  private static String three(int v) {
    return v < 10 ? "00" + v : v < 100 ? "0" + v : Integer.toString(v);
  }

  private <T> T pick(T[] options) {
    return options[random.nextInt(options.length)];
  }

  private String digits(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int k = 0; k < n; k++) {
      b.append((char) ('0' + random.nextInt(10)));
    }
    return b.toString();
  }

  // --- cards -------------------------------------------------------------------------------------

  /** A Luhn-valid number of a real network's prefix and length, written as people write them. */
  String card() {
    String[] prefixes = {"4", "4", "51", "52", "53", "54", "55", "2221", "2720", "34", "37", "6011", "65", "35", "62", "36"};
    String prefix = pick(prefixes);
    int length = switch (prefix) {
      case "34", "37" -> 15;
      case "36" -> 14;
      case "62" -> 16 + random.nextInt(4);
      case "4" -> random.nextInt(10) == 0 ? 13 : 16;
      default -> 16;
    };
    String body = prefix + digits(length - prefix.length() - 1);
    String number = body + luhnDigit(body);
    return format(number, length == 15 ? new int[] {4, 6, 5} : null);
  }

  private String badCard() {
    String body = "4" + digits(14);
    int right = luhnDigit(body);
    return format(body + (char) ('0' + (right + 1 + random.nextInt(9)) % 10), null);
  }

  private String format(String number, int[] amexGroups) {
    int style = random.nextInt(3);
    if (style == 0) {
      return number;
    }
    String sep = style == 1 ? " " : "-";
    StringBuilder b = new StringBuilder();
    if (amexGroups != null) {
      int at = 0;
      for (int g : amexGroups) {
        if (at > 0) {
          b.append(sep);
        }
        b.append(number, at, at + g);
        at += g;
      }
      return b.toString();
    }
    for (int at = 0; at < number.length(); at += 4) {
      if (at > 0) {
        b.append(sep);
      }
      b.append(number, at, Math.min(number.length(), at + 4));
    }
    return b.toString();
  }

  static int luhnDigit(String body) {
    int sum = 0;
    boolean twice = true;
    for (int k = body.length() - 1; k >= 0; k--) {
      int d = body.charAt(k) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return (10 - sum % 10) % 10;
  }

  // --- IBANs -------------------------------------------------------------------------------------

  // Country, then the BBAN's shape: n = digits, a = upper-case letters, c = letters or digits.
  private static final String[][] IBAN_SHAPES = {
      {"DE", "nnnnnnnnnnnnnnnnnn"}, {"GB", "aaaannnnnnnnnnnnnn"}, {"FR", "nnnnnnnnnnccccccccccc" + "nn"},
      {"ES", "nnnnnnnnnnnnnnnnnnnn"}, {"IT", "a" + "nnnnnnnnnn" + "cccccccccccc"}, {"NL", "aaaannnnnnnnnn"},
      {"BE", "nnnnnnnnnnnn"}, {"CH", "nnnnn" + "cccccccccccc"}, {"AT", "nnnnnnnnnnnnnnnn"},
      {"PL", "nnnnnnnnnnnnnnnnnnnnnnnn"}, {"PT", "nnnnnnnnnnnnnnnnnnnnn"}, {"IE", "aaaannnnnnnnnnnnnn"},
      {"SE", "nnnnnnnnnnnnnnnnnnnn"}, {"NO", "nnnnnnnnnnn"}, {"DK", "nnnnnnnnnnnnnn"}};

  String iban() {
    String[] shape = pick(IBAN_SHAPES);
    String bban = bban(shape[1]);
    int check = 98 - mod97(bban + shape[0] + "00");
    return formatIban(shape[0] + two(check) + bban);
  }

  private String badIban() {
    String[] shape = pick(IBAN_SHAPES);
    String bban = bban(shape[1]);
    int check = 98 - mod97(bban + shape[0] + "00");
    int wrong = (check + 1 + random.nextInt(90)) % 97;
    if (wrong < 2) {
      wrong += 2;
    }
    return formatIban(shape[0] + two(wrong) + bban);
  }

  private String bban(String shape) {
    StringBuilder b = new StringBuilder();
    for (char c : shape.toCharArray()) {
      b.append(switch (c) {
        case 'n' -> (char) ('0' + random.nextInt(10));
        case 'a' -> (char) ('A' + random.nextInt(26));
        default -> random.nextBoolean() ? (char) ('0' + random.nextInt(10)) : (char) ('A' + random.nextInt(26));
      });
    }
    return b.toString();
  }

  private String formatIban(String iban) {
    if (random.nextInt(3) == 0) {
      return iban;
    }
    StringBuilder b = new StringBuilder();
    for (int at = 0; at < iban.length(); at += 4) {
      if (at > 0) {
        b.append(' ');
      }
      b.append(iban, at, Math.min(iban.length(), at + 4));
    }
    return b.toString();
  }

  static int mod97(String s) {
    int r = 0;
    for (char c : s.toCharArray()) {
      r = Character.isDigit(c) ? (r * 10 + (c - '0')) % 97 : (r * 100 + (c - 'A' + 10)) % 97;
    }
    return r;
  }

  // --- e-mail ------------------------------------------------------------------------------------

  private static final String[] FIRST = {"john", "maria", "li", "ahmed", "sophie", "lukas", "chloé", "jörg",
      "ana", "priya", "kenji", "o.brien", "fatima", "mateo", "zoë"};
  private static final String[] LAST = {"smith", "garcia", "wang", "khan", "martin", "müller", "dubois", "rossi",
      "silva", "patel", "tanaka", "kowalski"};
  private static final String[] DOMAINS = {"gmail.com", "outlook.com", "yahoo.co.uk", "web.de", "orange.fr",
      "example.org", "mail.example.com.br", "libero.it", "proton.me", "company-name.io", "uni-bonn.de", "gmx.net"};

  String email() {
    String local = switch (random.nextInt(5)) {
      case 0 -> pick(FIRST) + "." + pick(LAST);
      case 1 -> pick(FIRST) + random.nextInt(1000);
      case 2 -> pick(FIRST).charAt(0) + pick(LAST);
      case 3 -> pick(FIRST) + "_" + pick(LAST) + "+bank";
      default -> pick(LAST) + "-" + pick(FIRST);
    };
    String address = local + "@" + pick(DOMAINS);
    return random.nextInt(10) == 0 ? address.toUpperCase(java.util.Locale.ROOT) : address;
  }

  // --- phones ------------------------------------------------------------------------------------

  String phone() {
    return switch (random.nextInt(24)) {
      case 0 -> "(" + area() + ") " + exchange() + "-" + digits(4);
      case 1 -> area() + "-" + exchange() + "-" + digits(4);
      case 2 -> area() + "." + exchange() + "." + digits(4);
      case 3 -> "+1 " + area() + " " + exchange() + " " + digits(4);
      case 4 -> "1-800-" + exchange() + "-" + digits(4);
      case 5 -> "+44 20 " + digits(4) + " " + digits(4);
      case 6 -> "020 " + digits(4) + " " + digits(4);
      case 7 -> "07" + digits(3) + " " + digits(6);
      case 8 -> "+44 (0)7" + digits(3) + " " + digits(6);
      case 9 -> "+49 30 " + digits(8);
      case 10 -> "0171 " + digits(7);
      case 11 -> "+33 " + (1 + random.nextInt(7)) + " " + digits(2) + " " + digits(2) + " " + digits(2) + " " + digits(2);
      case 12 -> "0" + (1 + random.nextInt(7)) + " " + digits(2) + " " + digits(2) + " " + digits(2) + " " + digits(2);
      case 13 -> "+34 6" + digits(2) + " " + digits(3) + " " + digits(3);
      case 14 -> "6" + digits(2) + " " + digits(3) + " " + digits(3);
      case 15 -> "+39 06 " + digits(4) + " " + digits(4);
      case 16 -> "3" + digits(2) + " " + digits(3) + " " + digits(4);
      case 17 -> "+31 6 " + digits(8);
      case 18 -> "06-" + digits(8);
      case 19 -> "+91 9" + digits(4) + " " + digits(5);
      case 20 -> "+61 4" + digits(2) + " " + digits(3) + " " + digits(3);
      case 21 -> "04" + digits(2) + " " + digits(3) + " " + digits(3);
      case 22 -> "090-" + digits(4) + "-" + digits(4);
      default -> "+55 11 9" + digits(4) + "-" + digits(4);
    };
  }

  private String area() {
    return (2 + random.nextInt(8)) + digits(2);
  }

  private String exchange() {
    return (2 + random.nextInt(8)) + digits(2);
  }
}
