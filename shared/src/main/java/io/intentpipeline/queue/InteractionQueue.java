package io.intentpipeline.queue;

import java.util.List;

/** Where recorded interactions go: the interactions queue, one message body per interaction. */
public interface InteractionQueue {
  /**
   * Sends every body (each at most {@code InteractionMessages.MAX_BYTES}); when some still cannot
   * be sent after retries, throws {@link QueueUnavailableException} saying how many, never what.
   * Returns the number of send calls made.
   */
  int publish(List<String> bodies);
}
