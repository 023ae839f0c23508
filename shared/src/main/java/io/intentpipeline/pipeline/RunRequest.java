package io.intentpipeline.pipeline;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;

/**
 * One run to do, every value resolved.
 *
 * @param runId the id the run gets in {@code ai_training_runs} (an API request's is given out before it runs)
 * @param runName a name for people
 * @param runType what it trains on
 * @param trigger what asked for it
 * @param minConfidence {@code get_training_dataset}'s {@code p_min_confidence}
 * @param onlyReviewed {@code get_training_dataset}'s {@code p_only_reviewed}
 * @param limit {@code get_training_dataset}'s {@code p_limit}
 * @param labelPolicy which unreviewed rows it trains on
 * @param answerTargetAccuracy the answered accuracy its answer threshold is chosen for (docs/ANSWER_ACTIONS.md)
 * @param requestedAt when a queued request was made: a run that started after it, and completed, has
 *     already done its work (empty for schedule and direct triggers, which always try to run)
 */
public record RunRequest(UUID runId, String runName, RunType runType, Trigger trigger, int minConfidence,
    boolean onlyReviewed, int limit, LabelPolicy labelPolicy, double answerTargetAccuracy,
    Optional<Instant> requestedAt) {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

  /** Resolves {@code options} with the defaults of {@code settings}; the default name is {@code training_<now>}. */
  public static RunRequest of(RunOptions options, Trigger trigger, TrainingSettings settings, Instant now,
      Optional<UUID> runId, Optional<Instant> requestedAt) {
    return new RunRequest(runId.orElseGet(UUID::randomUUID),
        options.runName().orElseGet(() -> defaultName(now)),
        options.runType(), trigger,
        options.minConfidence().orElse(settings.minConfidence()),
        options.onlyReviewed(),
        options.limit().orElse(settings.datasetLimit()),
        options.labelPolicy().orElse(settings.labelPolicy()),
        options.answerTargetAccuracy().orElse(settings.answerTargetAccuracy()),
        requestedAt);
  }

  /** The seed's run name for a run started at {@code at}: {@code training_YYYYMMDD_HHMMSS} (UTC). */
  public static String defaultName(Instant at) {
    return "training_" + STAMP.format(at);
  }
}
