package io.intentpipeline.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.local.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The benchmark command runs end to end on a tiny workload and prints its table. */
class FlushBenchmarkCommandIT {
  private static String run(String... args) {
    PrintStream original = System.out;
    var captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = Main.execute(args);
    } finally {
      System.setOut(original);
    }
    return exit + "\n" + captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsFlushAndCopyRatesPerBatchSize() {
    String output = run("benchmark", "flush", "--batches", "10,1000", "--rows", "1000", "--trials", "1", "--warmup", "0");

    assertThat(output).startsWith("0\n").contains("flush rows/s").contains("COPY rows/s")
        .containsPattern("\\n\\s+10\\s+\\d+\\s+\\d+\\s+\\d+\\.\\d\\d\\n")
        .containsPattern("\\n\\s+1000\\s+\\d+\\s+\\d+\\s+\\d+\\.\\d\\d\\n")
        .contains("target at batch 1000")
        .doesNotContain("batch_flushed");
  }

  @Test
  void badOptionsAreAUsageError() {
    assertThat(run("benchmark", "flush", "--batches", "0")).startsWith("2\n");
    assertThat(run("benchmark", "flush", "--rows", "ten")).startsWith("2\n");
  }
}
