package io.intentpipeline.testing;

import io.intentpipeline.queue.InteractionQueue;
import io.intentpipeline.queue.InteractionQueueContract;
import java.util.List;

/** The in-memory twin keeps the interactions queue's contract (the same tests as {@code InteractionPublisherIT}). */
class InMemoryInteractionQueueTest implements InteractionQueueContract {
  private final InMemoryInteractionQueue queue = new InMemoryInteractionQueue();

  @Override
  public InteractionQueue queue() {
    return queue;
  }

  @Override
  public InteractionQueue unavailableQueue() {
    InMemoryInteractionQueue down = new InMemoryInteractionQueue();
    down.unavailable(true);
    return down;
  }

  @Override
  public List<String> drainQueue() {
    return queue.drain();
  }
}
