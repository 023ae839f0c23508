package io.intentpipeline.dataset;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cleans a dataset as the original system did: drops empty and whitespace-only messages,
 * normalises whitespace (runs become one space, ends trimmed), and keeps one sample per text
 * ignoring case and spacing. When one text carries several intents, the human-corrected label
 * wins, else the most recent one (then the later in the input); such texts are counted as
 * conflicts. The order of first appearance is kept.
 */
public final class DatasetCleaner {
  private DatasetCleaner() {}

  /** What cleaning kept and what it removed. */
  public record Result(List<TrainingSample> samples, int input, int emptyRemoved, int duplicatesRemoved,
      int conflicts) {
    /** Immutable copy. */
    public Result {
      samples = List.copyOf(samples);
    }
  }

  /** Cleans {@code samples}; the input is not changed. */
  public static Result clean(List<TrainingSample> samples) {
    Map<String, List<TrainingSample>> groups = new LinkedHashMap<>();
    int empty = 0;
    for (TrainingSample sample : samples) {
      String text = normaliseWhitespace(sample.userMessage());
      if (text.isEmpty()) {
        empty++;
        continue;
      }
      groups.computeIfAbsent(text.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(sample.withUserMessage(text));
    }
    List<TrainingSample> kept = new ArrayList<>(groups.size());
    int duplicates = 0;
    int conflicts = 0;
    for (List<TrainingSample> group : groups.values()) {
      TrainingSample best = group.get(0);
      boolean conflict = false;
      for (int i = 1; i < group.size(); i++) {
        TrainingSample other = group.get(i);
        conflict |= !other.intent().equals(group.get(0).intent());
        if (preferred(other, best)) {
          best = other;
        }
      }
      duplicates += group.size() - 1;
      if (conflict) {
        conflicts++;
      }
      kept.add(best);
    }
    return new Result(kept, samples.size(), empty, duplicates, conflicts);
  }

  /** True when {@code candidate} (later in the input) should replace {@code current}. */
  private static boolean preferred(TrainingSample candidate, TrainingSample current) {
    if (candidate.wasCorrected() != current.wasCorrected()) {
      return candidate.wasCorrected();
    }
    Instant a = candidate.createdAt();
    Instant b = current.createdAt();
    if (a == null && b == null) {
      return true;
    }
    if (a == null || b == null) {
      return a != null;
    }
    return !a.isBefore(b);
  }

  /** Whitespace runs (any Unicode space) become one space; the ends are trimmed. */
  public static String normaliseWhitespace(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    boolean space = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        space = out.length() > 0;
      } else {
        if (space) {
          out.append(' ');
          space = false;
        }
        out.append(c);
      }
    }
    return out.toString();
  }
}
