package io.intentpipeline.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.config.ConfigException;
import io.intentpipeline.config.Env;
import io.intentpipeline.http.PageCursor;
import io.intentpipeline.http.QueryParams;
import io.intentpipeline.review.ReviewQueries.PendingKey;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code order} of the review queue, its setting, and the cursor each order issues in either
 * part of the queue (the audit sample, the others).
 */
class ReviewOrderTest {
  private static final UUID ID = UUID.fromString("3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8a9b");
  private static final PendingReviewFilter CARDS = new PendingReviewFilter(Optional.of("card_arrival"),
      Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(60));

  private static QueryParams query(Map<String, String> values) {
    return QueryParams.of(values, PendingReviewFilter.PARAMETERS);
  }

  @Test
  void theOrderParameterNamesOneOfTheThreeOrdersOrFallsBack() {
    assertThat(ReviewOrder.from(query(Map.of("order", "smallest_margin")), ReviewOrder.DIVERSE))
        .isEqualTo(ReviewOrder.SMALLEST_MARGIN);
    assertThat(ReviewOrder.from(query(Map.of("order", "diverse")), ReviewOrder.LOWEST_CONFIDENCE))
        .isEqualTo(ReviewOrder.DIVERSE);
    assertThat(ReviewOrder.from(query(Map.of()), ReviewOrder.DIVERSE)).isEqualTo(ReviewOrder.DIVERSE);
    assertThat(ReviewOrder.keys()).containsExactly("lowest_confidence", "smallest_margin", "diverse");
  }

  @ParameterizedTest
  @ValueSource(strings = {"random", "LOWEST_CONFIDENCE", "lowest-confidence", "confidence"})
  void anUnknownOrderIsRefusedNamingTheParameterAndListingTheAcceptedOnes(String value) {
    assertThatThrownBy(() -> ReviewOrder.from(query(Map.of("order", value)), ReviewOrder.DEFAULT))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.field()).isEqualTo("order");
          assertThat(e.getMessage()).isEqualTo("order must be one of diverse, lowest_confidence, smallest_margin");
        });
  }

  @Test
  void theSettingChoosesTheDefaultOrder() {
    assertThat(ReviewOrder.fromEnv(Env.of(Map.of()))).isEqualTo(ReviewOrder.LOWEST_CONFIDENCE);
    assertThat(ReviewOrder.fromEnv(Env.of(Map.of("REVIEW_ORDER", "diverse")))).isEqualTo(ReviewOrder.DIVERSE);
    assertThatThrownBy(() -> ReviewOrder.fromEnv(Env.of(Map.of("REVIEW_ORDER", "newest"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("REVIEW_ORDER")
        .hasMessageContaining("diverse, lowest_confidence, smallest_margin");
  }

  @ParameterizedTest
  @EnumSource(ReviewOrder.class)
  void aCursorGivesBackThePartAndTheKeyItWasMadeOf(ReviewOrder order) {
    // Arrange: margins that a decimal text would round; the audit sample's items rank 0
    var key = new PendingKey(order == ReviewOrder.DIVERSE ? 7 : 0, 42, 0.1f + 0.2f, ID);
    var auditKey = new PendingKey(0, 42, 0.1f + 0.2f, ID);

    // Act
    var back = PendingCursor.decode(PendingCursor.encode(CARDS, order, ReviewReason.PRIORITY, key), CARDS, order);
    var audit = PendingCursor.decode(PendingCursor.encode(CARDS, order, ReviewReason.AUDIT, auditKey), CARDS, order);

    // Assert
    assertThat(back).isEqualTo(new PendingCursor.Position(ReviewReason.PRIORITY, key));
    assertThat(audit).isEqualTo(new PendingCursor.Position(ReviewReason.AUDIT, auditKey));
  }

  @Test
  void diverseCursorsPastTheHeadResumeTheTail() {
    var key = new PendingKey(ReviewQueries.TAIL_RANK, 90, 1f, ID);

    assertThat(PendingCursor.decode(PendingCursor.encode(CARDS, ReviewOrder.DIVERSE, ReviewReason.PRIORITY, key), CARDS,
        ReviewOrder.DIVERSE).key()).isEqualTo(key);
    assertThat(ReviewQueries.pendingReview(CARDS, ReviewOrder.DIVERSE, Optional.of(key), 51).sql())
        .doesNotContain("row_number()").contains(ReviewQueries.TAIL_RANK + " AS pair_rank");
    assertThat(ReviewQueries.pendingReview(CARDS, ReviewOrder.DIVERSE, Optional.empty(), 51).sql())
        .contains("row_number()").contains("LIMIT " + ReviewQueries.DIVERSE_HEAD);
  }

  @ParameterizedTest
  @EnumSource(ReviewOrder.class)
  void aCursorOfAnotherOrderOrOtherFiltersIsRefused(ReviewOrder order) {
    String cursor = PendingCursor.encode(CARDS, order, ReviewReason.PRIORITY,
        new PendingKey(order == ReviewOrder.DIVERSE ? 1 : 0, 10, 0.5f, ID));

    for (ReviewOrder other : ReviewOrder.values()) {
      if (other != order) {
        assertThatThrownBy(() -> PendingCursor.decode(cursor, CARDS, other))
            .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
              assertThat(e.field()).isEqualTo("cursor");
              assertThat(e.getMessage()).contains("another order");
            });
      }
    }
    assertThatThrownBy(() -> PendingCursor.decode(cursor, PendingReviewFilter.none(), order))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
  }

  @Test
  void theLowestConfidenceCursorIsTheOneTheQueueIssuedBeforeItHadOrders() {
    // The cursor of the single order there was: the filter's scope, key (reason, confidence, margin, id).
    String before = PageCursor.encode(CARDS.scope(), List.of("priority", "20", "0.05", ID.toString()));
    String beforeInAudit = PageCursor.encode(CARDS.scope(), List.of("audit", "20", "0.05", ID.toString()));

    assertThat(PendingCursor.decode(before, CARDS, ReviewOrder.LOWEST_CONFIDENCE))
        .isEqualTo(new PendingCursor.Position(ReviewReason.PRIORITY, new PendingKey(0, 20, 0.05f, ID)));
    assertThat(PendingCursor.decode(beforeInAudit, CARDS, ReviewOrder.LOWEST_CONFIDENCE))
        .isEqualTo(new PendingCursor.Position(ReviewReason.AUDIT, new PendingKey(0, 20, 0.05f, ID)));
  }

  @Test
  void theAuditSampleIsReadInIdOrderWhateverTheOrderAndTheRestInTheOrder() {
    String audit = ReviewQueries.auditQueue(CARDS, Optional.of(ID), 51).sql();
    for (ReviewOrder order : ReviewOrder.values()) {
      String others = ReviewQueries.pendingReview(CARDS.withReason(ReviewReason.PRIORITY), order, Optional.empty(), 51)
          .sql();

      // The queue's predicate as the partial indexes have it (db/V8, db/V9), and the part's reason.
      assertThat(others).contains("WHERE " + ReviewQueries.NEEDS_REVIEW + " AND review_reason IS NULL")
          .doesNotContain("review_reason = 'audit'");
    }
    assertThat(audit).contains("WHERE " + ReviewQueries.NEEDS_REVIEW + " AND review_reason = 'audit'")
        .contains("AND id > ?").endsWith("ORDER BY id LIMIT ?");
  }

  @Test
  void aForgedCursorIsRefused() {
    String scope = PendingCursor.scope(CARDS, ReviewOrder.DIVERSE);
    for (List<String> key : List.of(List.of("priority", "0", "10", "0.5", ID.toString()),
        List.of("priority", String.valueOf(ReviewQueries.TAIL_RANK + 1), "10", "0.5", ID.toString()),
        List.of("audit", "1", "10", "0.5", ID.toString()), List.of("review", "1", "10", "0.5", ID.toString()),
        List.of("priority", "1", "ten", "0.5", ID.toString()), List.of("priority", "1", "10", "NaN", ID.toString()),
        List.of("priority", "1", "10", "1.5", ID.toString()), List.of("priority", "1", "10", "0.5", "not-a-uuid"))) {
      String cursor = PageCursor.encode(scope, key);

      assertThatThrownBy(() -> PendingCursor.decode(cursor, CARDS, ReviewOrder.DIVERSE)).as(key.toString())
          .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.field()).isEqualTo("cursor");
            assertThat(e.getMessage()).contains("not a cursor this API issued");
          });
    }
  }
}
