package io.intentpipeline.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./pipeline benchmark redaction} on a small corpus: it prints every table and meets the recall target. */
class RedactionBenchmarkTest {
  @Test
  void printsTheScoresTheTimesAndRecordsCost() {
    // Arrange
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;

    // Act
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      exit = new CommandLine(new RedactionBenchmark()).execute("--messages", "600", "--rounds", "2");
    } finally {
      System.setOut(original);
    }

    // Assert
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(printed).isZero();
    assertThat(printed).contains("hand-written scanner (Redactor", "one regular expression per kind",
        "| hand-written scanner |", "| regular expression per kind |", "| on (default) |", "| off |",
        "added at p99:", "target recall and precision >= 0.99 for each kind: met");
  }
}
