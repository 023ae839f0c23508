package io.intentpipeline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTML report in a real browser: headless Chromium (Debian's {@code chromium}; {@code .ci/run}
 * installs it) loads the page offline, and the test reads what it built (the DOM after the
 * page's script ran), what it drew (a screenshot) and what it logged (the console, on stderr).
 * Skipped with a message when Chromium is not installed.
 */
class HtmlReportChromiumIT {
  static Path work;
  static Path chromium;
  static RunReport report;

  @BeforeAll
  static void setUp() throws IOException {
    chromium = findChromium();
    assumeTrue(chromium != null, "Chromium is not installed (apt-get install -y chromium; .ci/run does it):"
        + " the report's browser test is skipped");
    work = Files.createTempDirectory("report-browser");
    report = ReportFixtures.report(8);
  }

  @AfterAll
  static void tearDown() throws IOException {
    if (work != null) {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Path findChromium() {
    String configured = System.getProperty("chromium.path");
    List<Path> candidates = new ArrayList<>();
    if (configured != null) {
      candidates.add(Path.of(configured));
    }
    candidates.add(Path.of("/usr/bin/chromium"));
    candidates.add(Path.of("/usr/bin/chromium-browser"));
    return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
  }

  /** Runs Chromium headless on the page with {@code mode} args; returns {stdout, stderr}. */
  private static String[] browse(Path page, String... mode) throws Exception {
    Path profile = Files.createTempDirectory(work, "profile");
    List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"));
    command.addAll(List.of(mode));
    command.add(page.toUri().toString());
    Path out = work.resolve("stdout-" + System.nanoTime());
    Path err = work.resolve("stderr-" + System.nanoTime());
    Process process = new ProcessBuilder(command).directory(work.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("chromium did not finish within 90 s");
    }
    return new String[] {Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8)};
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void theReportRendersWithoutConsoleErrorsAndDrawsItsCharts() throws Exception {
    Path page = work.resolve("report.html");
    Files.writeString(page, HtmlReport.render(report), StandardCharsets.UTF_8);

    String[] dump = browse(page, "--dump-dom");
    String dom = dump[0];
    String console = dump[1];

    // Nothing at all on the console: no script error, no CSP refusal, no injected script that ran.
    assertThat(console.lines().filter(l -> l.contains(":CONSOLE"))).isEmpty();
    assertThat(dom).contains("<svg id=\"confusion\"").contains("<svg id=\"per-intent\"").contains("<svg id=\"reliability\"");
    long cells = report.evaluation().confusionMatrix().values().stream().mapToLong(row -> row.size()).sum();
    assertThat(count(dom, "<rect class=\"cell")).isEqualTo(cells);
    assertThat(count(dom, "class=\"bar-new\"")).isEqualTo(report.evaluation().perIntent().size());
    assertThat(count(dom, "class=\"bar-baseline\"")).isEqualTo(report.evaluation().perIntent().size());
    assertThat(count(dom, "class=\"rel-new\"")).isEqualTo(report.reliability().stream().filter(b -> b.count() > 0).count());
    assertThat(count(dom, "class=\"rel-baseline\"")).isEqualTo(
        report.baseline().orElseThrow().reliability().stream().filter(b -> b.count() > 0).count());
    String table = dom.substring(dom.indexOf("<table id=\"misclassified\""));
    table = table.substring(0, table.indexOf("</table>"));
    assertThat(count(table, "<tr>") - 1).isEqualTo(report.evaluation().misclassified().size());
    // The hostile texts are text in the page, never elements.
    assertThat(count(dom, "<script")).isEqualTo(1);
    assertThat(dom).doesNotContain("<img").doesNotContain("<svg onload").doesNotContain("<b>bold");
    assertThat(dom).contains("&lt;script&gt;console.error('injected script ran')&lt;/script&gt;");
    assertThat(dom).contains("<title>Training run &lt;i&gt;nightly&lt;/i&gt; &amp; \"friends\"</title>");
    // The filter's script ran without error and found the table's rows.
    assertThat(dom).contains("<span id=\"filter-count\" class=\"muted\">" + report.evaluation().misclassified().size()
        + " shown</span>");
  }

  @Test
  void theScreenshotShowsTheHeatMapBarsAndReliabilityColours() throws Exception {
    Path page = work.resolve("report-shot.html");
    Files.writeString(page, HtmlReport.render(report), StandardCharsets.UTF_8);
    Path shot = work.resolve("screenshot.png");

    String[] run = browse(page, "--window-size=1200,2400", "--hide-scrollbars", "--screenshot=" + shot);

    assertThat(run[1].lines().filter(l -> l.contains(":CONSOLE"))).isEmpty();
    BufferedImage image = ImageIO.read(shot.toFile());
    assertThat(image).isNotNull();
    int darkBlue = 0;
    int red = 0;
    int barBlue = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y) & 0xffffff;
        int r = rgb >> 16;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (b > 90 && r < 60 && g < 90) {
          darkBlue++; // the diagonal of the heat map (a large share right)
        }
        if (r > 150 && g < 120 && b < 120) {
          red++; // confusions in the heat map, the deployed model's reliability dots
        }
        if (rgb == 0x0969da) {
          barBlue++; // the new model's F1 bars
        }
      }
    }
    assertThat(darkBlue).as("dark blue pixels of the heat map's diagonal").isGreaterThan(200);
    assertThat(red).as("red pixels of confusions and baseline dots").isGreaterThan(50);
    assertThat(barBlue).as("pixels of the new model's F1 bars").isGreaterThan(500);
  }
}
