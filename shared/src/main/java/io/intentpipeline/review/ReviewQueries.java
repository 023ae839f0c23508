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
   * approved nor rejected. Must stay textually equal to the predicate of the partial indexes of
   * the queue ({@code ai_training_data_queue_confidence_idx}, {@code _margin_idx}, db/V9) and to
   * the queue part of {@code ai_training_data_audit_queue_idx} (db/V8), or the planner cannot use them.
   */
  static final String NEEDS_REVIEW = "NOT corrected_by_human"
      + " AND dataset_status IN ('pending', 'used_in_training')"
      + " AND confidence_score IS NOT NULL";

  /** The confidence the queue sorts on: the model in service's when a deploy re-scored the row, else the bot's. */
  static final String CONFIDENCE_KEY = "COALESCE(rescored_confidence, confidence_score)";
  /** The margin the queue sorts on, the same way; no margin counts as 1 (last among equals). */
  static final String MARGIN_KEY = "COALESCE(rescored_margin, intent_margin, 1)";

  /** {@code lowest_confidence}: least confident first, then the smallest margin, then id (db/V9's index). */
  static final String LOWEST_CONFIDENCE_ORDER = CONFIDENCE_KEY + ", " + MARGIN_KEY + ", id";
  /** {@code smallest_margin}: the closest call first, then the least confident, then id (db/V9's index). */
  static final String SMALLEST_MARGIN_ORDER = MARGIN_KEY + ", " + CONFIDENCE_KEY + ", id";

  /**
   * How many samples of the {@code lowest_confidence} order the {@code diverse} order ranks by
   * confusion: the bound of its cost (an index scan of this many rows and a sort), and of its
   * reach (the rest of the queue follows in {@code lowest_confidence} order).
   */
  public static final int DIVERSE_HEAD = 5_000;
  /** The rank the {@code diverse} order gives the samples after its head: after every rank of the head. */
  static final int TAIL_RANK = DIVERSE_HEAD + 1;

  /** The intent of a sample's confusion: the re-scored top intent, else the detected one. */
  static final String PAIR_INTENT = "COALESCE(rescored_intent, detected_intent)";
  /**
   * The other side of its confusion: the most confident other intent of its top intents (the
   * re-scored ones when there are; ties by name, bytewise), NULL when there is none.
   */
  static final String PAIR_ALTERNATIVE = "(SELECT e ->> 'intent'"
      + " FROM jsonb_array_elements(COALESCE(rescored_top_intents, top_intents)) AS e"
      + " WHERE e ->> 'intent' IS DISTINCT FROM " + PAIR_INTENT
      + " ORDER BY CASE WHEN jsonb_typeof(e -> 'confidence') = 'number' THEN (e ->> 'confidence')::float8 END"
      + " DESC NULLS LAST, e ->> 'intent' COLLATE \"C\" LIMIT 1)";

  /** The columns of a sample waiting for review (the table's, unqualified). */
  private static final String PENDING_COLUMNS = "id, interaction_id, user_message, detected_intent, confidence_score,"
      + " intent_margin, top_intents::text, ai_response, escalated, response_source, category, source,"
      + " dataset_status, occurred_at, rescored_intent, rescored_confidence, rescored_margin,"
      + " rescored_top_intents::text, rescored_model_version, rescored_at, review_reason";

  /**
   * Where a page of the review queue resumes: after this key of its order. {@code pairRank} is the
   * rank in its confusion of the {@code diverse} order, 0 in the others and in the audit sample
   * (which only resumes after {@code id}).
   */
  public record PendingKey(int pairRank, int confidence, float margin, UUID id) {}

  /** Where a page of errors resumes: after (older than) this time and id. */
  public record ErrorKey(Instant occurredAt, UUID id) {}

  private ReviewQueries() {}

  /**
   * At most {@code limit} samples needing review matching {@code filter}, in {@code order}, after
   * {@code after}; each row also has {@code confidence_key}, {@code margin_key} and {@code pair_rank}.
   * The review service asks for the samples of one reason at a time ({@code filter.reason()}): the
   * audit sample from {@link #auditQueue}, the others in {@code order} from here.
   */
  public static SqlQuery pendingReview(PendingReviewFilter filter, ReviewOrder order, Optional<PendingKey> after,
      int limit) {
    return switch (order) {
      case LOWEST_CONFIDENCE -> lowestConfidence(filter, after, limit);
      case SMALLEST_MARGIN -> smallestMargin(filter, after, limit);
      case DIVERSE -> after.isPresent() && after.get().pairRank() >= TAIL_RANK
          ? diverseTail(filter, after.get(), limit) : diverse(filter, after, limit);
    };
  }

  private static SqlQuery lowestConfidence(PendingReviewFilter filter, Optional<PendingKey> after, int limit) {
    var q = SqlQuery.builder().append("SELECT " + PENDING_COLUMNS + ", " + CONFIDENCE_KEY + " AS confidence_key, "
        + MARGIN_KEY + " AS margin_key, 0 AS pair_rank FROM ai_training_data WHERE " + NEEDS_REVIEW);
    filters(q, filter);
    after.ifPresent(key -> q.append(" AND (" + LOWEST_CONFIDENCE_ORDER + ") > (?, ?, ?)",
        key.confidence(), key.margin(), key.id()));
    return q.append(" ORDER BY " + LOWEST_CONFIDENCE_ORDER + " LIMIT ?", limit).build();
  }

  private static SqlQuery smallestMargin(PendingReviewFilter filter, Optional<PendingKey> after, int limit) {
    var q = SqlQuery.builder().append("SELECT " + PENDING_COLUMNS + ", " + CONFIDENCE_KEY + " AS confidence_key, "
        + MARGIN_KEY + " AS margin_key, 0 AS pair_rank FROM ai_training_data WHERE " + NEEDS_REVIEW);
    filters(q, filter);
    after.ifPresent(key -> q.append(" AND (" + SMALLEST_MARGIN_ORDER + ") > (?, ?, ?)",
        key.margin(), key.confidence(), key.id()));
    return q.append(" ORDER BY " + SMALLEST_MARGIN_ORDER + " LIMIT ?", limit).build();
  }

  /**
   * A page of {@code diverse} that may hold samples of its head: the head (the first
   * {@link #DIVERSE_HEAD} of {@code lowest_confidence}, read from its index) ranked in each
   * confusion, the page's part of it, then, when the head is used up, the samples after the head's
   * last in {@code lowest_confidence} order (rank {@link #TAIL_RANK}). Only the page's rows are read in full.
   */
  private static SqlQuery diverse(PendingReviewFilter filter, Optional<PendingKey> after, int limit) {
    var q = SqlQuery.builder().append("WITH head AS (SELECT id, " + CONFIDENCE_KEY + " AS confidence_key, "
        + MARGIN_KEY + " AS margin_key, " + PAIR_INTENT + " AS pair_intent, " + PAIR_ALTERNATIVE
        + " AS pair_alternative FROM ai_training_data WHERE " + NEEDS_REVIEW);
    filters(q, filter);
    q.append(" ORDER BY " + LOWEST_CONFIDENCE_ORDER + " LIMIT " + DIVERSE_HEAD + "),"
        + " ranked AS (SELECT id, confidence_key, margin_key, row_number() OVER (PARTITION BY pair_intent,"
        + " pair_alternative ORDER BY confidence_key, margin_key, id) AS pair_rank FROM head),"
        + " last AS (SELECT confidence_key, margin_key, id FROM head"
        + " ORDER BY confidence_key DESC, margin_key DESC, id DESC LIMIT 1),"
        + " page AS ((SELECT id, confidence_key, margin_key, pair_rank FROM ranked");
    after.ifPresent(key -> q.append(" WHERE (pair_rank, confidence_key, margin_key, id) > (?, ?, ?, ?)",
        key.pairRank(), key.confidence(), key.margin(), key.id()));
    q.append(" ORDER BY pair_rank, confidence_key, margin_key, id LIMIT ?)", limit);
    q.append(" UNION ALL (SELECT id, " + CONFIDENCE_KEY + ", " + MARGIN_KEY + ", " + TAIL_RANK
        + " FROM ai_training_data WHERE " + NEEDS_REVIEW);
    filters(q, filter);
    q.append(" AND (" + LOWEST_CONFIDENCE_ORDER + ") > ((SELECT confidence_key FROM last),"
        + " (SELECT margin_key FROM last), (SELECT id FROM last))"
        + " ORDER BY " + LOWEST_CONFIDENCE_ORDER + " LIMIT ?))", limit);
    return q.append(" SELECT " + PENDING_COLUMNS + ", page.confidence_key, page.margin_key, page.pair_rank"
        + " FROM page JOIN ai_training_data USING (id)"
        + " ORDER BY page.pair_rank, page.confidence_key, page.margin_key, id LIMIT ?", limit).build();
  }

  /**
   * At most {@code limit} audited samples needing review matching {@code filter} (whatever its
   * reason), in id order, after {@code after}, whatever the order of the rest of the queue. Ids are
   * random ({@code gen_random_uuid()}), so this order owes nothing to a sample's content: whatever
   * part of the audit sample reviewers get through is itself a random sample, and the live accuracy
   * stays unbiased. Read from {@code ai_training_data_audit_queue_idx} (db/V8). Each row has the
   * columns of {@link #pendingReview}, {@code pair_rank} 0.
   */
  public static SqlQuery auditQueue(PendingReviewFilter filter, Optional<UUID> after, int limit) {
    var q = SqlQuery.builder().append("SELECT " + PENDING_COLUMNS + ", " + CONFIDENCE_KEY + " AS confidence_key, "
        + MARGIN_KEY + " AS margin_key, 0 AS pair_rank FROM ai_training_data WHERE " + NEEDS_REVIEW);
    filters(q, filter.withReason(ReviewReason.AUDIT));
    after.ifPresent(id -> q.append(" AND id > ?", id));
    return q.append(" ORDER BY id LIMIT ?", limit).build();
  }

  /** A page of {@code diverse} after its head: {@code lowest_confidence} from the cursor on, at rank {@link #TAIL_RANK}. */
  private static SqlQuery diverseTail(PendingReviewFilter filter, PendingKey after, int limit) {
    var q = SqlQuery.builder().append("SELECT " + PENDING_COLUMNS + ", " + CONFIDENCE_KEY + " AS confidence_key, "
        + MARGIN_KEY + " AS margin_key, " + TAIL_RANK + " AS pair_rank FROM ai_training_data WHERE " + NEEDS_REVIEW);
    filters(q, filter);
    q.append(" AND (" + LOWEST_CONFIDENCE_ORDER + ") > (?, ?, ?)", after.confidence(), after.margin(), after.id());
    return q.append(" ORDER BY " + LOWEST_CONFIDENCE_ORDER + " LIMIT ?", limit).build();
  }

  /** The conditions of {@code filter}, each on the bot's own columns. */
  private static void filters(SqlQuery.Builder q, PendingReviewFilter filter) {
    // The condition of each reason as a constant of its own (SqlBuiltFromConstantsTest).
    filter.reason().ifPresent(reason -> q.append(reason == ReviewReason.AUDIT ? " AND review_reason = 'audit'"
        : " AND review_reason IS NULL"));
    filter.intent().ifPresent(intent -> q.append(" AND detected_intent = ?", intent));
    filter.from().ifPresent(from -> q.append(" AND occurred_at >= ?", from));
    filter.to().ifPresent(to -> q.append(" AND occurred_at < ?", to));
    filter.minConfidence().ifPresent(min -> q.append(" AND confidence_score >= ?", min));
    filter.maxConfidence().ifPresent(max -> q.append(" AND confidence_score <= ?", max));
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

  static SqlQuery undoCorrection(UndoRequest request) {
    return SqlQuery.builder().append("SELECT undo_intent_correction(?::uuid, ?::uuid)::text",
        request.correctionId(), request.undoneBy().orElse(null)).build();
  }
}
