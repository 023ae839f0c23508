package io.intentpipeline.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.lambda.InvocationInput;
import io.intentpipeline.log.Log;
import io.intentpipeline.metrics.MetricsService;
import io.intentpipeline.metrics.Snapshot;
import io.intentpipeline.metrics.SnapshotRequest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;

/**
 * An EventBridge schedule (hourly, daily, weekly, monthly) whose input carries
 * {@code {"period_type": ...}} as the event's {@code detail}, or a direct invocation with that
 * input: freezes the last complete period, then folds the dataset counters.
 */
final class ScheduledSnapshot {
  private final Snapshots snapshots;
  private final MetricsService metrics;
  private final Clock clock;

  ScheduledSnapshot(Snapshots snapshots, MetricsService metrics, Clock clock) {
    this.snapshots = snapshots;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * A schedule's snapshot. The period is the one before the time the schedule fired (its event
   * time), not before the moment this runs, so a delayed or retried invocation still freezes the
   * period it was meant for.
   */
  Snapshot scheduled(JsonNode detail, String eventTime) {
    return take(detail, "detail.", SnapshotRequest.firedAt(eventTime, clock.instant()));
  }

  /** A direct invocation's snapshot: the period before now unless the input names a time. */
  Snapshot invoked(JsonNode payload) {
    return take(payload, "", clock.instant());
  }

  /** Bad input fails the invocation with a message naming the field. */
  private Snapshot take(JsonNode input, String prefix, Instant firedAt) {
    SnapshotRequest request = InvocationInput.read("snapshot_rejected",
        () -> SnapshotRequest.fromJson(input, prefix, clock.instant()));
    try {
      Snapshot snapshot = snapshots.take(request.orAt(firedAt), "schedule");
      // The schedules are the function's housekeeping moment: fold the dataset counters' deltas.
      long rows = metrics.compactCounts(0);
      Log.info("counts_compacted", "rows", rows);
      return snapshot;
    } catch (SQLException e) {
      throw new IllegalStateException("Snapshot failed with SQLSTATE " + e.getSQLState(), e);
    }
  }
}
