package io.intentpipeline.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.json.Json;
import io.intentpipeline.local.cli.demo.DemoRun;
import io.intentpipeline.local.stack.LocalStack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin console in a real browser (issue 15): headless Chromium driven by WebDriver against a
 * local stack holding the demo's data (748 interactions, two training runs, corrections), through
 * the keyboard as an admin uses it. Screenshots of each page go to {@code docs/console/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
  static Path work;
  static FreshDatabase database;
  static LocalStack stack;
  static URI console;
  static Path docs;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  ConsoleBrowser browser;
  WebDriverWait wait;

  @BeforeAll
  static void startStack() throws Exception {
    ConsoleBrowser.requireChromium();
    work = Files.createTempDirectory("console-it");
    Path root = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    docs = root.resolve("docs").resolve("console");
    database = PostgresServer.shared().createDatabase("console");
    stack = LocalStack.start(ScratchStack.options(root, work.resolve("data")),
        new io.intentpipeline.storage.Database.Settings(database.jdbcUrl(), database.user(), database.password(), 10));
    console = stack.consoleUrl().orElseThrow();
    new DemoRun(stack.apiUrl(), work.resolve("data").resolve("s3"), new PrintStream(new ByteArrayOutputStream()), 42, 0.1)
        .run();
    // A few hourly snapshots, so that the dashboard has a history to chart.
    java.time.Instant now = java.time.Instant.now();
    for (int hours = 4; hours >= 0; hours--) {
      post("/ai/training/snapshot", "{\"period_type\": \"hourly\", \"at\": \"" + now.minusSeconds(3600L * hours) + "\"}");
    }
  }

  static JsonNode post(String path, String json) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(stack.apiUrl().resolve(path))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isBetween(200, 201);
    return Json.MAPPER.readTree(response.body());
  }

  @AfterAll
  static void stopStack() throws IOException {
    if (stack != null) {
      stack.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @BeforeEach
  void openBrowser(@TempDir Path profile) {
    browser = ConsoleBrowser.start(profile);
    wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  private void open(String page) {
    browser.driver.get(console + "#/" + page);
    wait.until(d -> page.equals(d.findElement(By.id("main")).getAttribute("data-page"))
        && "true".equals(d.findElement(By.id("main")).getAttribute("data-ready")));
  }

  private void openReview() {
    open("review");
    wait.until(d -> "true".equals(d.findElement(By.id("main")).getAttribute("data-loaded")));
  }

  private List<String> shownIds() {
    List<String> ids = new ArrayList<>();
    for (WebElement li : browser.driver.findElements(By.cssSelector("#queue li[data-id]"))) {
      ids.add(li.getAttribute("data-id"));
    }
    return ids;
  }

  /** The selected sample's id, read in one step (the list is re-rendered as corrections go). */
  private String selectedId() {
    return (String) browser.js("const li = document.querySelector('#queue li[aria-selected=true]');"
        + " return li ? li.dataset.id : null;");
  }

  private void keys(CharSequence... keys) {
    new Actions(browser.driver).sendKeys(keys).perform();
  }

  private void waitForOutboxEmpty() {
    wait.until(d -> d.findElement(By.id("outbox")).getText().isEmpty()
        && ((Number) browser.js("return JSON.parse(localStorage.getItem('console.outbox') || '[]').length")).intValue() == 0);
  }

  static JsonNode get(String path) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(stack.apiUrl().resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return Json.MAPPER.readTree(response.body());
  }

  /** Every sample id the pending-review route still serves. */
  static Set<String> pendingIds() throws Exception {
    Set<String> ids = new HashSet<>();
    String cursor = null;
    do {
      JsonNode page = get("/ai/training/pending-review?limit=200"
          + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
      page.get("items").forEach(item -> ids.add(item.get("id").asText()));
      cursor = page.hasNonNull("next_cursor") ? page.get("next_cursor").asText() : null;
    } while (cursor != null);
    return ids;
  }

  @Test
  @Order(1)
  void correctsByKeyboardAndTheSamplesLeaveTheQueueAndShowInErrorsAndTheDashboard() throws Exception {
    // Arrange
    long reviewedBefore = get("/ai/training/metrics?hours=24").get("reviewed").asLong();
    long misclassifiedBefore = get("/ai/training/metrics?hours=24").get("misclassified").asLong();
    openReview();
    List<String> before = shownIds();
    assertThat(before).hasSizeGreaterThan(5);
    String confirmedId = selectedId();
    String detectedOfSecond;

    // Act: y confirms the first; o marks the second out of scope; u brings it back; 2 corrects it
    // to its second top intent (or out of scope again when there is none)
    keys("y");
    wait.until(d -> !java.util.Objects.equals(selectedId(), confirmedId));
    String secondId = selectedId();
    detectedOfSecond = browser.driver.findElement(By.id("sample-detected")).getText();
    keys("o");
    wait.until(d -> !java.util.Objects.equals(selectedId(), secondId));
    keys("u");
    wait.until(d -> secondId.equals(selectedId()));
    boolean hasSecondChoice = browser.driver.findElements(By.cssSelector(".choices li")).size() >= 2;
    String secondChoice = hasSecondChoice
        ? browser.driver.findElements(By.cssSelector(".choices button")).get(1).getAttribute("data-intent") : "out_of_scope";
    keys(hasSecondChoice ? "2" : "o");
    wait.until(d -> !java.util.Objects.equals(selectedId(), secondId));
    waitForOutboxEmpty();

    // Assert: gone from the route's queue and from a fresh page
    Set<String> pending = pendingIds();
    assertThat(pending).doesNotContain(confirmedId, secondId);
    openReview();
    assertThat(shownIds()).doesNotContain(confirmedId, secondId);
    String corrected = secondChoice.equals(detectedOfSecond) ? null : secondChoice;

    // Errors: the confusion of the second sample (when it was one) is there with its count
    open("errors");
    wait.until(d -> !d.findElements(By.id("confusions")).isEmpty());
    if (corrected != null) {
      WebElement row = browser.driver.findElement(By.cssSelector("tr[data-confusion='" + detectedOfSecond + "->" + corrected + "']"));
      assertThat(Integer.parseInt(row.findElements(By.tagName("td")).get(2).getText())).isGreaterThanOrEqualTo(1);
    }

    // Dashboard: two more reviewed, one more misclassified when it was one, and the pipeline state
    open("dashboard");
    wait.until(d -> !d.findElements(By.id("pipeline-state")).isEmpty());
    assertThat(browser.driver.findElement(By.cssSelector("#m-reviewed .value")).getText())
        .isEqualTo(String.format(java.util.Locale.US, "%,d", reviewedBefore + 2));
    assertThat(browser.driver.findElement(By.cssSelector("#m-misclassified .value")).getText())
        .isEqualTo(String.format(java.util.Locale.US, "%,d", misclassifiedBefore + (corrected == null ? 0 : 1)));
    assertThat(browser.driver.findElement(By.id("p-since")).getText()).contains("/ 1,000,000");
  }

  @Test
  @Order(2)
  void aCorrectionMadeOfflineIsKeptRetriedAndSentWhenTheNetworkComesBack() throws Exception {
    // Arrange
    openReview();
    String id = selectedId();
    ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
    offline.setOffline(true);

    // Act
    browser.driver.setNetworkConditions(offline);
    keys("y");
    wait.until(d -> d.findElement(By.id("outbox")).getText().contains("not sent yet"));
    String banner = browser.driver.findElement(By.id("outbox")).getText();
    assertThat(pendingIds()).contains(id);
    browser.driver.deleteNetworkConditions();
    waitForOutboxEmpty();

    // Assert
    assertThat(banner).contains("1 correction(s) not sent yet").contains("retrying");
    assertThat(pendingIds()).doesNotContain(id);
  }

  @Test
  @Order(3)
  void aNewAdminCorrectsAHundredSamplesWithoutTheMouse() throws Exception {
    // Arrange
    openReview();
    int before = pendingIds().size();
    assertThat(before).isGreaterThanOrEqualTo(100);

    // Act: 100 keys, alternating "the bot was right" and "the first top intent", none from a mouse
    for (int i = 0; i < 100; i++) {
      String current = selectedId();
      keys(i % 2 == 0 ? "y" : "1");
      wait.until(d -> !java.util.Objects.equals(selectedId(), current));
    }
    waitForOutboxEmpty();

    // Assert
    @SuppressWarnings("unchecked")
    List<Number> times = (List<Number>) browser.js("return window.__console.corrections");
    assertThat(times).hasSize(100);
    assertThat(pendingIds()).hasSize(before - 100);
    List<Double> sorted = times.stream().map(Number::doubleValue).sorted().toList();
    double p95 = sorted.get(94);
    System.out.printf("console: 100 keyboard corrections, confirmed in p50 %.0f ms, p95 %.0f ms, max %.0f ms%n",
        sorted.get(49), p95, sorted.get(99));
    // The 200 ms target is ConsoleBenchmarkIT's, at a million rows on a quiet machine; here, on
    // whatever else the machine runs, only a pathological slowness fails.
    assertThat(p95).as("p95 of keyboard correction to confirmation, ms").isLessThan(1000);
  }

  @Test
  @Order(4)
  void startsARunAndOpensItsReport() throws Exception {
    // Arrange
    open("training");
    int runsBefore = get("/ai/training/runs?limit=200").get("items").size();

    // Act: keyboard only: focus the button, Enter
    browser.driver.findElement(By.cssSelector("#start-run button[type=submit]")).sendKeys(Keys.ENTER);
    wait.until(d -> d.findElement(By.id("run-status")).getText().startsWith("Queued"));
    String runId = browser.driver.findElement(By.id("run-status")).getText().replaceAll(".*\\(([0-9a-f-]{36})\\).*", "$1");
    // The page follows the run by itself (every 3 s while one is queued or running).
    new WebDriverWait(browser.driver, Duration.ofSeconds(120)).until(
        d -> !d.findElements(By.cssSelector("tr[data-run='" + runId + "'] td.status-completed")).isEmpty());
    WebElement report = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[data-run='" + runId + "']")));
    report.sendKeys(Keys.ENTER);
    WebElement link = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("a.report-link")));
    String url = link.getAttribute("href");
    browser.driver.get(url);

    // Assert
    assertThat(get("/ai/training/runs?limit=200").get("items").size()).isEqualTo(runsBefore + 1);
    assertThat(browser.driver.getPageSource()).contains(runId.substring(0, 8)).containsIgnoringCase("<html");
  }

  @Test
  @Order(5)
  void rollsBackAModelAndPredictAnswersWithTheOlderVersion() throws Exception {
    // Arrange
    open("models");
    wait.until(d -> !d.findElements(By.id("models-table")).isEmpty());
    String serving = get("/ai/training/models").get("latest_version").asText();
    WebElement button = browser.driver.findElements(By.cssSelector("#models-table button[data-version]")).get(0);
    String older = button.getAttribute("data-version");
    assertThat(older).isNotEqualTo(serving);

    // Act
    button.sendKeys(Keys.ENTER);
    wait.until(ExpectedConditions.alertIsPresent()).sendKeys("browser test");
    browser.driver.switchTo().alert().accept();
    wait.until(d -> d.findElement(By.id("model-status")).getText().startsWith("Rolled back"));

    // Assert: predict serves it (it re-checks latest every second here), the roll back is recorded
    String answered = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      answered = get("/ai/training/predict?text=where%20is%20my%20order").get("model_version").asText();
      if (answered.equals(older)) {
        break;
      }
      Thread.sleep(300);
    }
    assertThat(answered).isEqualTo(older);
    String audit = browser.driver.findElement(By.id("rollbacks-table")).getText();
    assertThat(audit).contains("local").contains(serving).contains(older).contains("browser test");
    assertThat(get("/ai/training/models").get("latest_version").asText()).isEqualTo(older);
  }

  @Test
  @Order(6)
  void importsAFileAndShowsTheErrorOfItsBadLine() throws Exception {
    // Arrange
    Path file = work.resolve("import.jsonl");
    Files.writeString(file, String.join("\n",
        "{\"user_message\": \"Can I pay with a gift card?\", \"intent\": \"payment_methods\"}",
        "{\"user_message\": \"Do you ship to Iceland?\", \"intent\": \"shipping_info\"}",
        "{\"user_message\": \"no intent on this line\"}") + "\n");
    open("dataset");

    // Act
    browser.driver.findElement(By.id("import-file")).sendKeys(file.toString());
    browser.driver.findElement(By.cssSelector("#import-form button[type=submit]")).sendKeys(Keys.ENTER);
    WebElement errors = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("import-errors")));

    // Assert
    assertThat(browser.driver.findElement(By.id("import-summary")).getText())
        .contains("3 record(s) read").contains("1 refused");
    List<WebElement> cells = errors.findElements(By.cssSelector("tbody td"));
    assertThat(cells.get(0).getText()).isEqualTo("3");
    assertThat(cells.get(1).getText()).contains("intent");
  }

  @Test
  @Order(7)
  void everyPageHasNoSeriousAccessibilityViolationAndIsPhotographed() throws Exception {
    List<String> problems = new ArrayList<>();
    for (String page : List.of("review", "errors", "dashboard", "intents", "training", "models", "dataset")) {
      if (page.equals("review")) {
        openReview();
      } else {
        open(page);
      }
      Thread.sleep(300);
      browser.seriousViolations().forEach(v -> problems.add(page + ": " + v));
      browser.screenshot(docs.resolve(page + ".png"));
    }
    browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
    openReview();
    browser.seriousViolations().forEach(v -> problems.add("review (narrow): " + v));
    browser.screenshot(docs.resolve("review-narrow.png"));
    assertThat(problems).isEmpty();
  }

  @Test
  @Order(8)
  void servesTheConsoleWithAStrictContentSecurityPolicyAndNothingFromAnotherSite() throws Exception {
    HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(console).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-security-policy").orElseThrow())
        .contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
        .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
    assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    // Every file the console ships names no other site.
    Path folder = Path.of(System.getProperty("project.root", "..")).resolve("console");
    try (var files = Files.list(folder)) {
      for (Path f : files.toList()) {
        assertThat(Files.readString(f)).as(f.toString()).doesNotContainPattern("(src|href)=\"https?://")
            .doesNotContain("url(http", "@import");
      }
    }
    // Paths out of the folder are refused.
    HttpResponse<String> escape = HTTP.send(HttpRequest.newBuilder(URI.create(console + "..%2F..%2Ftemplate.yaml")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(escape.statusCode()).isEqualTo(404);
  }

  @Test
  @Order(9)
  void undoesACorrectionTheServerAlreadyRecordedAndTheSampleIsPendingAgain() throws Exception {
    // Arrange: a correction the server has recorded (the outbox is empty, the route's queue lacks it)
    openReview();
    String id = selectedId();
    assertThat(id).isNotNull();
    keys("y");
    wait.until(d -> !java.util.Objects.equals(selectedId(), id));
    waitForOutboxEmpty();
    assertThat(pendingIds()).doesNotContain(id);

    // Act
    keys("u");
    wait.until(d -> id.equals(selectedId()));

    // Assert: the page says so, and the route serves the sample as pending again
    String said = (String) browser.js("return document.getElementById('announcer').textContent");
    assertThat(said).startsWith("Undone:").contains("back in the queue");
    assertThat(pendingIds()).contains(id);
    openReview();
    assertThat(shownIds()).contains(id);
  }
}
