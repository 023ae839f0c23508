package io.intentpipeline.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./pipeline demo} from start to end, within its two minutes. */
class DemoCommandIT {
  private static final Pattern REPORT = Pattern.compile("HTML report of the last run: (\\S+)");

  @Test
  void runsTheWholeLoopOnAnEmptyStackWithinTwoMinutes(@TempDir Path dataDir) throws Exception {
    // Arrange: a database name of the tests' kind (dropped afterwards), an empty data folder.
    try (FreshDatabase database = PostgresServer.shared().createDatabase("demo")) {
      var out = new ByteArrayOutputStream();
      PrintStream original = System.out;
      int exit;
      long start = System.nanoTime();

      // Act
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      try {
        exit = Main.execute("demo", "--data-dir", dataDir.toString(), "--database-name", database.name());
      } finally {
        System.setOut(original);
      }
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;

      // Assert
      String text = out.toString(StandardCharsets.UTF_8);
      assertThat(exit).as(text).isZero();
      assertThat(seconds).as("the demo's duration").isLessThan(120);
      assertThat(text).contains("[1] Sample dataset: 748 support messages", "17 intents", "English and Spanish")
          .contains("[2] Live traffic: 748 interactions posted").contains("[3] Flush: 748 interactions stored")
          .contains("[4] Training (first training run").contains("deployed as intent_classifier_")
          .contains("[5] Predictions").contains("-> order_status").contains("-> account_login")
          .contains("[6] Review:").contains("[7] Training (second training run");
      Matcher report = REPORT.matcher(text);
      assertThat(report.find()).as(text).isTrue();
      assertThat(Files.readString(Path.of(report.group(1)))).contains("<html");
      assertThat(dataDir.resolve("functions.log")).isNotEmptyFile();
    }
  }

  @Test
  void refusesADataFolderItDidNotMake(@TempDir Path dir) throws Exception {
    // Arrange
    Files.writeString(dir.resolve("precious.txt"), "keep me");
    var err = new ByteArrayOutputStream();
    PrintStream original = System.err;

    // Act
    int exit;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      exit = Main.execute("demo", "--data-dir", dir.toString());
    } finally {
      System.setErr(original);
    }

    // Assert
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("is not empty and was not made by the demo");
    assertThat(dir.resolve("precious.txt")).hasContent("keep me");
  }
}
