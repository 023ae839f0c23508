package io.intentpipeline.ingest;

import io.intentpipeline.log.Log;
import io.intentpipeline.queue.QueueUnavailableException;
import io.intentpipeline.queue.RetrainQueue;
import io.intentpipeline.storage.RetrainState;
import java.sql.SQLException;
import java.util.Optional;

/**
 * After new samples were stored: when at least {@code threshold} arrived since the last
 * completed training run, sends one message to the retrain queue. The database decides who
 * sends (see {@link RetrainState}), so concurrent flushes send one message, not one each.
 */
public final class RetrainTrigger {
  private final RetrainState state;
  private final RetrainQueue queue;
  private final int threshold;
  private final int expirySeconds;

  /** Requests a retrain after {@code threshold} new samples; an unanswered request expires after {@code expirySeconds}. */
  public RetrainTrigger(RetrainState state, RetrainQueue queue, int threshold, int expirySeconds) {
    this.state = state;
    this.queue = queue;
    this.threshold = threshold;
    this.expirySeconds = expirySeconds;
  }

  /**
   * Checks and, when due, requests a retrain; true when this call sent the request. Never
   * throws: the samples are stored already, and the next flush checks again.
   */
  public boolean check() {
    Optional<RetrainState.Claim> claim;
    try {
      claim = state.claim(threshold, expirySeconds);
    } catch (SQLException e) {
      Log.warn("retrain_check_failed", "sqlstate", e.getSQLState());
      return false;
    }
    if (claim.isEmpty()) {
      return false;
    }
    try {
      queue.request(claim.get().requestedAt(), claim.get().newSamples(), threshold);
      Log.info("retrain_requested", "new_samples", claim.get().newSamples(), "threshold", threshold);
      return true;
    } catch (QueueUnavailableException e) {
      Log.error("retrain_request_failed", e);
      try {
        state.release(claim.get());
      } catch (SQLException releaseFailure) {
        Log.warn("retrain_release_failed", "sqlstate", releaseFailure.getSQLState());
      }
      return false;
    }
  }
}
