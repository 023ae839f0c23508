package io.intentpipeline.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ./pipeline simulate} refuses bad usage before it starts anything. */
class SimulateCommandTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private PrintStream savedErr;
  private PrintStream savedOut;

  @BeforeEach
  void capture() {
    savedErr = System.err;
    savedOut = System.out;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(savedErr);
    System.setOut(savedOut);
  }

  private int simulate(String... more) {
    String[] args = new String[3 + more.length];
    args[0] = "simulate";
    args[1] = "--train=missing-train.csv";
    args[2] = "--test=missing-test.csv";
    System.arraycopy(more, 0, args, 3, more.length);
    return Main.execute(args);
  }

  @Test
  void refusesAnUnknownStrategyListingTheAcceptedOnes() {
    // Act
    int exit = simulate("--out=unused", "--strategy", "lowest_confidence", "--strategy", "random");

    // Assert
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown --strategy 'random'")
        .contains("accepted: lowest_confidence");
  }

  @Test
  void refusesAnUnknownLabelPolicyListingTheAcceptedOnes() {
    // Act
    int exit = simulate("--out=unused", "--label-policy", "gold");

    // Assert
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown --label-policy 'gold'").contains("accepted: seed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--seed-share=0", "--seed-share=1.5", "--seed-share=-0.1", "--review-share=0",
      "--review-share=1.01", "--review-share=NaN", "--days=0"})
  void refusesSharesOutsideZeroToOneAndNoDays(String option) {
    // Act
    int exit = simulate("--out=unused", option);

    // Assert
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(option.substring(0, option.indexOf('=')) + " must be");
  }

  @Test
  void refusesAMissingOut() {
    // Act
    int exit = simulate();

    // Assert
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--out");
  }

  @Test
  void helpDescribesTheContract() {
    // Act
    int exit = Main.execute("simulate", "--help");

    // Assert
    assertThat(exit).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--seed-share", "--review-share", "--strategy",
        "--label-policy", "--text-column", "--out", "(0, 1]");
  }
}
