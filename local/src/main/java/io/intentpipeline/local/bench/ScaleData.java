package io.intentpipeline.local.bench;

import io.intentpipeline.dataset.TrainingSample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Live traffic at scale for {@code ./pipeline benchmark train --rows}: row {@code r} is a
 * BANKING77 text (the base texts shuffled by the seed, then again with other words around them),
 * so that every row is a distinct message even to the run's near-duplicate filter. The first
 * round is the texts as they are; round {@code v} puts an opening ("hi", "good morning", ...) and a
 * closing ("thanks", "asap", ...) around them, a different pair per round (400 pairs: at most 400
 * rounds), and one row in five of those has a typo (two neighbouring letters of a word swapped).
 *
 * <p>Labels: the bot answers each row, right nine times in ten (confidence 55-100 when right,
 * 30-79 when wrong); {@link #VERIFIED_SHARE} of the rows were reviewed by a human ({@code correct_intent}
 * the true intent, status {@code reviewed} or {@code approved}); of the others 5 % are
 * {@code used_in_training}, 1 % {@code rejected}, the rest {@code pending}. Rows were stored
 * uniformly over the 90 days before {@code now}. Everything but {@code now} depends only on the seed.
 */
final class ScaleData {
  /** The seed of the benchmark's data. */
  static final long SEED = 42;
  /** The share of rows a human verified. */
  static final double VERIFIED_SHARE = 0.10;
  /** How often the bot's intent is right. */
  static final double BOT_ACCURACY = 0.90;

  private static final String[] OPENINGS = {"", "hi", "hello", "hey", "hi there", "good morning",
      "good afternoon", "good evening", "excuse me", "sorry", "quick question", "hello again", "hey team",
      "dear support", "help", "urgent", "please", "ok so", "um", "question"};
  private static final String[] CLOSINGS = {"", "thanks", "thank you", "thanks a lot", "many thanks",
      "thanks in advance", "please", "please help", "asap", "cheers", "can you help", "any ideas", "i need help",
      "help me", "appreciate it", "thx", "ty", "plz", "as soon as possible", "right now"};
  /** The most rows: one per base text and (opening, closing) pair. */
  static int maxRows(int baseTexts) {
    return baseTexts * OPENINGS.length * CLOSINGS.length;
  }

  private static final String COPY = "COPY ai_training_data (interaction_id, user_message, detected_intent,"
      + " correct_intent, ai_response, confidence_score, source, dataset_status, corrected_by, corrected_at,"
      + " occurred_at, created_at) FROM STDIN";
  private static final String REVIEWER = "00000000-0000-4000-8000-000000000001";

  /** One generated row: what the user wrote, the true and the bot's intent, and what a human did. */
  record Row(String text, String intent, String botIntent, int confidence, boolean verified, String status,
      Instant createdAt) {
    /** The sample a run makes of it: the human's intent when verified (weighing twice), else the bot's. */
    TrainingSample sample() {
      return new TrainingSample(text, verified ? intent : botIntent, "", confidence, "", false, verified, "live",
          createdAt);
    }
  }

  private final List<TrainingSample> base;
  private final List<String> intents;
  private final long seed;
  private final Instant now;

  /** Rows from {@code base} (texts and intents) under {@code seed}, stored before {@code now}. */
  ScaleData(List<TrainingSample> base, long seed, Instant now) {
    List<TrainingSample> shuffled = new ArrayList<>(base);
    Collections.shuffle(shuffled, new Random(seed));
    this.base = List.copyOf(shuffled);
    this.intents = List.copyOf(new TreeSet<>(base.stream().map(TrainingSample::intent).toList()));
    this.seed = seed;
    this.now = now.truncatedTo(ChronoUnit.MILLIS);
  }

  /** Row {@code r} (0 ≤ r < {@link #maxRows}). */
  Row row(int r) {
    if (r < 0 || r >= maxRows(base.size())) {
      throw new IllegalArgumentException("row " + r + " out of 0.." + (maxRows(base.size()) - 1));
    }
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + r);
    TrainingSample sample = base.get(r % base.size());
    int round = r / base.size();
    String text = sample.userMessage();
    if (round > 0) {
      String opening = OPENINGS[round / CLOSINGS.length];
      String closing = CLOSINGS[round % CLOSINGS.length];
      if (random.nextInt(5) == 0) {
        text = typo(text, random);
      }
      text = (opening.isEmpty() ? "" : opening + ", ") + text + (closing.isEmpty() ? "" : " " + closing);
    }
    boolean right = random.nextDouble() < BOT_ACCURACY;
    String bot = right ? sample.intent() : otherIntent(sample.intent(), random);
    double u = random.nextDouble();
    int confidence = right ? 100 - (int) (45 * u * u) : 30 + (int) (50 * u);
    boolean verified = random.nextDouble() < VERIFIED_SHARE;
    double s = random.nextDouble();
    String status = verified ? (s < 0.5 ? "reviewed" : "approved")
        : s < 0.05 ? "used_in_training" : s < 0.06 ? "rejected" : "pending";
    Instant created = now.minus(Duration.ofMillis((long) (random.nextDouble() * Duration.ofDays(90).toMillis())));
    return new Row(text, sample.intent(), bot, confidence, verified, status, created);
  }

  /** The samples a run would fetch from the first rows, {@code n} of them (rejected rows left out). */
  List<TrainingSample> samples(int n) {
    List<TrainingSample> samples = new ArrayList<>(n);
    for (int r = 0; samples.size() < n; r++) {
      Row row = row(r);
      if (!row.status().equals("rejected")) {
        samples.add(row.sample());
      }
    }
    return samples;
  }

  /** Stores the first {@code rows} rows into {@code ai_training_data} with one COPY. */
  void copyInto(Connection connection, int rows) throws SQLException {
    CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
    try {
      StringBuilder chunk = new StringBuilder(1 << 20);
      for (int r = 0; r < rows; r++) {
        append(chunk, r, row(r));
        if (chunk.length() > 1 << 20 || r == rows - 1) {
          byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
          copy.writeToCopy(bytes, 0, bytes.length);
          chunk.setLength(0);
        }
      }
      copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  private static void append(StringBuilder out, int r, Row row) {
    String created = row.createdAt().toString();
    out.append("scale-").append(r).append('\t');
    escaped(out, row.text()).append('\t');
    out.append(row.botIntent()).append('\t');
    out.append(row.verified() ? row.intent() : "\\N").append('\t');
    out.append("Here is what to do about ").append(row.intent().replace('_', ' '))
        .append(": open the app, go to Help and follow the steps; write again if it is not solved.\t");
    out.append(row.confidence()).append('\t');
    out.append("live\t").append(row.status()).append('\t');
    out.append(row.verified() ? REVIEWER : "\\N").append('\t');
    out.append(row.verified() ? row.createdAt().plus(Duration.ofHours(20)).toString() : "\\N").append('\t');
    out.append(created).append('\t').append(created).append('\n');
  }

  /** COPY's text format: backslash, tab, newline and carriage return escaped. */
  private static StringBuilder escaped(StringBuilder out, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(c);
      }
    }
    return out;
  }

  private String otherIntent(String intent, SplittableRandom random) {
    String other;
    do {
      other = intents.get(random.nextInt(intents.size()));
    } while (other.equals(intent) && intents.size() > 1);
    return other;
  }

  /** Two neighbouring letters of one word of at least four letters swapped; the text as is without one. */
  private static String typo(String text, SplittableRandom random) {
    String[] words = text.split(" ");
    List<Integer> long4 = new ArrayList<>();
    for (int w = 0; w < words.length; w++) {
      if (words[w].length() >= 4 && words[w].chars().allMatch(Character::isLetter)) {
        long4.add(w);
      }
    }
    if (long4.isEmpty()) {
      return text;
    }
    int w = long4.get(random.nextInt(long4.size()));
    char[] chars = words[w].toCharArray();
    int at = 1 + random.nextInt(chars.length - 2);
    char c = chars[at];
    chars[at] = chars[at - 1];
    chars[at - 1] = c;
    words[w] = new String(chars);
    return String.join(" ", words);
  }
}
