package io.intentpipeline.review;

import io.intentpipeline.http.PageCursor;
import io.intentpipeline.review.ReviewQueries.PendingKey;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The cursor of the review queue: the part of the queue of the last item (its reason: the audit
 * sample, served first, or the others) and its key in that part's sort (the audit sample: id; the
 * others, by order: {@code lowest_confidence}: confidence, margin, id; {@code smallest_margin}:
 * margin, confidence, id; {@code diverse}: rank in its confusion, confidence, margin, id), bound to
 * the filters and the order it was issued for. Every cursor holds the order's layout, the audit
 * part's too (with its item's figures, rank 0), so a page may end in one part and the next begin
 * in the other. A cursor of another order or other filters is a 400 naming {@code cursor}.
 */
public final class PendingCursor {
  private PendingCursor() {}

  /** Where the queue resumes: after {@code key} in the part of {@code reason}. */
  public record Position(ReviewReason reason, PendingKey key) {}

  /** The cursor resuming {@code order} after {@code key}, an item of {@code reason}, for {@code filter}. */
  public static String encode(PendingReviewFilter filter, ReviewOrder order, ReviewReason reason, PendingKey key) {
    String confidence = String.valueOf(key.confidence());
    String margin = Float.toString(key.margin());
    String id = key.id().toString();
    List<String> values = new ArrayList<>();
    values.add(reason.key());
    values.addAll(switch (order) {
      case LOWEST_CONFIDENCE -> List.of(confidence, margin, id);
      case SMALLEST_MARGIN -> List.of(margin, confidence, id);
      case DIVERSE -> List.of(String.valueOf(key.pairRank()), confidence, margin, id);
    });
    return PageCursor.encode(scope(filter, order), values);
  }

  /** The position of {@code cursor}, which must have been issued for {@code filter} and {@code order}. */
  public static Position decode(String cursor, PendingReviewFilter filter, ReviewOrder order) {
    int size = order == ReviewOrder.DIVERSE ? 5 : 4;
    List<String> key = PageCursor.decode(cursor, scope(filter, order), size);
    ReviewReason reason = ReviewReason.byKey(key.get(0)).orElseThrow(PageCursor::invalid);
    try {
      return new Position(reason, switch (order) {
        case LOWEST_CONFIDENCE -> new PendingKey(0, Integer.parseInt(key.get(1)), margin(key.get(2)),
            UUID.fromString(key.get(3)));
        case SMALLEST_MARGIN -> new PendingKey(0, Integer.parseInt(key.get(2)), margin(key.get(1)),
            UUID.fromString(key.get(3)));
        case DIVERSE -> new PendingKey(rank(reason, key.get(1)), Integer.parseInt(key.get(2)), margin(key.get(3)),
            UUID.fromString(key.get(4)));
      });
    } catch (IllegalArgumentException e) {
      throw PageCursor.invalid();
    }
  }

  /**
   * What a cursor is bound to. {@code lowest_confidence} keeps the scope of the queue before it had
   * orders, so that a cursor issued then still resumes it.
   */
  static String scope(PendingReviewFilter filter, ReviewOrder order) {
    return order == ReviewOrder.LOWEST_CONFIDENCE ? filter.scope() : filter.scope() + "|order=" + order.key();
  }

  private static float margin(String text) {
    float margin = Float.parseFloat(text);
    if (!(margin >= 0 && margin <= 1)) {
      throw new IllegalArgumentException("margin out of range");
    }
    return margin;
  }

  /** The rank of a {@code diverse} cursor: 0 in the audit sample (in id order), 1 to the tail's rank in the rest. */
  private static int rank(ReviewReason reason, String text) {
    int rank = Integer.parseInt(text);
    boolean valid = reason == ReviewReason.AUDIT ? rank == 0 : rank >= 1 && rank <= ReviewQueries.TAIL_RANK;
    if (!valid) {
      throw new IllegalArgumentException("rank out of range");
    }
    return rank;
  }
}
