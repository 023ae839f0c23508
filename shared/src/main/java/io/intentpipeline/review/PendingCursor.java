package io.intentpipeline.review;

import io.intentpipeline.http.PageCursor;
import io.intentpipeline.review.ReviewQueries.PendingKey;
import java.util.List;
import java.util.UUID;

/**
 * The cursor of the review queue: the key of the last item in its order's sort ({@code
 * lowest_confidence}: confidence, margin, id; {@code smallest_margin}: margin, confidence, id;
 * {@code diverse}: rank in its confusion, confidence, margin, id), bound to the filters and the
 * order it was issued for. A cursor of another order or other filters is a 400 naming {@code cursor}.
 */
public final class PendingCursor {
  private PendingCursor() {}

  /** The cursor resuming {@code order} after {@code key}, for {@code filter}. */
  public static String encode(PendingReviewFilter filter, ReviewOrder order, PendingKey key) {
    String confidence = String.valueOf(key.confidence());
    String margin = Float.toString(key.margin());
    String id = key.id().toString();
    return PageCursor.encode(scope(filter, order), switch (order) {
      case LOWEST_CONFIDENCE -> List.of(confidence, margin, id);
      case SMALLEST_MARGIN -> List.of(margin, confidence, id);
      case DIVERSE -> List.of(String.valueOf(key.pairRank()), confidence, margin, id);
    });
  }

  /** The key of {@code cursor}, which must have been issued for {@code filter} and {@code order}. */
  public static PendingKey decode(String cursor, PendingReviewFilter filter, ReviewOrder order) {
    int size = order == ReviewOrder.DIVERSE ? 4 : 3;
    List<String> key = PageCursor.decode(cursor, scope(filter, order), size);
    try {
      return switch (order) {
        case LOWEST_CONFIDENCE -> new PendingKey(0, Integer.parseInt(key.get(0)), margin(key.get(1)),
            UUID.fromString(key.get(2)));
        case SMALLEST_MARGIN -> new PendingKey(0, Integer.parseInt(key.get(1)), margin(key.get(0)),
            UUID.fromString(key.get(2)));
        case DIVERSE -> new PendingKey(rank(key.get(0)), Integer.parseInt(key.get(1)), margin(key.get(2)),
            UUID.fromString(key.get(3)));
      };
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

  private static int rank(String text) {
    int rank = Integer.parseInt(text);
    if (rank < 1 || rank > ReviewQueries.TAIL_RANK) {
      throw new IllegalArgumentException("rank out of range");
    }
    return rank;
  }
}
