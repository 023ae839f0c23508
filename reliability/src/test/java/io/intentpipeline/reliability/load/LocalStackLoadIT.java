package io.intentpipeline.reliability.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.local.bench.LoadBenchmark;
import io.intentpipeline.testing.Events;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The local stack ({@code ./pipeline serve}, in a JVM of its own) under concurrent clients: the
 * load benchmark with 10,000 interactions (the 100,000 of {@code ./pipeline benchmark load} take
 * minutes here). Every interaction is stored exactly once, every request is answered 202, and the
 * stack's heap after a full GC ends no more than 20 % above its level after the warm-up.
 * {@code -Dload.interactions=N} runs another size.
 */
class LocalStackLoadIT {
  @Test
  void everyInteractionIsStoredExactlyOnceAndTheHeapStaysFlat() throws Exception {
    int interactions = Integer.getInteger("load.interactions", 10_000);
    var options = new LoadBenchmark.Options(interactions, 16, 1_000, Duration.ofSeconds(5), "512m", 20261127L);
    LoadBenchmark.Result result = new LoadBenchmark(options, Events.projectRoot(),
        message -> System.out.println("[LocalStackLoadIT] " + message)).run();
    System.out.print(LoadBenchmark.report(result));

    assertThat(result.measuredRows()).as("rows of the measured interactions").isEqualTo(interactions);
    assertThat(result.distinctIds()).as("distinct ids among all rows").isEqualTo(result.rowsStored());
    assertThat(result.rowsStored()).as("rows: measured + warm-up").isEqualTo(interactions + 1_000L);
    assertThat(result.all().requests()).isEqualTo(result.requests());
    assertThat(result.heap()).as("heap samples").isNotEmpty();
    assertThat(result.heapGrowth()).as("heap growth, end over warm-up").isLessThanOrEqualTo(LoadBenchmark.FLAT_HEAP_TOLERANCE);
  }
}
