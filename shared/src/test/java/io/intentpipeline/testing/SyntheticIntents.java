package io.intentpipeline.testing;

import io.intentpipeline.testing.TrainingRows.Row;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Generated, learnable training data: {@code intents} intents, each with its own words; a message
 * is two of its intent's words (each, with probability {@code confusion}, replaced by a word of
 * another intent) among three words every intent shares. More samples give a better model, and
 * the same seed gives the same rows. Every message is distinct from every other generated with
 * the same generator.
 */
public final class SyntheticIntents {
  private static final String[] SYLLABLES = {"ka", "lo", "mi", "ber", "tu", "san", "vel", "ro", "pi", "dun", "ek",
      "sor", "na", "gil", "fa", "tem", "qu", "zar", "hol", "wen"};

  private final Random random;
  private final List<String> intents = new ArrayList<>();
  private final List<List<String>> words = new ArrayList<>();
  private final List<String> shared = new ArrayList<>();
  private final Set<String> seen = new HashSet<>();
  private final double confusion;

  /** A generator of {@code intents} intents ({@code intent_00}, ...) mixing words with {@code confusion}. */
  public SyntheticIntents(int intents, double confusion, long seed) {
    this.random = new Random(seed);
    this.confusion = confusion;
    Set<String> used = new HashSet<>();
    for (int i = 0; i < intents; i++) {
      this.intents.add(String.format("intent_%02d", i));
      List<String> own = new ArrayList<>();
      while (own.size() < 10) {
        String w = word();
        if (used.add(w)) {
          own.add(w);
        }
      }
      words.add(own);
    }
    while (shared.size() < 40) {
      String w = word();
      if (used.add(w)) {
        shared.add(w);
      }
    }
  }

  /** The intent names. */
  public List<String> intents() {
    return List.copyOf(intents);
  }

  /** {@code perIntent} new rows of every intent, as the bot detected them, interleaved. */
  public List<Row> rows(int perIntent) {
    List<Row> rows = new ArrayList<>();
    for (int n = 0; n < perIntent; n++) {
      for (int i = 0; i < intents.size(); i++) {
        rows.add(Row.detected(intents.get(i)).message(message(i)));
      }
    }
    return rows;
  }

  /** One new message of intent number {@code intent}. */
  public String message(int intent) {
    while (true) {
      List<String> parts = new ArrayList<>();
      for (int k = 0; k < 2; k++) {
        int from = random.nextDouble() < confusion ? random.nextInt(intents.size()) : intent;
        parts.add(words.get(from).get(random.nextInt(10)));
      }
      for (int k = 0; k < 3; k++) {
        parts.add(shared.get(random.nextInt(shared.size())));
      }
      Collections.shuffle(parts, random);
      String text = String.join(" ", parts);
      if (seen.add(text)) {
        return text;
      }
    }
  }

  private String word() {
    int n = 2 + random.nextInt(2);
    StringBuilder w = new StringBuilder();
    for (int k = 0; k < n; k++) {
      w.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
    }
    return w.toString();
  }
}
