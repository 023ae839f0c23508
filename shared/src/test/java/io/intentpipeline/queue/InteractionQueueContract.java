package io.intentpipeline.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What the record function relies on from the interactions queue, written once and run against
 * {@link InteractionPublisher} on the embedded SQS server ({@code InteractionPublisherIT}) and
 * against its in-memory twin ({@code InMemoryInteractionQueueTest}).
 */
public interface InteractionQueueContract {
  /** A queue that sends to a queue holding nothing. */
  InteractionQueue queue();

  /** A queue whose every send fails, as when SQS stays unreachable. */
  InteractionQueue unavailableQueue();

  /** The bodies now in the queue {@link #queue()} sends to, removed from it. */
  List<String> drainQueue();

  @Test
  default void everyBodyPublishedIsQueuedOnce() {
    List<String> bodies = IntStream.range(0, 25).mapToObj(i -> "{\"contract\":" + i + "}").toList();

    queue().publish(bodies);

    assertThat(drainQueue()).containsExactlyInAnyOrderElementsOf(bodies);
  }

  @Test
  default void anEmptyPublishQueuesNothing() {
    queue().publish(List.of());

    assertThat(drainQueue()).isEmpty();
  }

  @Test
  default void anUnavailableQueueSaysHowManyWereNotSentButNeverWhat() {
    List<String> bodies = List.of("{\"secret\":\"card 4111\"}", "{\"secret\":\"second\"}");

    assertThatThrownBy(() -> unavailableQueue().publish(bodies))
        .isInstanceOf(QueueUnavailableException.class)
        .hasMessageContaining("2 of 2 messages")
        .hasMessageNotContaining("card 4111");
    assertThat(drainQueue()).isEmpty();
  }
}
