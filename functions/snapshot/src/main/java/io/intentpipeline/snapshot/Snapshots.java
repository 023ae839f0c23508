package io.intentpipeline.snapshot;

import io.intentpipeline.log.Log;
import io.intentpipeline.metrics.MetricsService;
import io.intentpipeline.metrics.Snapshot;
import io.intentpipeline.metrics.SnapshotRequest;
import java.sql.SQLException;
import java.time.Clock;

/** Freezes a period and logs it, whoever asked (the API or a schedule). */
final class Snapshots {
  private final MetricsService metrics;
  private final Clock clock;

  Snapshots(MetricsService metrics, Clock clock) {
    this.metrics = metrics;
    this.clock = clock;
  }

  /** The snapshot {@code request} asks for (its period before now when it names no time). */
  Snapshot take(SnapshotRequest request, String trigger) throws SQLException {
    Snapshot snapshot = metrics.snapshot(request.periodType(), request.at().orElseGet(clock::instant));
    Log.info("snapshot_taken", "trigger", trigger, "period_type", snapshot.periodType(),
        "period_start", snapshot.periodStart().toString(), "total_messages", snapshot.totalMessages(),
        "alerts", snapshot.alerts().size());
    return snapshot;
  }
}
