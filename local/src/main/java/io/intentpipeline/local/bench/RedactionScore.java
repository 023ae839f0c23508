package io.intentpipeline.local.bench;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Recall and precision of a redactor per kind on a {@link PersonalDataCorpus}: a value of a kind
 * counts as found when its placeholder replaced it and the value is gone from the output; a
 * placeholder beyond the message's values of that kind is a false positive.
 */
public record RedactionScore(int messages, int exact, long[] truePositives, long[] falsePositives,
    long[] falseNegatives) {

  /** Scores {@code redactor} on {@code corpus}. */
  public static RedactionScore of(List<PersonalDataCorpus.Message> corpus, UnaryOperator<String> redactor) {
    long[] tp = new long[4];
    long[] fp = new long[4];
    long[] fn = new long[4];
    int exact = 0;
    for (PersonalDataCorpus.Message m : corpus) {
      String out = redactor.apply(m.text());
      if (out.equals(m.expected())) {
        exact++;
      }
      int[] leaked = new int[4];
      for (PersonalDataCorpus.Value value : m.values()) {
        if (out.contains(value.text())) {
          leaked[value.kind()]++;
        }
      }
      for (int k = 0; k < 4; k++) {
        int got = count(out, PersonalDataCorpus.PLACEHOLDERS[k]);
        int expected = m.counts()[k];
        int found = Math.min(Math.min(got, expected), expected - leaked[k]);
        tp[k] += found;
        fn[k] += expected - found;
        fp[k] += Math.max(0, got - expected);
      }
    }
    return new RedactionScore(corpus.size(), exact, tp, fp, fn);
  }

  private static int count(String text, String placeholder) {
    int n = 0;
    int at = 0;
    while ((at = text.indexOf(placeholder, at)) >= 0) {
      n++;
      at += placeholder.length();
    }
    return n;
  }

  /** Recall of kind {@code k} (1 when the corpus holds none). */
  public double recall(int k) {
    long all = truePositives[k] + falseNegatives[k];
    return all == 0 ? 1.0 : (double) truePositives[k] / all;
  }

  /** Precision of kind {@code k} (1 when nothing was redacted as that kind). */
  public double precision(int k) {
    long all = truePositives[k] + falsePositives[k];
    return all == 0 ? 1.0 : (double) truePositives[k] / all;
  }

  /** Values of kind {@code k} in the corpus. */
  public long support(int k) {
    return truePositives[k] + falseNegatives[k];
  }

  /** The table: one line per kind. */
  public String table() {
    StringBuilder out = new StringBuilder();
    out.append("| kind | values | found | missed | false positives | recall | precision |\n");
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (int k = 0; k < 4; k++) {
      out.append(String.format("| %s | %d | %d | %d | %d | %.4f | %.4f |%n", PersonalDataCorpus.KINDS.get(k),
          support(k), truePositives[k], falseNegatives[k], falsePositives[k], recall(k), precision(k)));
    }
    out.append(String.format("messages %d, redacted exactly as labelled %d (%.4f)%n", messages, exact,
        (double) exact / messages));
    return out.toString();
  }
}
