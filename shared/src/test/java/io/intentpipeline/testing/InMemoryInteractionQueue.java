package io.intentpipeline.testing;

import io.intentpipeline.queue.InteractionPublisher;
import io.intentpipeline.queue.InteractionQueue;
import io.intentpipeline.queue.QueueUnavailableException;
import java.util.ArrayList;
import java.util.List;

/**
 * The twin of {@link InteractionPublisher}: the queue is a list in memory, and it can be told to be
 * {@link #unavailable(boolean) unavailable}, as SQS is when retries run out. {@code
 * InteractionQueueContract} keeps the two alike.
 */
public final class InMemoryInteractionQueue implements InteractionQueue {
  /** Most entries in one SendMessageBatch call, as the real publisher groups them. */
  private static final int BATCH = 10;

  private final List<String> queued = new ArrayList<>();
  private volatile boolean unavailable;

  /** From now on every publish fails ({@code true}) as when SQS stays unreachable, or works again. */
  public void unavailable(boolean unavailable) {
    this.unavailable = unavailable;
  }

  /** Counts one call per ten bodies (the 256 KiB limit per call is not modelled). */
  @Override
  public synchronized int publish(List<String> bodies) {
    if (unavailable) {
      throw new QueueUnavailableException(bodies.size() + " of " + bodies.size()
          + " messages could not be sent to the queue (the in-memory queue is unavailable)", null);
    }
    queued.addAll(bodies);
    return (bodies.size() + BATCH - 1) / BATCH;
  }

  /** The bodies now in the queue, oldest first, removed from it. */
  public synchronized List<String> drain() {
    List<String> bodies = List.copyOf(queued);
    queued.clear();
    return bodies;
  }
}
