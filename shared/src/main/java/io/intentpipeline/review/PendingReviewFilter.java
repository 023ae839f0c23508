package io.intentpipeline.review;

import io.intentpipeline.http.QueryParams;
import io.intentpipeline.validation.InvalidRequestException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Which unreviewed samples a reviewer wants: by detected intent, by when the interaction happened
 * ({@code from} inclusive, {@code to} exclusive), by confidence (0-100, both ends inclusive) and
 * by why they are in the queue ({@code reason}; both, audited first, when absent). Each is on what
 * the bot answered ({@code detected_intent}, {@code confidence_score}), never on the re-scored
 * figures, which only the order ({@link ReviewOrder}) reads.
 */
public record PendingReviewFilter(
    Optional<String> intent,
    Optional<Instant> from,
    Optional<Instant> to,
    Optional<Integer> minConfidence,
    Optional<Integer> maxConfidence,
    Optional<ReviewReason> reason) {

  /** The query parameters of {@code GET /ai/training/pending-review}, its {@code order} included. */
  public static final Set<String> PARAMETERS =
      Set.of("intent", "from", "to", "min_confidence", "max_confidence", "reason", "limit", "cursor",
          ReviewOrder.PARAMETER);

  public PendingReviewFilter {
    if (from.isPresent() && to.isPresent() && !to.get().isAfter(from.get())) {
      throw new InvalidRequestException("to", "to must be after from");
    }
    if (minConfidence.isPresent() && maxConfidence.isPresent() && maxConfidence.get() < minConfidence.get()) {
      throw new InvalidRequestException("max_confidence", "max_confidence must be at least min_confidence");
    }
  }

  /** The same filters on samples of every reason. */
  public PendingReviewFilter(Optional<String> intent, Optional<Instant> from, Optional<Instant> to,
                             Optional<Integer> minConfidence, Optional<Integer> maxConfidence) {
    this(intent, from, to, minConfidence, maxConfidence, Optional.empty());
  }

  /** No filter: every sample waiting for review. */
  public static PendingReviewFilter none() {
    return new PendingReviewFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** This filter on the samples of {@code value} only. */
  public PendingReviewFilter withReason(ReviewReason value) {
    return new PendingReviewFilter(intent, from, to, minConfidence, maxConfidence, Optional.of(value));
  }

  /** Reads the filter from the query string; bad values are 400s naming the parameter. */
  public static PendingReviewFilter from(QueryParams query) {
    return new PendingReviewFilter(
        query.intent("intent"),
        query.instant("from"),
        query.instant("to"),
        query.optionalInteger("min_confidence", 0, 100),
        query.optionalInteger("max_confidence", 0, 100),
        query.string("reason").map(value -> ReviewReason.parse("reason", value)));
  }

  /** Identifies this listing and filter, so a cursor is only accepted where it was issued. */
  String scope() {
    return "pending-review|" + intent.orElse("") + "|" + from.map(Instant::toString).orElse("") + "|"
        + to.map(Instant::toString).orElse("") + "|" + minConfidence.map(String::valueOf).orElse("") + "|"
        + maxConfidence.map(String::valueOf).orElse("") + "|" + reason.map(ReviewReason::key).orElse("");
  }
}
