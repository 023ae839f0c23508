package io.intentpipeline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTML report as text: escaping, self-containment, what it draws (the browser test renders it). */
class HtmlReportTest {
  static RunReport report;
  static String html;

  @BeforeAll
  static void render() {
    report = ReportFixtures.report(5);
    html = HtmlReport.render(report);
  }

  private static int count(String needle) {
    int n = 0;
    for (int i = html.indexOf(needle); i >= 0; i = html.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void everyHostileTextIsEscaped() {
    assertThat(report.evaluation().misclassified()).extracting(m -> m.text())
        .anySatisfy(t -> assertThat(t).contains("<script>"));

    assertThat(count("<script")).isEqualTo(1);
    assertThat(html).doesNotContain("<img").doesNotContain("<svg onload").doesNotContain("<b>bold")
        .doesNotContain("<i>nightly");
    assertThat(html).contains("&lt;script&gt;console.error(&#39;injected script ran&#39;)&lt;/script&gt;")
        .contains("&quot;&gt;&lt;img src=x onerror=&quot;")
        .contains("&lt;i&gt;nightly&lt;/i&gt; &amp; &quot;friends&quot;");
  }

  @Test
  void nothingIsLoadedFromAnywhereAndOnlyItsOwnScriptAndStyleMayRun() throws Exception {
    Matcher csp = Pattern.compile("content=\"default-src 'none'; style-src '(sha256-[^']+)'; script-src '(sha256-[^']+)';")
        .matcher(html);
    assertThat(csp.find()).isTrue();
    String script = html.substring(html.lastIndexOf("<script>") + 8, html.lastIndexOf("</script>"));
    String style = html.substring(html.indexOf("<style>") + 7, html.indexOf("</style>"));

    assertThat(csp.group(2)).isEqualTo(hash(script));
    assertThat(csp.group(1)).isEqualTo(hash(style));
    assertThat(html).doesNotContain("http://", "https://", "src=\"", "href=", "@import", "url(")
        .doesNotContain(" style=\"");
  }

  @Test
  void itDrawsEveryNonZeroCellEveryIntentAndEveryBin() {
    long cells = report.evaluation().confusionMatrix().values().stream().mapToLong(row -> row.size()).sum();
    int intents = report.evaluation().perIntent().size();
    long bins = report.reliability().stream().filter(b -> b.count() > 0).count();

    assertThat(count("<rect class=\"cell")).isEqualTo(cells);
    assertThat(count("class=\"bar-new\"")).isEqualTo(intents);
    assertThat(count("class=\"bar-baseline\"")).isEqualTo(intents);
    assertThat(count("class=\"rel-new\"")).isEqualTo(bins);
    assertThat(count("class=\"rel-count\"")).isEqualTo(bins);
    assertThat(count("<tr><td class=\"num\">")).isEqualTo(report.evaluation().misclassified().size());
    assertThat(html).contains(report.baseline().orElseThrow().modelVersion());
  }

  @Test
  void itDrawsTheCoverageAccuracyCurveWithTheChosenPoint() {
    var fit = report.answer().orElseThrow().fit();
    var policy = fit.policy();

    int svg = html.indexOf("<svg id=\"answer-curve\"");
    assertThat(svg).isPositive();
    String curve = html.substring(svg, html.indexOf("</svg>", svg));
    String points = curve.substring(curve.indexOf("<polyline points=\"") + 18);
    points = points.substring(0, points.indexOf('"'));
    assertThat(points.split(" ")).hasSize(fit.curve().size());
    assertThat(curve).contains("<circle id=\"answer-chosen\"", "<line id=\"answer-target\"")
        .contains(String.format(java.util.Locale.ROOT, "threshold %.4f", policy.threshold()));
    assertThat(html).contains("id=\"answer-summary\"")
        .contains(String.format(java.util.Locale.ROOT, "chosen for %.3f answered accuracy on %d validation samples",
            policy.targetAccuracy(), policy.heldOutSamples()));
  }

  private static String hash(String text) throws Exception {
    return "sha256-" + Base64.getEncoder().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
