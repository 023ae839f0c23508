package io.intentpipeline.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code ./pipeline simulate} refuses bad usage before it starts anything. */
class SimulateCommandTest {
  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  /** The tool on {@code args}, its output and errors kept by picocli's own writers. */
  private int execute(String... args) {
    return new CommandLine(new Main()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
  }

  private int simulate(String... more) {
    String[] args = new String[3 + more.length];
    args[0] = "simulate";
    args[1] = "--train=missing-train.csv";
    args[2] = "--test=missing-test.csv";
    System.arraycopy(more, 0, args, 3, more.length);
    return execute(args);
  }

  @Test
  void refusesAnUnknownStrategyListingTheAcceptedOnes() {
    // Act
    int exit = simulate("--out=unused", "--strategy", "lowest_confidence", "--strategy", "random");

    // Assert
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("unknown --strategy 'random'")
        .contains("accepted: lowest_confidence, smallest_margin, diverse");
  }

  @Test
  void acceptsEachOrderOfTheReviewQueueAsAStrategy() {
    // Act: usage passes; the missing corpus is what stops it (reported on the process's stderr)
    var stderr = new java.io.ByteArrayOutputStream();
    var original = System.err;
    int exit;
    System.setErr(new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      exit = simulate("--out=unused", "--strategy", "lowest_confidence", "--strategy", "smallest_margin",
          "--strategy", "diverse");
    } finally {
      System.setErr(original);
    }

    // Assert
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).doesNotContain("--strategy");
    assertThat(stderr.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("missing-train.csv: no such file");
  }

  @Test
  void refusesAnUnknownLabelPolicyListingTheAcceptedOnes() {
    // Act
    int exit = simulate("--out=unused", "--label-policy", "gold");

    // Assert
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("unknown --label-policy 'gold'").contains("accepted: seed, human_only, confident, trusted");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--seed-share=0", "--seed-share=1.5", "--seed-share=-0.1", "--review-share=0",
      "--review-share=1.01", "--review-share=NaN", "--days=0", "--audit-share=-0.01", "--audit-share=1.5"})
  void refusesSharesOutsideZeroToOneAndNoDays(String option) {
    // Act
    int exit = simulate("--out=unused", option);

    // Assert
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains(option.substring(0, option.indexOf('=')) + " must be");
  }

  @Test
  void refusesAMissingOut() {
    // Act
    int exit = simulate();

    // Assert
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--out");
  }

  @Test
  void helpDescribesTheContract() {
    // Act
    int exit = execute("simulate", "--help");

    // Assert
    assertThat(exit).isZero();
    assertThat(out.toString()).contains("--seed-share", "--review-share", "--strategy",
        "--label-policy", "--text-column", "--out", "(0, 1]", "smallest_margin", "diverse");
  }
}
