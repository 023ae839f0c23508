package io.intentpipeline.local.stack;

import io.intentpipeline.log.Log;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The template's schedules as timers. Each firing invokes its function asynchronously, as
 * EventBridge does, with the payload the target defines; a failed invocation is retried twice
 * after {@code retryDelays}, as Lambda retries asynchronous invocations.
 */
final class ScheduleTimers implements AutoCloseable {
  /** When the timers fire. */
  enum Mode {
    /** At the times of the schedule expressions (UTC). */
    REAL,
    /** Every schedule every {@code fastInterval}, the first time soon after start. */
    FAST,
    /** Never. */
    OFF
  }

  private final ScheduledExecutorService timer;
  private final ExecutorService invoker;
  private final Map<String, LocalFunction> functions;
  private final List<Duration> retryDelays;
  private final AtomicLong fired = new AtomicLong();
  private volatile boolean closed;

  ScheduleTimers(List<StackTemplate.ScheduleSpec> schedules, Map<String, LocalFunction> functions, Mode mode,
                 Duration fastInterval, List<Duration> retryDelays) {
    this.functions = functions;
    this.retryDelays = retryDelays;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "schedules"));
    this.invoker = Executors.newCachedThreadPool(r -> daemon(r, "schedule-invoke"));
    if (mode == Mode.OFF) {
      return;
    }
    int order = 0;
    for (StackTemplate.ScheduleSpec schedule : schedules) {
      if (!schedule.enabled()) {
        continue;
      }
      ScheduleExpression expression = ScheduleExpression.parse(String.valueOf(schedule.expression()));
      if (mode == Mode.FAST) {
        long first = 1000 + 200L * order++; // a little apart, in template order
        timer.scheduleWithFixedDelay(() -> fire(schedule, Instant.now()), first, fastInterval.toMillis(),
            TimeUnit.MILLISECONDS);
      } else {
        planNext(schedule, expression, Instant.now());
      }
    }
  }

  /** How many firings happened so far. */
  long fired() {
    return fired.get();
  }

  private void planNext(StackTemplate.ScheduleSpec schedule, ScheduleExpression expression, Instant after) {
    Optional<Instant> next = expression.nextAfter(after);
    if (next.isEmpty() || closed) {
      return;
    }
    long delay = Math.max(0, Duration.between(Instant.now(), next.get()).toMillis());
    timer.schedule(() -> {
      fire(schedule, next.get());
      planNext(schedule, expression, next.get());
    }, delay, TimeUnit.MILLISECONDS);
  }

  private void fire(StackTemplate.ScheduleSpec schedule, Instant time) {
    if (closed) {
      return;
    }
    fired.incrementAndGet();
    byte[] payload;
    try {
      payload = ScheduledEvents.payload(schedule, time).getBytes(StandardCharsets.UTF_8);
    } catch (TemplateException e) {
      Log.error("schedule_input_failed", "schedule", schedule.name(), "reason", e.getMessage());
      return;
    }
    Log.info("schedule_fired", "schedule", schedule.name(), "function", schedule.functionId(), "time", time.toString());
    invoker.execute(() -> invoke(schedule, payload, 0));
  }

  private void invoke(StackTemplate.ScheduleSpec schedule, byte[] payload, int attempt) {
    try {
      functions.get(schedule.functionId()).invoke(payload, "schedule");
    } catch (InvocationException e) {
      if (attempt < retryDelays.size() && !closed) {
        Log.warn("schedule_retry", "schedule", schedule.name(), "attempt", attempt + 2);
        timer.schedule(() -> invoker.execute(() -> invoke(schedule, payload, attempt + 1)),
            retryDelays.get(attempt).toMillis(), TimeUnit.MILLISECONDS);
      } else {
        Log.error("schedule_failed", "schedule", schedule.name(), "error_type", e.errorType());
      }
    }
  }

  /** Cancels the timers and lets invocations in progress finish. */
  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    invoker.shutdown();
    try {
      invoker.awaitTermination(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
