package io.intentpipeline.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.http.Page;
import io.intentpipeline.http.PageRequest;
import io.intentpipeline.log.Log;
import io.intentpipeline.storage.Database;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Starts training runs, one at a time whatever triggers them, and lists them.
 *
 * <p>A trigger takes the {@link TrainingLock}. When another session holds it, the trigger is
 * skipped ("a run is in progress") and nothing trains. When it gets it: 'running' rows left by
 * runs that died are marked failed; a queued request that a run started after it has already
 * served (same type and filters for API requests, any completed run for the flush's automatic
 * request) is skipped, so a duplicate or late delivery never trains twice; otherwise the
 * {@link TrainingPipeline} runs. Skipped API requests are recorded (status {@code skipped}), since
 * their caller holds their run id; other skipped triggers are logged.
 */
public final class TrainingService {
  /** Why a trigger that met a run in progress did not train. */
  public static final String IN_PROGRESS = "a run is in progress";

  private final Database database;
  private final TrainingRuns runs;
  private final TrainingPipeline pipeline;
  private final Clock clock;

  /** Runs {@code pipeline}, serialised through {@code database}'s advisory lock. */
  public TrainingService(Database database, TrainingPipeline pipeline, Clock clock) {
    this.database = database;
    this.runs = new TrainingRuns(database);
    this.pipeline = pipeline;
    this.clock = clock;
  }

  /** {@code options} resolved with the configured defaults, for {@code trigger}. */
  public RunRequest request(RunOptions options, Trigger trigger, Optional<UUID> runId, Optional<Instant> requestedAt) {
    return RunRequest.of(options, trigger, pipeline.settings(), clock.instant(), runId, requestedAt);
  }

  /**
   * Runs {@code request} unless a run is in progress or its work is done already; the outcome says
   * which. Throws SQLException only when the database cannot be reached to lock or record.
   */
  public RunOutcome trigger(RunRequest request, TrainingPipeline.TimeBudget budget) throws SQLException {
    ObjectNode parameters = pipeline.parameters(request);
    Optional<TrainingLock> lock = TrainingLock.tryAcquire(database);
    if (lock.isEmpty()) {
      Optional<TrainingRuns.RunRef> running = runs.running();
      return skip(request, parameters, IN_PROGRESS, running.map(TrainingRuns.RunRef::id));
    }
    try (TrainingLock held = lock.get()) {
      List<UUID> stale = runs.failStale(request.runId());
      if (!stale.isEmpty()) {
        Log.warn("stale_runs_failed", "runs", stale.size(), "run_ids", stale.toString());
      }
      if (request.trigger() == Trigger.API && runs.exists(request.runId())) {
        Log.info("training_skipped", "run_id", request.runId(), "reason", "already recorded");
        return RunOutcome.skipped(request, "run " + request.runId() + " was handled already", Optional.empty());
      }
      if (request.requestedAt().isPresent()) {
        Optional<TrainingRuns.RunRef> served = request.trigger() == Trigger.API
            ? runs.completedSince(request.requestedAt().get(), Optional.of(request.runType()),
                Optional.of(Json.write(filters(parameters))))
            : runs.completedSince(request.requestedAt().get(), Optional.empty(), Optional.empty());
        if (served.isPresent()) {
          return skip(request, parameters, "already done: run " + served.get().id() + " started at "
              + served.get().startedAt() + ", after this request, and completed", Optional.of(served.get().id()));
        }
      }
      Instant startedAt = clock.instant();
      try {
        runs.insertRunning(request, Json.write(parameters), startedAt);
      } catch (SQLException e) {
        if ("23505".equals(e.getSQLState())) {
          // The one-running-row index refused it: a run is recorded as running although we hold the lock.
          return skip(request, parameters, IN_PROGRESS, runs.running().map(TrainingRuns.RunRef::id));
        }
        throw e;
      }
      Log.info("training_run_started", "run_id", request.runId(), "run_type", request.runType().dbName(),
          "triggered_by", request.trigger().dbName());
      return pipeline.run(request, held, budget, startedAt, parameters);
    }
  }

  /** Whether a run holds the training lock now. */
  public boolean runInProgress() throws SQLException {
    return database.run(TrainingLock::isHeld);
  }

  /** The run that recorded its start and has not ended, if any. */
  public Optional<TrainingRuns.RunRef> runningRun() throws SQLException {
    return runs.running();
  }

  /** Runs newest first, a page at a time. */
  public Page<JsonNode> runs(TrainingRuns.Filter filter, PageRequest page) throws SQLException {
    return runs.list(filter, page);
  }

  private RunOutcome skip(RunRequest request, ObjectNode parameters, String reason, Optional<UUID> other)
      throws SQLException {
    if (request.trigger() == Trigger.API) {
      runs.recordSkipped(request, Json.write(parameters), "skipped: " + reason
          + other.filter(id -> IN_PROGRESS.equals(reason)).map(id -> " (run " + id + ")").orElse(""));
    }
    Log.info("training_skipped", "run_id", request.runId(), "triggered_by", request.trigger().dbName(),
        "reason", reason, "other_run_id", other.map(UUID::toString).orElse(null));
    return RunOutcome.skipped(request, reason, other);
  }

  /** The filters that make two runs of one type do the same work. */
  private static ObjectNode filters(ObjectNode parameters) {
    ObjectNode f = Json.MAPPER.createObjectNode();
    f.set("min_confidence", parameters.get("min_confidence"));
    f.set("only_reviewed", parameters.get("only_reviewed"));
    f.set("limit", parameters.get("limit"));
    return f;
  }
}
