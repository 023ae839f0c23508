package io.intentpipeline.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian {@code chromium} driven through its {@code chromedriver} by WebDriver, for the
 * admin console's browser tests. Nothing is downloaded: both binaries are the machine's
 * ({@code .ci/run} installs them). Without them the tests are skipped, except under CI
 * ({@code CI=true}), where a missing browser fails them.
 */
public final class ConsoleBrowser implements AutoCloseable {
  static final Path CHROMIUM = Path.of(System.getProperty("chromium.path", "/usr/bin/chromium"));
  static final Path DRIVER = Path.of(System.getProperty("chromedriver.path", "/usr/bin/chromedriver"));

  public final ChromeDriver driver;

  private ConsoleBrowser(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Skips (or fails under CI) when chromium or chromedriver is missing. */
  public static void requireChromium() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
    if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI: " + CHROMIUM + " and " + DRIVER + " are required (.ci/run installs chromium and chromium-driver)");
    }
    assumeTrue(present, "chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver;"
        + " .ci/run does it): the console's browser tests are skipped");
  }

  /** A headless browser at 1280x800 with a fresh profile. */
  public static ConsoleBrowser start(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
        "--window-size=1280,800", "--user-data-dir=" + profile, "--lang=en-GB");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    driver.manage().window().setSize(new Dimension(1280, 800));
    return new ConsoleBrowser(driver);
  }

  public Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /**
   * Runs axe-core (the copy in the test resources) on the page and returns its serious and
   * critical violations, each as "rule: help (n nodes: selectors)".
   */
  @SuppressWarnings("unchecked")
  List<String> seriousViolations() throws IOException {
    String axe;
    try (InputStream in = ConsoleBrowser.class.getResourceAsStream("/axe/axe.min.js")) {
      axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    js(axe);
    Map<String, Object> result = (Map<String, Object>) ((JavascriptExecutor) driver).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "axe.run(document, {resultTypes: ['violations']}).then(r => done({violations: r.violations.map(v => ({"
            + " id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))}))"
            + ".catch(e => done({error: String(e)}));");
    assertThat(result).doesNotContainKey("error");
    List<Map<String, Object>> violations = (List<Map<String, Object>>) result.get("violations");
    return violations.stream()
        .filter(v -> "serious".equals(v.get("impact")) || "critical".equals(v.get("impact")))
        .map(v -> v.get("id") + " (" + v.get("impact") + "): " + v.get("help") + " " + v.get("nodes"))
        .collect(Collectors.toList());
  }

  /** Saves a screenshot of the whole page (at most 2,400 px high) at the window's width as {@code file}. */
  void screenshot(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Dimension window = driver.manage().window().getSize();
    long height = ((Number) js("return Math.ceil(document.documentElement.scrollHeight)")).longValue();
    driver.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.min(2400, Math.max(window.getHeight(), height))));
    try {
      Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      driver.manage().window().setSize(window);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
