package io.intentpipeline.pipeline;

import io.intentpipeline.ml.Evaluation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The report of a run as one self-contained HTML page: every chart is inline SVG drawn here, the
 * little script and the style sheet are inline, and the page's Content-Security-Policy forbids
 * loading anything (no network, no other script or style than these two, by their hashes).
 *
 * <p>Message texts are user input and intent and run names are caller input: everything that
 * comes from data is HTML-escaped, in text and in attributes alike.
 *
 * <p>Sections: summary (new against baseline), confusion matrix as a heat map (non-zero cells,
 * class {@code cell}), per-intent F1 of new against baseline (classes {@code bar-new},
 * {@code bar-baseline}), reliability diagram (classes {@code rel-new}, {@code rel-baseline},
 * {@code rel-count}), and the misclassified samples (table {@code #misclassified}).
 */
final class HtmlReport {
  /** At most this many misclassified samples are shown (the JSON report lists up to 1,000). */
  public static final int MAX_ROWS = 500;

  private static final String STYLE = """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1200px;color:#1b1f24;padding:0 16px}
      h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:32px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
      .muted{color:#57606a}.ok{color:#1a7f37;font-weight:600}.no{color:#cf222e;font-weight:600}
      table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
      th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
      #misclassified td.text{max-width:560px;white-space:pre-wrap;word-break:break-word}
      svg{display:block;margin:8px 0;overflow:visible}svg text{font:11px system-ui,sans-serif;fill:#1b1f24}
      .legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}
      .legend .key-new{background:#0969da}.legend .key-grey{background:#8c959f}.legend .key-red{background:#cf222e}
      input[type=search]{padding:4px 8px;width:320px}
      """;

  private static final String SCRIPT = """
      (function () {
        var input = document.getElementById('filter');
        var count = document.getElementById('filter-count');
        if (!input || !count) { return; }
        var rows = document.querySelectorAll('#misclassified tbody tr');
        input.addEventListener('input', function () {
          var q = input.value.toLowerCase();
          var shown = 0;
          rows.forEach(function (row) {
            var match = row.textContent.toLowerCase().indexOf(q) >= 0;
            row.hidden = !match;
            if (match) { shown++; }
          });
          count.textContent = shown + ' shown';
        });
      })();
      """;

  private HtmlReport() {}

  /** The page for {@code report}. */
  public static String render(RunReport report) {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src '")
        .append(sha256(STYLE)).append("'; script-src '").append(sha256(SCRIPT))
        .append("'; img-src data:; base-uri 'none'; form-action 'none'\">");
    h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    h.append("<title>Training run ").append(esc(report.runName())).append("</title>");
    h.append("<style>").append(STYLE).append("</style></head><body>\n");
    summary(h, report);
    confusionMatrix(h, report.evaluation());
    perIntentF1(h, report);
    reliability(h, report);
    report.answer().ifPresent(a -> answerCurve(h, a));
    misclassified(h, report.evaluation());
    details(h, report);
    h.append("<script>").append(SCRIPT).append("</script>\n</body></html>\n");
    return h.toString();
  }

  private static void summary(StringBuilder h, RunReport r) {
    h.append("<h1>Training run ").append(esc(r.runName())).append("</h1>");
    h.append("<p class=\"muted\">run <code>").append(esc(r.runId().toString())).append("</code> · ")
        .append(esc(r.runType().dbName())).append(" · triggered by ").append(esc(r.trigger().dbName()))
        .append(" · started ").append(esc(r.startedAt().toString())).append(" · status ")
        .append(esc(r.status().dbName())).append("</p>");
    h.append("<p id=\"decision\">").append(r.deployed()
        ? "<span class=\"ok\">Deployed</span> " : "<span class=\"no\">Not deployed</span> ")
        .append("model <code>").append(esc(r.model().version())).append("</code>: ")
        .append(esc(r.decision().reason())).append("</p>");
    r.error().ifPresent(e -> h.append("<p class=\"no\" id=\"error\">").append(esc(e)).append("</p>"));
    Evaluation n = r.evaluation();
    h.append("<table id=\"summary\"><thead><tr><th>figure</th><th>new model</th>");
    r.baseline().ifPresent(b -> h.append("<th>deployed model <code>").append(esc(b.modelVersion()))
        .append("</code></th><th>change</th>"));
    h.append("</tr></thead><tbody>");
    Evaluation b = r.baseline().map(RunReport.Baseline::evaluation).orElse(null);
    row(h, "macro F1", n.testedF1Macro(), b == null ? null : b.testedF1Macro(), true);
    row(h, "accuracy", n.accuracy(), b == null ? null : b.accuracy(), true);
    row(h, "macro precision", n.precisionMacro(), b == null ? null : b.precisionMacro(), true);
    row(h, "macro recall", n.recallMacro(), b == null ? null : b.recallMacro(), true);
    row(h, "expected calibration error (lower is better)", n.ece(), b == null ? null : b.ece(), false);
    row(h, "Brier score (lower is better)", n.brier(), b == null ? null : b.brier(), false);
    h.append("</tbody></table>");
    RunReport.Dataset d = r.dataset();
    h.append(String.format(Locale.ROOT, "<p class=\"muted\">%d samples fetched, %d after cleaning (%d duplicates and %d"
        + " empty removed, %d conflicting labels resolved), %d intents; split %d train / %d validation / %d test."
        + " Both models are evaluated on the same %d test samples.</p>", d.fetched(), d.samples(), d.duplicatesRemoved(),
        d.emptyRemoved(), d.conflicts(), d.intents(), d.train(), d.validation(), d.test(), d.test()));
  }

  private static void row(StringBuilder h, String name, double value, Double base, boolean higherIsBetter) {
    h.append("<tr><td>").append(esc(name)).append("</td><td class=\"num\">").append(f4(value)).append("</td>");
    if (base != null) {
      double delta = value - base;
      boolean better = higherIsBetter ? delta >= 0 : delta <= 0;
      h.append("<td class=\"num\">").append(f4(base)).append("</td><td class=\"num ")
          .append(better ? "ok" : "no").append("\">").append(delta >= 0 ? "+" : "").append(f4(delta)).append("</td>");
    }
    h.append("</tr>");
  }

  /** Rows: true intent; columns: predicted intent; colour: share of the true intent's samples. */
  private static void confusionMatrix(StringBuilder h, Evaluation e) {
    Map<String, Map<String, Integer>> matrix = e.confusionMatrix();
    TreeSet<String> labels = new TreeSet<>(e.perIntent().keySet());
    matrix.forEach((t, row) -> {
      labels.add(t);
      labels.addAll(row.keySet());
    });
    List<String> intents = new ArrayList<>(labels);
    int k = intents.size();
    int cell = Math.max(6, Math.min(36, 620 / Math.max(1, k)));
    int left = 200;
    int top = 150;
    int size = k * cell;
    h.append("<h2>Confusion matrix</h2><p class=\"muted\">Rows: the true intent; columns: the predicted one."
        + " Blue: right (darker = a larger share of the intent's test samples); red: confused with another intent."
        + " Hover a cell for its count.</p>");
    h.append("<svg id=\"confusion\" width=\"").append(left + size + 20)
        .append("\" height=\"").append(top + size + 20).append("\" role=\"img\" aria-label=\"confusion matrix\">");
    h.append("<rect class=\"grid\" x=\"").append(left).append("\" y=\"").append(top).append("\" width=\"").append(size)
        .append("\" height=\"").append(size).append("\" fill=\"#ffffff\" stroke=\"#d0d7de\"/>");
    for (int i = 0; i < k; i++) {
      String name = intents.get(i);
      int y = top + i * cell + cell / 2 + 4;
      int x = left + i * cell + cell / 2 + 4;
      h.append("<text class=\"row-label\" x=\"").append(left - 6).append("\" y=\"").append(y)
          .append("\" text-anchor=\"end\">").append(esc(shorten(name))).append("<title>").append(esc(name))
          .append("</title></text>");
      h.append("<text class=\"col-label\" transform=\"translate(").append(x).append(',').append(top - 6)
          .append(") rotate(-60)\">").append(esc(shorten(name))).append("<title>").append(esc(name))
          .append("</title></text>");
    }
    for (int i = 0; i < k; i++) {
      Map<String, Integer> row = matrix.getOrDefault(intents.get(i), Map.of());
      int total = row.values().stream().mapToInt(Integer::intValue).sum();
      for (int j = 0; j < k; j++) {
        int n = row.getOrDefault(intents.get(j), 0);
        if (n == 0) {
          continue;
        }
        double share = (double) n / total;
        String fill = i == j ? blend(0xdeebf7, 0x08306b, share) : blend(0xfee0d2, 0x99000d, Math.min(1, share * 2));
        h.append("<rect class=\"cell").append(i == j ? " hit" : " miss").append("\" x=\"").append(left + j * cell)
            .append("\" y=\"").append(top + i * cell).append("\" width=\"").append(cell).append("\" height=\"")
            .append(cell).append("\" fill=\"").append(fill).append("\"><title>").append(esc(intents.get(i)))
            .append(" → ").append(esc(intents.get(j))).append(": ").append(n).append(" of ").append(total)
            .append("</title></rect>");
      }
    }
    h.append("</svg>");
  }

  /** One row per intent: the new model's F1 (blue) over the baseline's (grey), regressions first. */
  private static void perIntentF1(StringBuilder h, RunReport r) {
    Map<String, Evaluation.IntentMetrics> now = r.evaluation().perIntent();
    Map<String, Evaluation.IntentMetrics> before = r.baseline().map(b -> b.evaluation().perIntent()).orElse(Map.of());
    boolean compare = r.baseline().isPresent();
    TreeSet<String> names = new TreeSet<>(now.keySet());
    names.addAll(before.keySet());
    List<String> intents = new ArrayList<>(names);
    intents.sort(Comparator.comparingDouble((String i) -> f1(now, i) - (compare ? f1(before, i) : 0))
        .thenComparing(Comparator.naturalOrder()));
    int left = 200;
    int width = 360;
    int rowHeight = 16;
    int top = 24;
    h.append("<h2>Per-intent F1</h2><p class=\"muted\">").append(compare
        ? "New model (blue) against the deployed model (grey) on the same test split; largest regressions first."
        : "New model; no model was deployed to compare with. Weakest intents first.").append("</p>");
    h.append("<p class=\"legend\"><span class=\"key-new\"></span>new");
    if (compare) {
      h.append("<span class=\"key-grey\"></span>deployed");
    }
    h.append("</p>");
    h.append("<svg id=\"per-intent\" width=\"").append(left + width + 140)
        .append("\" height=\"").append(top + intents.size() * rowHeight + 10)
        .append("\" role=\"img\" aria-label=\"per-intent F1\">");
    for (int tick = 0; tick <= 10; tick += 2) {
      int x = left + tick * width / 10;
      h.append("<line x1=\"").append(x).append("\" y1=\"").append(top - 4).append("\" x2=\"").append(x)
          .append("\" y2=\"").append(top + intents.size() * rowHeight).append("\" stroke=\"#eaeef2\"/>");
      h.append("<text x=\"").append(x).append("\" y=\"").append(top - 8).append("\" text-anchor=\"middle\">")
          .append(tick / 10.0).append("</text>");
    }
    for (int i = 0; i < intents.size(); i++) {
      String intent = intents.get(i);
      int y = top + i * rowHeight;
      double fNew = f1(now, intent);
      h.append("<text x=\"").append(left - 6).append("\" y=\"").append(y + 11).append("\" text-anchor=\"end\">")
          .append(esc(shorten(intent))).append("<title>").append(esc(intent)).append("</title></text>");
      int barHeight = compare ? 6 : 12;
      h.append("<rect class=\"bar-new\" x=\"").append(left).append("\" y=\"").append(y + 2).append("\" width=\"")
          .append(Math.round(fNew * width)).append("\" height=\"").append(barHeight).append("\" fill=\"#0969da\"><title>")
          .append(esc(intent)).append(": new F1 ").append(f4(fNew)).append("</title></rect>");
      String label = f3(fNew);
      if (compare) {
        double fOld = f1(before, intent);
        h.append("<rect class=\"bar-baseline\" x=\"").append(left).append("\" y=\"").append(y + 8).append("\" width=\"")
            .append(Math.round(fOld * width)).append("\" height=\"6\" fill=\"#8c959f\"><title>").append(esc(intent))
            .append(": deployed F1 ").append(f4(fOld)).append("</title></rect>");
        double delta = fNew - fOld;
        label += " (" + (delta >= 0 ? "+" : "") + f3(delta) + ")";
      }
      h.append("<text x=\"").append(left + width + 6).append("\" y=\"").append(y + 11).append("\">").append(label)
          .append("</text>");
    }
    h.append("</svg>");
  }

  private static double f1(Map<String, Evaluation.IntentMetrics> metrics, String intent) {
    Evaluation.IntentMetrics m = metrics.get(intent);
    return m == null ? 0 : m.f1();
  }

  /**
   * The validation coverage-accuracy curve the answer threshold was chosen on, the target as a
   * dashed line, the chosen point as a dot, and the actions on the test split below.
   */
  private static void answerCurve(StringBuilder h, RunReport.Answer a) {
    io.intentpipeline.ml.AnswerPolicy p = a.fit().policy();
    List<io.intentpipeline.ml.AnswerPolicyFitter.Point> curve = a.fit().curve();
    h.append("<h2>When to answer</h2><p class=\"muted\">Validation samples answered in decreasing order of the"
        + " answer score (").append(esc(p.score().json())).append("): the share answered (coverage) against the"
        + " accuracy of those answered. The threshold is the lowest that keeps the answered accuracy at the target"
        + " or above; below it, predict says <code>clarify</code> or <code>escalate</code>"
        + " (docs/ANSWER_ACTIONS.md).</p>");
    if (curve.isEmpty()) {
      h.append("<p id=\"answer-curve\">No validation samples: the model answers every message.</p>");
      return;
    }
    int left = 50;
    int top = 20;
    int width = 360;
    int height = 240;
    double low = 1.0;
    for (io.intentpipeline.ml.AnswerPolicyFitter.Point pt : curve) {
      low = Math.min(low, pt.accuracy());
    }
    low = Math.max(0, Math.floor(Math.min(low, p.targetAccuracy()) * 20) / 20);
    double lo = low;
    java.util.function.DoubleUnaryOperator y = v -> top + height - (v - lo) / (1 - lo) * height;
    h.append("<svg id=\"answer-curve\" width=\"").append(left + width + 30).append("\" height=\"")
        .append(top + height + 40).append("\" role=\"img\" aria-label=\"coverage-accuracy curve\">");
    h.append("<rect x=\"").append(left).append("\" y=\"").append(top).append("\" width=\"").append(width)
        .append("\" height=\"").append(height).append("\" fill=\"#ffffff\" stroke=\"#8c959f\"/>");
    for (int tick = 0; tick <= 5; tick++) {
      double cov = tick / 5.0;
      double acc = lo + (1 - lo) * tick / 5.0;
      h.append("<text x=\"").append(left + (int) Math.round(cov * width)).append("\" y=\"").append(top + height + 14)
          .append("\" text-anchor=\"middle\">").append(String.format(Locale.ROOT, "%.1f", cov)).append("</text>");
      h.append("<text x=\"").append(left - 6).append("\" y=\"").append(f1d(y.applyAsDouble(acc) + 4))
          .append("\" text-anchor=\"end\">").append(String.format(Locale.ROOT, "%.2f", acc)).append("</text>");
    }
    h.append("<text x=\"").append(left + width / 2).append("\" y=\"").append(top + height + 30)
        .append("\" text-anchor=\"middle\">coverage (share answered)</text>");
    if (Double.isFinite(p.targetAccuracy())) {
      double ty = y.applyAsDouble(p.targetAccuracy());
      h.append("<line id=\"answer-target\" x1=\"").append(left).append("\" y1=\"").append(f1d(ty)).append("\" x2=\"")
          .append(left + width).append("\" y2=\"").append(f1d(ty)).append("\" stroke=\"#57606a\" stroke-dasharray=\"5,4\">")
          .append("<title>target ").append(String.format(Locale.ROOT, "%.3f", p.targetAccuracy())).append("</title></line>");
    }
    StringBuilder points = new StringBuilder();
    for (io.intentpipeline.ml.AnswerPolicyFitter.Point pt : curve) {
      points.append(f1d(left + pt.coverage() * width)).append(',').append(f1d(y.applyAsDouble(pt.accuracy()))).append(' ');
    }
    h.append("<polyline points=\"").append(points.toString().trim())
        .append("\" fill=\"none\" stroke=\"#0969da\" stroke-width=\"2\"/>");
    if (Double.isFinite(p.expectedCoverage()) && Double.isFinite(p.expectedAccuracy())) {
      h.append("<circle id=\"answer-chosen\" cx=\"").append(f1d(left + p.expectedCoverage() * width)).append("\" cy=\"")
          .append(f1d(y.applyAsDouble(p.expectedAccuracy()))).append("\" r=\"5\" fill=\"#cf222e\"><title>")
          .append(String.format(Locale.ROOT, "threshold %.4f: %.1f %% answered, %.4f accurate", p.threshold(),
              100 * p.expectedCoverage(), p.expectedAccuracy())).append("</title></circle>");
    }
    h.append("</svg>");
    io.intentpipeline.ml.ActionEvaluation t = a.onTest();
    h.append("<p id=\"answer-summary\">").append(String.format(Locale.ROOT,
        "Threshold %.4f on %s, chosen for %.3f answered accuracy on %d validation samples: %s answered at %s."
            + " On the %d in-scope test samples: %.1f %% answered, %s of them right; %.1f %% clarified, %s naming the"
            + " right intent; %.1f %% escalated.", p.threshold(), p.score().json(), p.targetAccuracy(), p.heldOutSamples(),
        pct(p.expectedCoverage()), f4(p.expectedAccuracy()), t.inScope(), 100 * t.coverage(), f4(t.answeredAccuracy()),
        100 * t.clarifyShare(), f4(t.clarifyAccuracy()), 100 * t.escalateShare()));
    if (t.outOfScope() > 0) {
      h.append(String.format(Locale.ROOT, " Out of scope (%s): %d test samples, %.1f %% escalated.",
          esc(p.outOfScopeIntent()), t.outOfScope(), 100 * t.outOfScopeEscalatedShare()));
    }
    h.append("</p>");
  }

  private static String pct(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f %%", 100 * v) : "-";
  }

  /** Accuracy against confidence per bin: bars for the new model, dots for the deployed one. */
  private static void reliability(StringBuilder h, RunReport r) {
    int left = 50;
    int top = 20;
    int plot = 360;
    int histogram = 70;
    int bins = r.reliability().size();
    double binWidth = (double) plot / Math.max(1, bins);
    h.append("<h2>Reliability diagram</h2><p class=\"muted\">Test samples grouped by the confidence of their"
        + " prediction (").append(bins).append(" bins): bars show the share predicted right, the dashed diagonal is"
        + " perfect calibration. Below: how many predictions fall in each bin.</p>");
    h.append("<p class=\"legend\"><span class=\"key-new\"></span>new");
    if (r.baseline().isPresent()) {
      h.append("<span class=\"key-red\"></span>deployed");
    }
    h.append("</p>");
    h.append("<svg id=\"reliability\" width=\"").append(left + plot + 30)
        .append("\" height=\"").append(top + plot + histogram + 50).append("\" role=\"img\" aria-label=\"reliability diagram\">");
    h.append("<rect x=\"").append(left).append("\" y=\"").append(top).append("\" width=\"").append(plot)
        .append("\" height=\"").append(plot).append("\" fill=\"#ffffff\" stroke=\"#8c959f\"/>");
    for (int tick = 0; tick <= 5; tick++) {
      double v = tick / 5.0;
      int x = left + (int) Math.round(v * plot);
      int y = top + plot - (int) Math.round(v * plot);
      h.append("<text x=\"").append(x).append("\" y=\"").append(top + plot + 14).append("\" text-anchor=\"middle\">")
          .append(v).append("</text>");
      h.append("<text x=\"").append(left - 6).append("\" y=\"").append(y + 4).append("\" text-anchor=\"end\">")
          .append(v).append("</text>");
    }
    h.append("<text x=\"").append(left + plot / 2).append("\" y=\"").append(top + plot + 30)
        .append("\" text-anchor=\"middle\">confidence</text>");
    h.append("<text transform=\"translate(14,").append(top + plot / 2).append(") rotate(-90)\" text-anchor=\"middle\">accuracy</text>");
    h.append("<line x1=\"").append(left).append("\" y1=\"").append(top + plot).append("\" x2=\"").append(left + plot)
        .append("\" y2=\"").append(top).append("\" stroke=\"#57606a\" stroke-dasharray=\"5,4\"/>");
    int maxCount = 1;
    for (Reliability.Bin bin : r.reliability()) {
      maxCount = Math.max(maxCount, bin.count());
    }
    for (int b = 0; b < bins; b++) {
      Reliability.Bin bin = r.reliability().get(b);
      if (bin.count() == 0) {
        continue;
      }
      double x = left + b * binWidth + 1;
      double height = bin.accuracy() * plot;
      h.append("<rect class=\"rel-new\" x=\"").append(f1d(x)).append("\" y=\"").append(f1d(top + plot - height))
          .append("\" width=\"").append(f1d(binWidth - 2)).append("\" height=\"").append(f1d(height))
          .append("\" fill=\"#0969da\" fill-opacity=\"0.75\"><title>").append(String.format(Locale.ROOT,
              "confidence %.2f-%.2f: %d predictions, mean confidence %.3f, accuracy %.3f", bin.lower(), bin.upper(),
              bin.count(), bin.meanConfidence(), bin.accuracy())).append("</title></rect>");
      double countHeight = (double) bin.count() / maxCount * histogram;
      h.append("<rect class=\"rel-count\" x=\"").append(f1d(x)).append("\" y=\"")
          .append(f1d(top + plot + 40 + histogram - countHeight)).append("\" width=\"").append(f1d(binWidth - 2))
          .append("\" height=\"").append(f1d(countHeight)).append("\" fill=\"#8c959f\"><title>").append(bin.count())
          .append(" predictions</title></rect>");
    }
    r.baseline().ifPresent(base -> {
      StringBuilder points = new StringBuilder();
      for (Reliability.Bin bin : base.reliability()) {
        if (bin.count() == 0) {
          continue;
        }
        double x = left + bin.meanConfidence() * plot;
        double y = top + plot - bin.accuracy() * plot;
        points.append(f1d(x)).append(',').append(f1d(y)).append(' ');
        h.append("<circle class=\"rel-baseline\" cx=\"").append(f1d(x)).append("\" cy=\"").append(f1d(y))
            .append("\" r=\"4\" fill=\"#cf222e\"><title>").append(String.format(Locale.ROOT,
                "deployed model: %d predictions, mean confidence %.3f, accuracy %.3f", bin.count(),
                bin.meanConfidence(), bin.accuracy())).append("</title></circle>");
      }
      if (points.length() > 0) {
        h.append("<polyline points=\"").append(points.toString().trim())
            .append("\" fill=\"none\" stroke=\"#cf222e\" stroke-width=\"1.5\"/>");
      }
    });
    h.append("</svg>");
    h.append(String.format(Locale.ROOT, "<p class=\"muted\">Expected calibration error: new %.4f", r.evaluation().ece()));
    r.baseline().ifPresent(b -> h.append(String.format(Locale.ROOT, ", deployed %.4f", b.evaluation().ece())));
    h.append(".</p>");
  }

  private static void misclassified(StringBuilder h, Evaluation e) {
    List<Evaluation.Misclassified> rows = e.misclassified();
    int shown = Math.min(MAX_ROWS, rows.size());
    h.append("<h2>Misclassified test samples</h2><p class=\"muted\">").append(e.misclassifiedCount())
        .append(" of ").append(e.totalSamples()).append(" test samples predicted wrong by the new model");
    if (shown < e.misclassifiedCount()) {
      h.append("; the first ").append(shown).append(" are listed");
    }
    h.append(".</p>");
    h.append("<p><input type=\"search\" id=\"filter\" placeholder=\"filter by text or intent\" aria-label=\"filter\">"
        + " <span id=\"filter-count\" class=\"muted\">").append(shown).append(" shown</span></p>");
    h.append("<table id=\"misclassified\"><thead><tr><th>#</th><th>message</th><th>true intent</th>"
        + "<th>predicted</th><th>confidence</th></tr></thead><tbody>");
    for (int i = 0; i < shown; i++) {
      Evaluation.Misclassified m = rows.get(i);
      h.append("<tr><td class=\"num\">").append(i + 1).append("</td><td class=\"text\">").append(esc(m.text()))
          .append("</td><td>").append(esc(m.trueIntent())).append("</td><td>").append(esc(m.predictedIntent()))
          .append("</td><td class=\"num\">").append(f3(m.confidence())).append("</td></tr>");
    }
    h.append("</tbody></table>");
  }

  private static void details(StringBuilder h, RunReport r) {
    h.append("<h2>Run details</h2><table id=\"details\"><tbody>");
    detail(h, "model version", r.model().version());
    detail(h, "profile", r.model().profile());
    detail(h, "model file", r.model().bytes() + " bytes, SHA-256 " + r.model().sha256());
    detail(h, "deployed to", r.model().location().orElse("(not deployed)"));
    detail(h, "dataset snapshot", r.dataset().snapshot().orElse("(not written)"));
    r.baseline().ifPresent(b -> detail(h, "baseline", b.modelVersion() + " (run " + b.runId() + ")"));
    detail(h, "parameters", r.parameters().toString());
    if (!r.dataset().tooSmallIntents().isEmpty()) {
      detail(h, "intents too small to split (all in training)", String.join(", ", r.dataset().tooSmallIntents()));
    }
    StringBuilder stages = new StringBuilder();
    r.stageSeconds().forEach((stage, seconds) -> stages.append(stage).append(' ')
        .append(String.format(Locale.ROOT, "%.2f s", seconds)).append(", "));
    detail(h, "stages", stages.length() > 2 ? stages.substring(0, stages.length() - 2) : "");
    h.append("</tbody></table>");
  }

  private static void detail(StringBuilder h, String name, String value) {
    h.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>");
  }

  /** Escapes text for HTML element content and quoted attribute values alike. */
  public static String esc(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          // Control characters other than tab and line breaks are not allowed in HTML text.
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            out.append('\uFFFD');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static String shorten(String name) {
    return name.length() <= 30 ? name : name.substring(0, 29) + "…";
  }

  private static String blend(int from, int to, double t) {
    double s = Math.max(0, Math.min(1, t));
    int r = (int) Math.round(((from >> 16) & 0xff) + (((to >> 16) & 0xff) - ((from >> 16) & 0xff)) * s);
    int g = (int) Math.round(((from >> 8) & 0xff) + (((to >> 8) & 0xff) - ((from >> 8) & 0xff)) * s);
    int b = (int) Math.round((from & 0xff) + ((to & 0xff) - (from & 0xff)) * s);
    return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
  }

  private static String f4(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  private static String f3(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String f1d(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** The CSP source of an inline block: {@code sha256-<base64 of its SHA-256>}. */
  private static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
