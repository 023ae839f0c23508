package io.intentpipeline.review;

import io.intentpipeline.storage.SqlQuery;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The statements of human review. Only the filters a caller gives appear in a statement, so each
 * combination gets a plan made for it; every value is a bound parameter.
 */
public final class ReviewQueries {
  /**
   * Samples waiting for review: predictions (they have a confidence) no human reviewed, neither
   * approved nor rejected. Must stay textually equal to the predicate of the partial index
   * {@code ai_training_data_review_queue_idx} (db/V4), or the planner cannot use it.
   */
  static final String NEEDS_REVIEW = "NOT corrected_by_human"
      + " AND dataset_status IN ('pending', 'used_in_training')"
      + " AND confidence_score IS NOT NULL";

  /** The review order: least confident first, then the smallest margin (unknown = 1), then id. */
  static final String REVIEW_ORDER = "confidence_score, COALESCE(intent_margin, 1), id";

  /** Where a page of the review queue resumes: after this confidence, margin key and id. */
  public record PendingKey(int confidence, float margin, UUID id) {}

  /** Where a page of errors resumes: after (older than) this time and id. */
  public record ErrorKey(Instant occurredAt, UUID id) {}

  private ReviewQueries() {}

  /** At most {@code limit} samples needing review matching {@code filter}, in review order, after {@code after}. */
  public static SqlQuery pendingReview(PendingReviewFilter filter, Optional<PendingKey> after, int limit) {
    var q = pending(filter);
    after.ifPresent(key -> q.append(" AND (" + REVIEW_ORDER + ") > (?, ?, ?)", key.confidence(), key.margin(), key.id()));
    return q.append(" ORDER BY " + REVIEW_ORDER + " LIMIT ?", limit).build();
  }

  /**
   * At most {@code limit} audited samples needing review matching {@code filter} (whatever its
   * reason), in id order, after {@code after}. Ids are random ({@code gen_random_uuid()}), so this
   * order owes nothing to a sample's content: whatever part of the audit sample reviewers get
   * through is itself a random sample, and the live accuracy stays unbiased. Read from
   * {@code ai_training_data_audit_queue_idx} (db/V8).
   */
  public static SqlQuery auditQueue(PendingReviewFilter filter, Optional<UUID> after, int limit) {
    var q = pending(filter.withReason(ReviewReason.AUDIT));
    after.ifPresent(id -> q.append(" AND id > ?", id));
    return q.append(" ORDER BY id LIMIT ?", limit).build();
  }

  /** The samples needing review matching {@code filter}, unordered. */
  private static SqlQuery.Builder pending(PendingReviewFilter filter) {
    var q = SqlQuery.builder().append("SELECT id, interaction_id, user_message, detected_intent, confidence_score,"
        + " intent_margin, top_intents::text, ai_response, escalated, response_source, category, source,"
        + " dataset_status, occurred_at, review_reason, COALESCE(intent_margin, 1) AS margin_key"
        + " FROM ai_training_data WHERE " + NEEDS_REVIEW);
    filter.reason().ifPresent(reason -> q.append(" AND " + reason.condition()));
    filter.intent().ifPresent(intent -> q.append(" AND detected_intent = ?", intent));
    filter.from().ifPresent(from -> q.append(" AND occurred_at >= ?", from));
    filter.to().ifPresent(to -> q.append(" AND occurred_at < ?", to));
    filter.minConfidence().ifPresent(min -> q.append(" AND confidence_score >= ?", min));
    filter.maxConfidence().ifPresent(max -> q.append(" AND confidence_score <= ?", max));
    return q;
  }

  /** At most {@code limit} classification errors matching {@code filter}, newest first, after {@code after}. */
  public static SqlQuery errors(ErrorFilter filter, Optional<ErrorKey> after, int limit) {
    var q = SqlQuery.builder().append("SELECT id, interaction_id, user_message, detected_intent, correct_intent,"
        + " confidence_score, ai_response, correct_response, escalated, should_escalate, corrected_by,"
        + " corrected_at, occurred_at"
        + " FROM ai_training_data WHERE intent_correct = FALSE");
    filter.intent().ifPresent(intent -> q.append(" AND (detected_intent = ? OR correct_intent = ?)", intent, intent));
    filter.detectedIntent().ifPresent(intent -> q.append(" AND detected_intent = ?", intent));
    filter.correctIntent().ifPresent(intent -> q.append(" AND correct_intent = ?", intent));
    filter.from().ifPresent(from -> q.append(" AND occurred_at >= ?", from));
    filter.to().ifPresent(to -> q.append(" AND occurred_at < ?", to));
    after.ifPresent(key -> q.append(" AND (occurred_at, id) < (?, ?)", key.occurredAt(), key.id()));
    return q.append(" ORDER BY occurred_at DESC, id DESC LIMIT ?", limit).build();
  }

  /** Records one correction through the SQL function of the schema. */
  static SqlQuery submitCorrection(CorrectionRequest request) {
    return SqlQuery.builder().append("SELECT submit_intent_correction(?::uuid, ?::text, ?::text, ?::boolean, ?::text, ?::uuid)::text",
        request.trainingDataId(), request.correctIntent(), request.correctResponse().orElse(null),
        request.shouldEscalate().orElse(null), request.notes().orElse(null), request.correctorId().orElse(null))
        .build();
  }
}
