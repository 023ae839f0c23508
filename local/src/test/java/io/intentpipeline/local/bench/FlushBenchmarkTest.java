package io.intentpipeline.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.interaction.Interaction;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlushBenchmarkTest {
  @Test
  void copyRowsEscapeTheTextFormatAndMarkNulls() {
    Interaction i = new Interaction("id-1", "tab\there\nnew \\ line", "greeting", 7, null, true, null, null, null, null,
        null, List.of(), Instant.parse("2026-11-27T00:00:00Z"), "live");
    StringBuilder row = new StringBuilder();

    FlushBenchmark.appendRow(row, i);

    assertThat(row.toString()).isEqualTo(
        "id-1\ttab\\there\\nnew \\\\ line\tgreeting\t7\t\\N\tt\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t2026-11-27T00:00:00Z\tlive\n");
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(FlushBenchmark.median(new double[] {5, 1, 3})).isEqualTo(3);
    assertThat(FlushBenchmark.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
  }

  @Test
  void generatedRowsAreValidAndReproducible() {
    var first = FlushBenchmark.interactions(50, 7);
    var again = FlushBenchmark.interactions(50, 7);

    assertThat(first).isEqualTo(again);
    for (Interaction i : first) {
      String body = io.intentpipeline.interaction.InteractionMessages.encode(i);
      assertThat(io.intentpipeline.interaction.InteractionMessages.decode(body,
          io.intentpipeline.interaction.InteractionReader.system())).isEqualTo(i);
    }
  }
}
