package io.intentpipeline.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.intentpipeline.dataset.CsvFormat;
import io.intentpipeline.dataset.DatasetFiles;
import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.local.cli.ConsoleBrowser;
import io.intentpipeline.local.stack.LocalStack;
import io.intentpipeline.storage.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin console's targets, measured in the browser (docs/CONSOLE.md, "Figures"): with
 * {@code console.benchmark.rows} rows (default 1,000,000) in {@code ai_training_data}, the Review
 * page shows its first 50 samples within 1 s of opening it, and a keyboard correction is confirmed
 * by the server within 200 ms at the 95th percentile. Opt-in (it stores a million rows):
 * {@code -Dconsole.benchmark=true}; the rows are generated from BANKING77 as the train benchmark's
 * scale mode makes them ({@link ScaleData}: ~84 % of them waiting for review).
 */
class ConsoleBenchmarkIT {
  @Test
  void reviewShowsFiftySamplesWithin1sAndCorrectionsConfirmWithin200msP95(@TempDir Path dir) throws Exception {
    assumeTrue(Boolean.getBoolean("console.benchmark"), "opt-in: -Dconsole.benchmark=true (docs/CONSOLE.md)");
    ConsoleBrowser.requireChromium();
    int rows = Integer.getInteger("console.benchmark.rows", 1_000_000);
    Path root = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    Path csv = Path.of(System.getProperty("datasets.dir", root.resolve("../shared/datasets").toString()))
        .resolve("banking77").resolve("train.csv");
    assumeTrue(Files.isRegularFile(csv), "BANKING77 is not at " + csv);
    try (FreshDatabase database = PostgresServer.shared().createDatabase("console_bench")) {
      var settings = new Database.Settings(database.jdbcUrl(), database.user(), database.password(), 10);
      LocalStack.Options options = LocalStack.Options.defaults(root).withDataDir(dir.resolve("data")).fast()
          .withSchedules(LocalStack.Schedules.OFF)
          .withValues(Map.of("ModelRefreshSeconds", "1", "RetrainThreshold", "1000000"), Map.of());
      try (LocalStack stack = LocalStack.start(options, settings)) {
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password())) {
          new ScaleData(DatasetFiles.read(csv, CsvFormat.Columns.auto()), ScaleData.SEED, Instant.now()).copyInto(c, rows);
          try (Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE ai_training_data");
          }
        }
        System.out.printf(Locale.ROOT, "console benchmark: %,d rows stored in %.0f s%n", rows, (System.nanoTime() - t0) / 1e9);

        try (ConsoleBrowser browser = ConsoleBrowser.start(dir.resolve("profile"))) {
          WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(60));
          String url = stack.consoleUrl().orElseThrow() + "#/review";
          List<Double> opens = new ArrayList<>();
          for (int i = 0; i < 6; i++) {
            browser.driver.get("about:blank");
            browser.driver.get(url);
            wait.until(d -> browser.js("return window.__console && window.__console.reviewShownSinceNavigationMs") != null);
            assertThat(browser.driver.findElements(By.cssSelector("#queue li[data-id]"))).hasSize(50);
            opens.add(((Number) browser.js("return window.__console.reviewShownSinceNavigationMs")).doubleValue());
          }
          for (int i = 0; i < 100; i++) {
            String select = "const li = document.querySelector('#queue li[aria-selected=true]'); return li ? li.dataset.id : null;";
            Object current = browser.js(select);
            new Actions(browser.driver).sendKeys(i % 2 == 0 ? "y" : "1").perform();
            wait.until(d -> !java.util.Objects.equals(browser.js(select), current));
          }
          wait.until(d -> d.findElement(By.id("outbox")).getText().isEmpty());
          @SuppressWarnings("unchecked")
          List<Number> times = (List<Number>) browser.js("return window.__console.corrections");
          List<Double> sorted = times.stream().map(Number::doubleValue).sorted().toList();
          List<Double> warm = opens.subList(1, opens.size()).stream().sorted().toList();
          System.out.printf(Locale.ROOT, "console benchmark: %,d rows; Review's first 50 samples shown %.0f ms after"
                  + " navigation (first open), then %s ms (5 reloads); %d keyboard corrections confirmed"
                  + " p50 %.0f ms, p95 %.0f ms, max %.0f ms%n", rows, opens.get(0), warm.stream()
                  .map(v -> String.format(Locale.ROOT, "%.0f", v)).toList(), sorted.size(),
              sorted.get(sorted.size() / 2), sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1), sorted.get(sorted.size() - 1));
          assertThat(sorted).hasSize(100);
          assertThat(opens).allSatisfy(ms -> assertThat(ms).as("ms to the first 50 samples").isLessThan(1000));
          assertThat(sorted.get(94)).as("p95 ms of a keyboard correction").isLessThan(200);
        }
      }
    }
  }
}
