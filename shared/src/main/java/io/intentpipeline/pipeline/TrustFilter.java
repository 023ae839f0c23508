package io.intentpipeline.pipeline;

import io.intentpipeline.dataset.DatasetCleaner;
import io.intentpipeline.dataset.TrainingSample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Before cleaning, what a human said about a message wins over what the bot said about it or about
 * a message nearly the same, and the bot's unreviewed answers to near-copies of one message count
 * once: fifty orchestrator retries or template variants of one sentence, all carrying the bot's
 * label, would otherwise weigh fifty times on one intent.
 *
 * <p>Two texts are near-duplicates when they are equal once lower-cased, with every run of
 * characters other than letters and digits made one space and every number made {@code 0}
 * ({@link #nearKey}): "My card #1234 was declined!!" and "my card 9876 was declined" are one
 * message. Human-verified rows and audit picks are never left out here; among themselves the cleaner's rules apply
 * (one sample per text, the human-corrected label first).
 */
final class TrustFilter {
  /**
   * The rows kept, how many unreviewed rows were left out, and the trust of each kept text (by
   * {@link #key}; of a text on several rows, the highest, see {@link Trust#outranks}).
   */
  record Result(List<TrainingSample> kept, int nearDuplicatesRemoved, Map<String, Trust> trust) {}

  private TrustFilter() {}

  /**
   * Filters {@code rows}: every human-verified row, then each unreviewed row whose near-duplicate
   * key no earlier kept row (human-verified first, then in the given order) has.
   */
  static Result filter(List<TrainingData.Row> rows) {
    Set<String> seen = new HashSet<>();
    for (TrainingData.Row row : rows) {
      if (row.verified()) {
        seen.add(nearKey(row.sample().userMessage()));
      }
    }
    List<TrainingSample> kept = new ArrayList<>(rows.size());
    Map<String, Trust> trust = new HashMap<>();
    int removed = 0;
    for (TrainingData.Row row : rows) {
      if (row.verified() || row.audit() || seen.add(nearKey(row.sample().userMessage()))) {
        kept.add(row.sample());
        trust.merge(key(row.sample().userMessage()), row.trust(), (a, b) -> b.outranks(a) ? b : a);
      } else {
        removed++;
      }
    }
    return new Result(kept, removed, trust);
  }

  /** The cleaner's identity of a text: spacing normalised, lower-cased. */
  static String key(String text) {
    return DatasetCleaner.normaliseWhitespace(text).toLowerCase(Locale.ROOT);
  }

  /**
   * The near-duplicate key: lower-cased, runs of other characters than letters and digits one space,
   * a run of digits 0; a text of neither letters nor digits (an emoji) is its own key.
   */
  static String nearKey(String text) {
    String key = letterKey(text);
    return key.isEmpty() ? "\u0000" + key(text) : key;
  }

  private static String letterKey(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(lower.length());
    boolean gap = false;
    boolean inNumber = false;
    for (int i = 0; i < lower.length(); ) {
      int c = lower.codePointAt(i);
      i += Character.charCount(c);
      boolean letter = Character.isLetter(c);
      boolean digit = !letter && Character.isDigit(c);
      if (!letter && !digit) {
        gap = true;
        inNumber = false;
        continue;
      }
      if (gap && out.length() > 0) {
        out.append(' ');
      }
      gap = false;
      if (letter) {
        out.appendCodePoint(c);
        inNumber = false;
      } else if (!inNumber) {
        out.append('0');
        inNumber = true;
      }
    }
    return out.toString();
  }
}
