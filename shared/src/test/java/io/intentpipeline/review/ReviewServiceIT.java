package io.intentpipeline.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.http.Page;
import io.intentpipeline.http.PageRequest;
import io.intentpipeline.storage.Database;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TestStackExtension;
import io.intentpipeline.testing.TrainingRows;
import io.intentpipeline.validation.InvalidRequestException;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The review queue and the error list against PostgreSQL: their order (the audit sample first in
 * the queue), their filters, and keyset pagination that neither repeats nor skips an item, even
 * while rows arrive and get reviewed.
 */
class ReviewServiceIT {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final String[] INTENTS = {"card_arrival", "card_linking", "exchange_rate", "pin_blocked"};
  @RegisterExtension
  static final TestStackExtension STACK = TestStackExtension.withDatabase("reviewservice");
  static TestStack stack;
  static Database database;
  static ReviewService reviews;

  /** What the test knows about each row it inserted, to compute the expected answers itself. */
  record Fixture(UUID id, String detected, String correct, Integer confidence, Float margin, String status,
                 Instant at, boolean audited) {
    boolean needsReview() {
      return correct == null && confidence != null && (status.equals("pending") || status.equals("used_in_training"));
    }

    boolean isError() {
      return correct != null && !correct.equals(detected);
    }

    float marginKey() {
      return margin == null ? 1f : margin;
    }
  }

  /** Review order: confidence, margin (unknown = 1), then id as PostgreSQL orders UUIDs (bytewise). */
  static final Comparator<Fixture> REVIEW_ORDER = Comparator.comparing(Fixture::confidence)
      .thenComparing(Fixture::marginKey).thenComparing(f -> f.id().toString());
  /** The queue's order: the audit sample first, by id (a random order), then the others in review order. */
  static final Comparator<Fixture> QUEUE_ORDER = Comparator.comparing((Fixture f) -> !f.audited())
      .thenComparing((a, b) -> a.audited() ? a.id().toString().compareTo(b.id().toString()) : REVIEW_ORDER.compare(a, b));
  /** Error order: newest first, then id descending. */
  static final Comparator<Fixture> ERROR_ORDER = Comparator.comparing(Fixture::at).reversed()
      .thenComparing(f -> f.id().toString(), Comparator.reverseOrder());

  final List<Fixture> fixtures = new ArrayList<>();

  @BeforeAll
  static void start() {
    stack = STACK.stack();
    database = STACK.database();
    reviews = new ReviewService(database);
  }

  @BeforeEach
  void fill() throws Exception {
    var random = new Random(77L);
    String[] statuses = {"pending", "pending", "pending", "used_in_training", "approved", "rejected"};
    List<TrainingRows.Row> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      String detected = INTENTS[random.nextInt(INTENTS.length)];
      // Few distinct values: many ties, so the later sort keys decide too.
      Integer confidence = random.nextInt(12) == 0 ? null : 10 * random.nextInt(10);
      Float margin = random.nextInt(4) == 0 ? null : random.nextInt(5) / 10f;
      String status = statuses[random.nextInt(statuses.length)];
      String correct = random.nextInt(5) == 0 ? INTENTS[random.nextInt(INTENTS.length)] : null;
      Instant at = NOW.minus(random.nextInt(30), ChronoUnit.HOURS);
      boolean audited = random.nextInt(8) == 0;
      var row = TrainingRows.Row.detected(detected).confidence(confidence).margin(margin).status(status).at(at)
          .correct(correct).audited(audited);
      rows.add(row);
      fixtures.add(new Fixture(row.id(), detected, correct, confidence, margin, status, at, audited));
    }
    try (Connection c = stack.connect()) {
      TrainingRows.clear(c);
      TrainingRows.insert(c, rows);
    }
  }

  private List<UUID> expectedQueue(Predicate<Fixture> filter) {
    return fixtures.stream().filter(Fixture::needsReview).filter(filter).sorted(QUEUE_ORDER).map(Fixture::id).toList();
  }

  private List<UUID> walkQueue(PendingReviewFilter filter, int limit) throws Exception {
    return walkItems(filter, limit).stream().map(PendingSample::id).toList();
  }

  private List<PendingSample> walkItems(PendingReviewFilter filter, int limit) throws Exception {
    List<PendingSample> seen = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<PendingSample> page = reviews.pendingReview(filter, new PageRequest(limit, cursor));
      assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
      seen.addAll(page.items());
      cursor = Optional.ofNullable(page.nextCursor());
    } while (cursor.isPresent());
    return seen;
  }

  @Test
  void theQueueIsTheAuditSampleByIdThenLeastConfidentThenSmallestMarginFirstAndPagesCoverItExactlyOnce()
      throws Exception {
    // Arrange
    List<UUID> expected = expectedQueue(f -> true);
    long audited = fixtures.stream().filter(Fixture::needsReview).filter(Fixture::audited).count();

    // Act
    List<PendingSample> walked = walkItems(PendingReviewFilter.none(), 7);

    // Assert: the audited samples first, each item saying why it is there
    assertThat(expected).hasSizeGreaterThan(100);
    assertThat(audited).isBetween(10L, 40L);
    assertThat(walked).extracting(PendingSample::id).containsExactlyElementsOf(expected);
    assertThat(walked.subList(0, (int) audited)).extracting(PendingSample::reviewReason)
        .containsOnly(ReviewReason.AUDIT);
    assertThat(walked.subList((int) audited, walked.size())).extracting(PendingSample::reviewReason)
        .containsOnly(ReviewReason.PRIORITY);
  }

  @Test
  void theReasonFilterListsOnePartOfTheQueue() throws Exception {
    // Arrange
    List<UUID> audited = expectedQueue(Fixture::audited);
    List<UUID> others = expectedQueue(f -> !f.audited());

    // Act
    List<UUID> walkedAudited = walkQueue(PendingReviewFilter.none().withReason(ReviewReason.AUDIT), 4);
    List<UUID> walkedOthers = walkQueue(PendingReviewFilter.none().withReason(ReviewReason.PRIORITY), 50);

    // Assert
    assertThat(audited).isNotEmpty();
    assertThat(walkedAudited).containsExactlyElementsOf(audited);
    assertThat(walkedOthers).containsExactlyElementsOf(others);
  }

  @Test
  void theQueueFiltersByIntentTimeAndConfidence() throws Exception {
    // Arrange
    Instant from = NOW.minus(20, ChronoUnit.HOURS);
    Instant to = NOW.minus(5, ChronoUnit.HOURS);
    var filter = new PendingReviewFilter(Optional.of("card_linking"), Optional.of(from), Optional.of(to),
        Optional.of(20), Optional.of(60));
    List<UUID> expected = expectedQueue(f -> f.detected().equals("card_linking") && !f.at().isBefore(from)
        && f.at().isBefore(to) && f.confidence() >= 20 && f.confidence() <= 60);

    // Act
    List<UUID> walked = walkQueue(filter, 3);

    // Assert
    assertThat(expected).isNotEmpty();
    assertThat(walked).containsExactlyElementsOf(expected);
  }

  @Test
  void pagingStaysExactWhileSamplesArriveAndGetReviewed() throws Exception {
    // Arrange: the first page is read (audited samples only), then the world changes: one is
    // reviewed, an audited sample arrives whose id sorts before the page's end, another sample after it
    Page<PendingSample> first = reviews.pendingReview(PendingReviewFilter.none(), PageRequest.first(10));
    List<UUID> queueBefore = expectedQueue(f -> true);
    assertThat(first.items()).extracting(PendingSample::reviewReason).containsOnly(ReviewReason.AUDIT);
    UUID reviewedMeanwhile = queueBefore.get(25);
    reviews.submit(new CorrectionRequest(reviewedMeanwhile, "card_arrival", Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty()));
    var before = TrainingRows.Row.detected("pin_blocked").confidence(0).margin(0f).audited(true)
        .id(UUID.fromString("00000000-0000-4000-8000-000000000001"));
    var after = TrainingRows.Row.detected("pin_blocked").confidence(95).margin(0f);
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, List.of(before, after));
    }

    // Act
    List<UUID> rest = new ArrayList<>();
    Optional<String> cursor = Optional.of(first.nextCursor());
    while (cursor.isPresent()) {
      var page = reviews.pendingReview(PendingReviewFilter.none(), new PageRequest(10, cursor));
      page.items().forEach(item -> rest.add(item.id()));
      cursor = Optional.ofNullable(page.nextCursor());
    }

    // Assert: everything after the first page, as the queue now is, once; nothing before it again
    List<UUID> expectedRest = new ArrayList<>(queueBefore.subList(10, queueBefore.size()));
    expectedRest.remove(reviewedMeanwhile);
    expectedRest.add(after.id()); // not audited, confidence 95: after every fixture (at most 90)
    assertThat(rest).doesNotContainAnyElementsOf(first.items().stream().map(PendingSample::id).toList())
        .doesNotContain(before.id(), reviewedMeanwhile)
        .containsExactlyElementsOf(expectedRest);
  }

  @Test
  void aCursorOnlyWorksWithTheFiltersItWasIssuedFor() throws Exception {
    var page = reviews.pendingReview(PendingReviewFilter.none(), PageRequest.first(5));
    var other = new PendingReviewFilter(Optional.of("card_arrival"), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty());

    assertThatThrownBy(() -> reviews.pendingReview(other, new PageRequest(5, Optional.of(page.nextCursor()))))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
  }

  @Test
  void errorsAreNewestFirstAndPagesCoverThemExactlyOnce() throws Exception {
    // Arrange
    List<UUID> expected = fixtures.stream().filter(Fixture::isError).sorted(ERROR_ORDER).map(Fixture::id).toList();

    // Act
    List<UUID> walked = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<ClassificationError> page = reviews.errors(ErrorFilter.none(), new PageRequest(4, cursor));
      page.items().forEach(item -> {
        assertThat(item.correctIntent()).isNotEqualTo(item.detectedIntent());
        walked.add(item.id());
      });
      cursor = Optional.ofNullable(page.nextCursor());
    } while (cursor.isPresent());

    // Assert
    assertThat(expected).hasSizeGreaterThan(20);
    assertThat(walked).containsExactlyElementsOf(expected);
  }

  @Test
  void errorsFilterByIntentOnEitherSideOrOnOne() throws Exception {
    // Arrange
    String intent = "exchange_rate";

    // Act
    var either = reviews.errors(new ErrorFilter(Optional.of(intent), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty()), PageRequest.first(200));
    var detected = reviews.errors(new ErrorFilter(Optional.empty(), Optional.of(intent), Optional.empty(),
        Optional.empty(), Optional.empty()), PageRequest.first(200));
    var correct = reviews.errors(new ErrorFilter(Optional.empty(), Optional.empty(), Optional.of(intent),
        Optional.empty(), Optional.empty()), PageRequest.first(200));

    // Assert
    assertThat(either.items()).extracting(ClassificationError::id).containsExactlyElementsOf(fixtures.stream()
        .filter(Fixture::isError).filter(f -> f.detected().equals(intent) || f.correct().equals(intent))
        .sorted(ERROR_ORDER).map(Fixture::id).toList());
    assertThat(detected.items()).extracting(ClassificationError::id).containsExactlyElementsOf(fixtures.stream()
        .filter(Fixture::isError).filter(f -> f.detected().equals(intent)).sorted(ERROR_ORDER).map(Fixture::id).toList());
    assertThat(correct.items()).extracting(ClassificationError::id).containsExactlyElementsOf(fixtures.stream()
        .filter(Fixture::isError).filter(f -> f.correct().equals(intent)).sorted(ERROR_ORDER).map(Fixture::id).toList());
    assertThat(detected.items()).isNotEmpty();
    assertThat(correct.items()).isNotEmpty();
  }
}
