package io.intentpipeline.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.interaction.InteractionMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InteractionPublisherTest {
  @Test
  void chunksHoldAtMostTenEntries() {
    List<String> bodies = IntStream.range(0, 25).mapToObj(i -> "{\"n\":" + i + "}").toList();

    var chunks = InteractionPublisher.chunks(IntStream.range(0, 25).boxed().toList(), bodies);

    assertThat(chunks).extracting(List::size).containsExactly(10, 10, 5);
    assertThat(chunks.stream().flatMap(List::stream)).containsExactlyElementsOf(IntStream.range(0, 25).boxed().toList());
  }

  @Test
  void chunksStayWithinTheSqsBatchByteLimit() {
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      bodies.add("x".repeat(100_000));
    }

    var chunks = InteractionPublisher.chunks(IntStream.range(0, 7).boxed().toList(), bodies);

    assertThat(chunks).extracting(List::size).containsExactly(2, 2, 2, 1);
    for (var chunk : chunks) {
      int bytes = chunk.stream().mapToInt(i -> InteractionMessages.utf8Length(bodies.get(i))).sum();
      assertThat(bytes).isLessThanOrEqualTo(InteractionMessages.MAX_BYTES);
    }
  }
}
