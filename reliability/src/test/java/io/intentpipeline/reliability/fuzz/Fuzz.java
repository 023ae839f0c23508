package io.intentpipeline.reliability.fuzz;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Seeded generators of bad (and good) input. One instance per entry point, seeded from the run's
 * seed and the entry point's name, so {@code -Dfuzz.seed=...} replays every entry point exactly.
 *
 * <p>The suite's runs use one fixed seed ({@link #DEFAULT_SEED}), so that a build passes or fails
 * the same way on every machine. {@code -Dfuzz.seed=N} replays another seed, and
 * {@code -Dfuzz.seed=random} draws a new one (printed): that is how new inputs are explored.
 * {@code -Dfuzz.iterations=N} sets the number of inputs of every entry point (else each entry
 * point's default).
 */
final class Fuzz {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Writes every non-ASCII character as a \\u escape, so lone surrogates survive as escapes. */
  static final ObjectMapper ESCAPING = JsonMapper.builder(deepFactory())
      .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
      .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
      .build();
  static final ObjectMapper PLAIN = JsonMapper.builder(deepFactory()).build();
  static final long DEFAULT_SEED = 20261127L;
  private static final long RUN_SEED = runSeed(System.getProperty("fuzz.seed"));

  private static final String[] ODD_INTENTS = {"", " ", "a", "A".repeat(100), "b".repeat(101), "card arrival",
      "card_arrival\n", "../../etc/passwd", "'; DROP TABLE ai_training_data; --", "ünïcödé", "😀", "_leading",
      "-dash", "card_arrival\u0000", "tab\tbed", "x?y!z", "null", "NaN", "card:arrival/ok.v1", "\uD800", "%00"};
  private static final String[] ODD_NUMBERS = {"NaN", "Infinity", "-Infinity", "1e309", "-1e309", "1e-400", "-0",
      "0.5", "-1", "101", "100", "0", "3.0", "9223372036854775807", "9223372036854775808",
      "-9223372036854775809", "2147483648", "-2147483649", "1E2", "0x10", "007", "1_000", "+1", ".5", "5."};
  private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8", "text/csv",
      "text/plain", "application/x-ndjson", "application/jsonl", "multipart/form-data; boundary=zz",
      "application/x-www-form-urlencoded", "application/octet-stream", "", "json", "text/csv; charset=latin1",
      "application/json; charset=utf-16", "*/*", "\u00e9/\u00e8"};
  private static final String[] ALPHABET_PIECES = {"a", "Z", "7", " ", "\n", "\r\n", "\t", "\"", "\\", "'", ",", ";",
      "{", "}", "[", "]", ":", "é", "ß", "中", "文", "ع", "ש", "\u0301", "😀", "👩‍💻", "\u200B", "\u2028", "\u00A0", "\u0001",
      "\u001F", "\u007F", "\uFEFF", "%", "&", "<script>", "' OR '1'='1", "--", "/*", "$1", "${jndi:x}", "\uFFFD"};

  final String name;
  final long seed;
  final SplittableRandom random;

  Fuzz(String name) {
    this.name = name;
    this.seed = RUN_SEED;
    this.random = new SplittableRandom(RUN_SEED ^ (name.hashCode() * 0x9E3779B97F4A7C15L));
  }

  /** The number of inputs for this entry point: {@code -Dfuzz.iterations}, else {@code byDefault}. */
  int iterations(int byDefault) {
    return Integer.getInteger("fuzz.iterations", byDefault);
  }

  int nextInt(int bound) {
    return random.nextInt(bound);
  }

  boolean chance(double p) {
    return random.nextDouble() < p;
  }

  <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }

  <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  String contentType() {
    return pick(CONTENT_TYPES);
  }

  String oddIntent() {
    return pick(ODD_INTENTS);
  }

  String oddNumber() {
    return pick(ODD_NUMBERS);
  }

  /** A text that is valid Unicode without NUL: any mix of scripts, emoji, quotes, controls. */
  String validText(int maxPieces) {
    StringBuilder s = new StringBuilder();
    int n = 1 + random.nextInt(maxPieces);
    for (int i = 0; i < n; i++) {
      s.append(pick(ALPHABET_PIECES));
    }
    s.append((char) ('a' + random.nextInt(26)));
    return s.toString();
  }

  /** A hostile string: huge, NUL, lone surrogates, noncharacters, blank, or a pile of odd pieces. */
  String nastyText() {
    return switch (random.nextInt(12)) {
      case 0 -> "";
      case 1 -> " \t\n ";
      case 2 -> "x".repeat(10_001 + random.nextInt(3));
      case 3 -> "é".repeat(50_001);
      case 4 -> "before\u0000after";
      case 5 -> "lone \uD800 high";
      case 6 -> "lone \uDC00 low";
      case 7 -> "end with high \uD83D";
      case 8 -> "non\uFFFEchar\uFFFF";
      case 9 -> randomChars(1 + random.nextInt(40));
      case 10 -> oddIntent();
      default -> validText(30);
    };
  }

  /** Any UTF-16 code units, surrogates and controls included. */
  String randomChars(int n) {
    StringBuilder s = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      s.append((char) (random.nextInt(4) == 0 ? random.nextInt(0x10000) : random.nextInt(0x80)));
    }
    return s.toString();
  }

  byte[] randomBytes(int max) {
    byte[] bytes = new byte[random.nextInt(max + 1)];
    random.nextBytes(bytes);
    return bytes;
  }

  /** The run's seed: {@code fuzz.seed} as a number, a new one for "random", else the default. */
  static long runSeed(String property) {
    if (property == null || property.isBlank()) {
      return DEFAULT_SEED;
    }
    if (property.strip().equalsIgnoreCase("random")) {
      return new SplittableRandom().nextLong();
    }
    try {
      return Long.parseLong(property.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("fuzz.seed must be a whole number or 'random', got '" + property + "'");
    }
  }

  /** A UUID drawn from the seed (so that a replay sends the same ones). */
  UUID uuid() {
    return new UUID((random.nextLong() & ~0xF000L) | 0x4000L, (random.nextLong() & ~(0xCL << 60)) | (0x8L << 60));
  }

  String uuidish() {
    return switch (random.nextInt(6)) {
      case 0 -> uuid().toString();
      case 1 -> uuid().toString().toUpperCase();
      case 2 -> uuid().toString().replace("-", "");
      case 3 -> "00000000-0000-0000-0000-00000000000g";
      case 4 -> "{" + uuid() + "}";
      default -> nastyText();
    };
  }

  /** A random JSON value of any type, possibly deeply nested or huge. */
  JsonNode anyValue(int depth) {
    return switch (random.nextInt(depth > 2 ? 9 : 11)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(random.nextLong());
      case 3 -> NODES.numberNode(random.nextInt(203) - 101);
      case 4 -> NODES.numberNode(random.nextDouble() * 200 - 100);
      case 5 -> NODES.numberNode(new java.math.BigDecimal("1e" + (300 + random.nextInt(400))));
      case 6 -> NODES.textNode(nastyText());
      case 7 -> NODES.textNode(oddNumber());
      case 8 -> NODES.textNode(uuidish());
      case 9 -> {
        ArrayNode array = NODES.arrayNode();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          array.add(anyValue(depth + 1));
        }
        yield array;
      }
      default -> {
        ObjectNode object = NODES.objectNode();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          object.set(random.nextBoolean() ? nastyText() : "k" + i, anyValue(depth + 1));
        }
        yield object;
      }
    };
  }

  /**
   * 1 to 4 structure-aware mutations of a copy of {@code valid} (an object or array): fields
   * dropped, retyped, given odd values, arrays emptied, grown or duplicated, values nested deep.
   */
  JsonNode mutate(JsonNode valid, Map<String, List<String>> hints) {
    JsonNode copy = valid.deepCopy();
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      mutateOnce(copy, hints);
    }
    return copy;
  }

  private void mutateOnce(JsonNode root, Map<String, List<String>> hints) {
    List<JsonNode> containers = new ArrayList<>();
    collect(root, containers);
    JsonNode target = pick(containers);
    if (target instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      // An existing field, now and then an unknown one, or a known optional field the request left out.
      int choice = random.nextInt(8);
      if (choice <= 1 && !hints.isEmpty()) {
        String known = pick(new ArrayList<>(new java.util.TreeSet<>(hints.keySet())));  // sorted: Map.of order varies per JVM
        object.put(known, pick(hints.get(known)));
        return;
      }
      String field = choice == 2 ? "extra_" + random.nextInt(3) : names.isEmpty() ? "extra_0" : pick(names);
      switch (random.nextInt(9)) {
        case 0 -> object.remove(field);
        case 1 -> object.set(field, anyValue(0));
        case 2 -> object.put(field, nastyText());
        case 3 -> object.put(field, oddIntent());
        case 4 -> object.set(field, numberLike());
        case 5 -> object.set(field, deep(200 + random.nextInt(2000)));
        case 6 -> {
          List<String> values = hints.get(field);
          if (values != null) {
            object.put(field, pick(values));
          } else {
            object.put(field, uuidish());
          }
        }
        case 7 -> object.removeAll();
        default -> object.set(field, NODES.nullNode());
      }
    } else if (target instanceof ArrayNode array) {
      switch (random.nextInt(5)) {
        case 0 -> array.removeAll();
        case 1 -> {
          if (!array.isEmpty()) {
            JsonNode first = array.get(0);
            int copies = random.nextBoolean() ? 1 : 500 + random.nextInt(5);
            // At most about 1 MB more per mutation: copies of copies of a long string would
            // otherwise grow past any request Lambda accepts (and past the test's heap).
            long itemSize = Math.max(1, serializedLength(first));
            if (itemSize * copies > 1_000_000) {
              copies = (int) Math.max(1, 1_000_000 / itemSize);
            }
            for (int i = 0; i < copies; i++) {
              array.add(first.deepCopy());
            }
          }
        }
        case 2 -> array.add(anyValue(0));
        case 3 -> {
          if (!array.isEmpty()) {
            array.set(random.nextInt(array.size()), anyValue(0));
          }
        }
        default -> {
          if (!array.isEmpty()) {
            array.remove(random.nextInt(array.size()));
          }
        }
      }
    }
  }

  /** The length of {@code node} written as JSON (deep values included). */
  private static long serializedLength(JsonNode node) {
    try {
      return PLAIN.writeValueAsString(node).length();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The containers of {@code root} down to depth 50 (a value nested deeper is mutated whole). */
  private static void collect(JsonNode root, List<JsonNode> out) {
    java.util.ArrayDeque<Map.Entry<JsonNode, Integer>> todo = new java.util.ArrayDeque<>();
    todo.add(Map.entry(root, 0));
    while (!todo.isEmpty()) {
      var next = todo.poll();
      if (next.getKey().isContainerNode() && next.getValue() < 50) {
        out.add(next.getKey());
        next.getKey().elements().forEachRemaining(child -> todo.add(Map.entry(child, next.getValue() + 1)));
      }
    }
  }

  JsonNode numberLike() {
    String text = oddNumber();
    try {
      return NODES.numberNode(new java.math.BigDecimal(text));
    } catch (NumberFormatException e) {
      return NODES.textNode(text);
    }
  }

  private static com.fasterxml.jackson.core.JsonFactory deepFactory() {
    return com.fasterxml.jackson.core.JsonFactory.builder()
        .streamWriteConstraints(com.fasterxml.jackson.core.StreamWriteConstraints.builder().maxNestingDepth(100_000).build())
        .build();
  }

  static JsonNode deep(int depth) {
    JsonNode node = NODES.numberNode(1);
    for (int i = 0; i < depth; i++) {
      ArrayNode array = NODES.arrayNode();
      array.add(node);
      node = array;
    }
    return node;
  }

  /** JSON text of {@code node}; sometimes with escapes for every non-ASCII character. */
  String write(JsonNode node) {
    try {
      return random.nextBoolean() ? ESCAPING.writeValueAsString(node) : PLAIN.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Text-level damage to JSON: truncation, a duplicated key, raw NaN, stray bytes, BOM, trailing junk. */
  String damage(String json) {
    if (json.isEmpty()) {
      return "{";
    }
    int at = random.nextInt(json.length());
    return switch (random.nextInt(10)) {
      case 0 -> json.substring(0, at);
      case 1 -> json.substring(0, at) + randomChars(1 + random.nextInt(4)) + json.substring(at);
      case 2 -> json.substring(0, at) + json.substring(Math.min(json.length(), at + 1 + random.nextInt(8)));
      case 3 -> {
        int colon = json.indexOf(':');
        int comma = json.indexOf(',');
        // A duplicated first member: {"a": 1, "a": 1, ...}.
        yield json.startsWith("{") && colon > 0 && comma > colon
            ? "{" + json.substring(1, comma) + "," + json.substring(1) : json + json;
      }
      case 4 -> json.replaceFirst(":\\s*(-?\\d+(\\.\\d+)?)", ": " + pick(new String[] {"NaN", "Infinity", "-Infinity",
          "1e99999", "01", "1.", ".1", "- 1", "0x1F"}));
      case 5 -> "\uFEFF" + json;
      case 6 -> json + pick(new String[] {"}", "]", " x", "\u0000", "{}", ",", "\n{}"});
      case 7 -> json.replace("\"", random.nextBoolean() ? "'" : "");
      case 8 -> "[".repeat(1000 + random.nextInt(2000)) + "]".repeat(random.nextInt(3000));
      default -> pick(new String[] {"null", "true", "0", "\"\"", "[]", "{}", "\"text\"", " ", "{\"\":\"\"}"});
    };
  }

  /** Bytes that are not valid UTF-8 (overlong, lone continuation, truncated sequence, surrogate code). */
  byte[] invalidUtf8(String around) {
    byte[][] bad = {{(byte) 0xC0, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xED, (byte) 0xA0,
        (byte) 0x80}, {(byte) 0xFF}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
    byte[] text = around.getBytes(StandardCharsets.UTF_8);
    byte[] insert = pick(bad);
    int at = text.length == 0 ? 0 : random.nextInt(text.length);
    byte[] out = new byte[text.length + insert.length];
    System.arraycopy(text, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(text, at, out, at + insert.length, text.length - at);
    return out;
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
