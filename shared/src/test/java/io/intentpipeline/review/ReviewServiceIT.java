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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The review queue and the error list against PostgreSQL: the queue's audit sample first, by id,
 * then the others in each of the three orders (on the re-scored figures when a deploy left some),
 * their filters, and keyset pagination that neither repeats nor skips an item, across the two parts
 * of the queue and even while rows arrive and get reviewed.
 */
class ReviewServiceIT {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final String[] INTENTS = {"card_arrival", "card_linking", "exchange_rate", "pin_blocked"};
  @RegisterExtension
  static final TestStackExtension STACK = TestStackExtension.withDatabase("reviewservice");
  static TestStack stack;
  static Database database;
  static ReviewService reviews;

  /** One of a sample's top intents. */
  record Top(String intent, double confidence) {}

  /** A deploy's scores of a sample (db/V9's rescored_* columns). */
  record Rescore(String intent, int confidence, float margin, List<Top> top) {}

  /** A confusion: the detected intent and the best other one (null when there is none). */
  record Pair(String intent, String alternative) {}

  /** What the test knows about each row it inserted, to compute the expected answers itself. */
  record Fixture(UUID id, String detected, String correct, Integer confidence, Float margin, List<Top> top,
                 String status, Instant at, boolean audited, Rescore rescore) {
    boolean needsReview() {
      return correct == null && confidence != null && (status.equals("pending") || status.equals("used_in_training"));
    }

    boolean isError() {
      return correct != null && !correct.equals(detected);
    }

    /** The confidence the queue sorts on: the re-scored one, else the bot's. */
    int confidenceKey() {
      return rescore != null ? rescore.confidence() : confidence;
    }

    /** The margin the queue sorts on: the re-scored one, else the bot's, none counting as 1. */
    float marginKey() {
      return rescore != null ? rescore.margin() : margin == null ? 1f : margin;
    }

    /** Its confusion: the (re-scored) intent and its most confident other top intent. */
    Pair pair() {
      String intent = rescore != null ? rescore.intent() : detected;
      List<Top> tops = rescore != null ? rescore.top() : top;
      String alternative = tops == null ? null : tops.stream().filter(t -> !t.intent().equals(intent))
          .max(Comparator.comparingDouble(Top::confidence)).map(Top::intent).orElse(null);
      return new Pair(intent, alternative);
    }
  }

  /** lowest_confidence: confidence, margin (unknown = 1), then id as PostgreSQL orders UUIDs (bytewise). */
  static final Comparator<Fixture> LOWEST_CONFIDENCE = Comparator.comparingInt(Fixture::confidenceKey)
      .thenComparing(Fixture::marginKey).thenComparing(f -> f.id().toString());
  /** smallest_margin: margin (unknown = 1), confidence, then id. */
  static final Comparator<Fixture> SMALLEST_MARGIN = Comparator.comparing(Fixture::marginKey)
      .thenComparingInt(Fixture::confidenceKey).thenComparing(f -> f.id().toString());
  /** The audit sample's order: id as PostgreSQL orders UUIDs (bytewise, a random order). */
  static final Comparator<Fixture> AUDIT_ORDER = Comparator.comparing(f -> f.id().toString());
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
    fill(400, new String[] {"pending", "pending", "pending", "used_in_training", "approved", "rejected"}, 5);
  }

  /**
   * {@code count} rows of random statuses, one in {@code reviewedOneIn} reviewed, one in 8 audited,
   * a third of the waiting ones re-scored.
   */
  private void fill(int count, String[] statuses, int reviewedOneIn) throws Exception {
    fixtures.clear();
    var random = new Random(77L);
    List<TrainingRows.Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String detected = INTENTS[random.nextInt(INTENTS.length)];
      // Few distinct values: many ties, so the later sort keys decide too.
      Integer confidence = random.nextInt(12) == 0 ? null : 10 * random.nextInt(10);
      Float margin = random.nextInt(4) == 0 ? null : random.nextInt(5) / 10f;
      List<Top> top = confidence == null || random.nextInt(5) == 0 ? null : tops(random, detected);
      String status = statuses[random.nextInt(statuses.length)];
      String correct = random.nextInt(reviewedOneIn) == 0 ? INTENTS[random.nextInt(INTENTS.length)] : null;
      Instant at = NOW.minus(random.nextInt(30), ChronoUnit.HOURS);
      boolean audited = random.nextInt(8) == 0;
      var row = TrainingRows.Row.detected(detected).confidence(confidence).margin(margin).status(status).at(at)
          .correct(correct).topIntents(json(top)).audited(audited);
      rows.add(row);
      fixtures.add(new Fixture(row.id(), detected, correct, confidence, margin, top, status, at, audited, null));
    }
    try (Connection c = stack.connect()) {
      TrainingRows.clear(c);
      TrainingRows.insert(c, rows);
      c.setAutoCommit(false);
      random = new Random(78L);
      for (int i = 0; i < fixtures.size(); i++) {
        Fixture f = fixtures.get(i);
        if (f.needsReview() && random.nextInt(3) == 0) {
          String intent = INTENTS[random.nextInt(INTENTS.length)];
          var rescore = new Rescore(intent, 5 + 10 * random.nextInt(10), random.nextInt(5) / 10f, tops(random, intent));
          TrainingRows.rescore(c, f.id(), "intent_classifier_20260301_070000", rescore.intent(), rescore.confidence(),
              rescore.margin(), json(rescore.top()));
          fixtures.set(i, new Fixture(f.id(), f.detected(), f.correct(), f.confidence(), f.margin(), f.top(),
              f.status(), f.at(), f.audited(), rescore));
        }
      }
      c.commit();
    }
  }

  /** Two or three top intents, {@code first} not always the most confident (callers may send them in any order). */
  private static List<Top> tops(Random random, String first) {
    List<String> others = new ArrayList<>(List.of(INTENTS));
    others.remove(first);
    java.util.Collections.shuffle(others, random);
    List<Top> top = new ArrayList<>();
    top.add(new Top(first, 0.5 + random.nextInt(40) / 100.0));
    top.add(new Top(others.get(0), 0.05 + random.nextInt(20) / 100.0));
    if (random.nextBoolean()) {
      top.add(new Top(others.get(1), 0.3 + random.nextInt(19) / 100.0 + 0.001));
    }
    java.util.Collections.shuffle(top, random);
    return top;
  }

  private static String json(List<Top> top) {
    if (top == null) {
      return null;
    }
    return io.intentpipeline.json.Json.write(top.stream()
        .map(t -> java.util.Map.of("intent", t.intent(), "confidence", t.confidence())).toList());
  }

  /** The queue computed here: the audited samples waiting by id, then the others in {@code order}. */
  private List<UUID> expectedQueue(ReviewOrder order, Predicate<Fixture> filter) {
    List<Fixture> waiting = fixtures.stream().filter(Fixture::needsReview).filter(filter).toList();
    List<UUID> queue = new ArrayList<>(waiting.stream().filter(Fixture::audited).sorted(AUDIT_ORDER)
        .map(Fixture::id).toList());
    List<Fixture> others = waiting.stream().filter(f -> !f.audited()).toList();
    queue.addAll(switch (order) {
      case LOWEST_CONFIDENCE -> others.stream().sorted(LOWEST_CONFIDENCE).map(Fixture::id).toList();
      case SMALLEST_MARGIN -> others.stream().sorted(SMALLEST_MARGIN).map(Fixture::id).toList();
      case DIVERSE -> diverse(others);
    });
    return queue;
  }

  /** How many audited samples wait for review. */
  private long auditedWaiting() {
    return fixtures.stream().filter(Fixture::needsReview).filter(Fixture::audited).count();
  }

  /**
   * The diverse order computed here: the head (the first DIVERSE_HEAD of lowest_confidence) by
   * (rank in its confusion, confidence, margin, id), then the rest in lowest_confidence order.
   */
  private static List<UUID> diverse(List<Fixture> waiting) {
    List<Fixture> base = waiting.stream().sorted(LOWEST_CONFIDENCE).toList();
    List<Fixture> head = base.subList(0, Math.min(ReviewQueries.DIVERSE_HEAD, base.size()));
    java.util.Map<Pair, Integer> seen = new java.util.HashMap<>();
    java.util.Map<UUID, Integer> rank = new java.util.HashMap<>();
    for (Fixture f : head) {
      rank.put(f.id(), seen.merge(f.pair(), 1, Integer::sum));
    }
    List<UUID> order = new ArrayList<>(head.stream()
        .sorted(Comparator.comparing((Fixture f) -> rank.get(f.id())).thenComparing(LOWEST_CONFIDENCE))
        .map(Fixture::id).toList());
    base.subList(head.size(), base.size()).forEach(f -> order.add(f.id()));
    return order;
  }

  private List<UUID> walkQueue(PendingReviewFilter filter, ReviewOrder order, int limit) throws Exception {
    return walkItems(filter, order, limit).stream().map(PendingSample::id).toList();
  }

  private List<PendingSample> walkItems(PendingReviewFilter filter, ReviewOrder order, int limit) throws Exception {
    List<PendingSample> seen = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<PendingSample> page = reviews.pendingReview(filter, order, new PageRequest(limit, cursor));
      assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
      seen.addAll(page.items());
      cursor = Optional.ofNullable(page.nextCursor());
    } while (cursor.isPresent());
    return seen;
  }

  @ParameterizedTest
  @EnumSource(ReviewOrder.class)
  void eachOrderServesTheAuditSampleByIdFirstThenTheRestInOrderAndItsPagesWalkTheQueueExactlyOnce(
      ReviewOrder order) throws Exception {
    // Arrange
    List<UUID> expected = expectedQueue(order, f -> true);
    int audited = (int) auditedWaiting();

    // Act: pages of 7 end within the audit sample, across its end and within the rest
    List<PendingSample> walked = walkItems(PendingReviewFilter.none(), order, 7);
    List<UUID> again = walkQueue(PendingReviewFilter.none(), order, 50);

    // Assert: the queue computed here, whatever the page size, each item saying why it is there
    assertThat(expected).hasSizeGreaterThan(100);
    assertThat(audited).isBetween(10, 40);
    assertThat(walked).extracting(PendingSample::id).containsExactlyElementsOf(expected);
    assertThat(again).containsExactlyElementsOf(expected);
    assertThat(walked.subList(0, audited)).extracting(PendingSample::reviewReason).containsOnly(ReviewReason.AUDIT);
    assertThat(walked.subList(audited, walked.size())).extracting(PendingSample::reviewReason)
        .containsOnly(ReviewReason.PRIORITY);
  }

  @ParameterizedTest
  @EnumSource(ReviewOrder.class)
  void theReasonFilterListsOnePartOfTheQueueInEveryOrder(ReviewOrder order) throws Exception {
    // Arrange: the audit sample keeps its id order whatever the order asked; the rest takes it
    List<UUID> audited = expectedQueue(order, Fixture::audited);
    List<UUID> others = expectedQueue(order, f -> !f.audited());

    // Act
    List<UUID> walkedAudited = walkQueue(PendingReviewFilter.none().withReason(ReviewReason.AUDIT), order, 4);
    List<UUID> walkedOthers = walkQueue(PendingReviewFilter.none().withReason(ReviewReason.PRIORITY), order, 50);

    // Assert
    assertThat(audited).isNotEmpty();
    assertThat(walkedAudited).containsExactlyElementsOf(audited);
    assertThat(walkedOthers).containsExactlyElementsOf(others);
  }

  @Test
  void theOrdersReadTheRescoredFiguresWhenADeployLeftSome() throws Exception {
    // Arrange: the re-scored rows, and those the bot's own scores would have put elsewhere (after
    // the audit sample, which the scores do not order)
    List<UUID> byBotScores = new ArrayList<>(fixtures.stream().filter(Fixture::needsReview).filter(Fixture::audited)
        .sorted(AUDIT_ORDER).map(Fixture::id).toList());
    byBotScores.addAll(fixtures.stream().filter(Fixture::needsReview).filter(f -> !f.audited())
        .sorted(Comparator.comparingInt((Fixture f) -> f.confidence())
            .thenComparing(f -> f.margin() == null ? 1f : f.margin()).thenComparing(f -> f.id().toString()))
        .map(Fixture::id).toList());

    // Act
    Page<PendingSample> page = reviews.pendingReview(PendingReviewFilter.none(), ReviewOrder.LOWEST_CONFIDENCE,
        PageRequest.first(100));

    // Assert: the page follows the effective scores, not the bot's, and says what scored each item
    assertThat(page.items()).extracting(PendingSample::id)
        .containsExactlyElementsOf(expectedQueue(ReviewOrder.LOWEST_CONFIDENCE, f -> true).subList(0, 100))
        .isNotEqualTo(byBotScores.subList(0, 100));
    for (PendingSample item : page.items()) {
      Fixture f = fixtures.stream().filter(x -> x.id().equals(item.id())).findFirst().orElseThrow();
      assertThat(item.confidenceScore()).as("the bot's answer stays").isEqualTo(f.confidence());
      if (f.rescore() == null) {
        assertThat(item.rescored()).isNull();
      } else {
        assertThat(item.rescored().modelVersion()).isEqualTo("intent_classifier_20260301_070000");
        assertThat(item.rescored().intent()).isEqualTo(f.rescore().intent());
        assertThat(item.rescored().confidenceScore()).isEqualTo(f.rescore().confidence());
        assertThat(item.rescored().intentMargin()).isEqualTo(f.rescore().margin());
        assertThat(item.rescored().topIntents()).hasSize(f.rescore().top().size());
        assertThat(item.rescored().scoredAt()).isNotNull();
      }
    }
    assertThat(page.items()).filteredOn(item -> item.reviewReason() == ReviewReason.PRIORITY)
        .anyMatch(item -> item.rescored() != null).anyMatch(item -> item.rescored() == null);
  }

  @ParameterizedTest
  @EnumSource(ReviewOrder.class)
  void theQueueFiltersByIntentTimeAndConfidenceInEveryOrder(ReviewOrder order) throws Exception {
    // Arrange: the filters are on the bot's own figures
    Instant from = NOW.minus(20, ChronoUnit.HOURS);
    Instant to = NOW.minus(5, ChronoUnit.HOURS);
    var filter = new PendingReviewFilter(Optional.of("card_linking"), Optional.of(from), Optional.of(to),
        Optional.of(20), Optional.of(60));
    Predicate<Fixture> matches = f -> f.detected().equals("card_linking") && !f.at().isBefore(from)
        && f.at().isBefore(to) && f.confidence() >= 20 && f.confidence() <= 60;
    List<UUID> expected = expectedQueue(order, matches);

    // Act
    List<UUID> walked = walkQueue(filter, order, 3);
    List<UUID> walkedOthers = walkQueue(filter.withReason(ReviewReason.PRIORITY), order, 3);

    // Assert: with the reason filter too, the filters combine
    assertThat(expected).isNotEmpty();
    assertThat(walked).containsExactlyElementsOf(expected);
    assertThat(walkedOthers).isNotEmpty()
        .containsExactlyElementsOf(expectedQueue(order, matches.and(f -> !f.audited())));
  }

  @Test
  void diverseTakesOneOfEachConfusionBeforeASecondOfAnyAndThenTheRestOfTheQueue() throws Exception {
    // Arrange: more rows waiting, beside the audit sample, than the head the diverse order ranks
    fill(ReviewQueries.DIVERSE_HEAD + 2000, new String[] {"pending", "used_in_training"}, 1_000_000);
    List<UUID> expected = expectedQueue(ReviewOrder.DIVERSE, f -> true);
    assertThat(expected).hasSizeGreaterThan(ReviewQueries.DIVERSE_HEAD + 300);

    // Act
    List<UUID> walked = walkQueue(PendingReviewFilter.none(), ReviewOrder.DIVERSE, 200);

    // Assert: every row once, in the order computed here, the audit sample first
    assertThat(walked).doesNotHaveDuplicates().containsExactlyElementsOf(expected);
    List<UUID> ordered = walked.subList((int) auditedWaiting(), walked.size());
    // Within the head, no second sample of a confusion before the first of another: the count of
    // a sample's confusion so far never goes down along the walk.
    var byId = new java.util.HashMap<UUID, Fixture>();
    fixtures.forEach(f -> byId.put(f.id(), f));
    assertThat(ordered).allMatch(id -> !byId.get(id).audited());
    var seen = new java.util.HashMap<Pair, Integer>();
    int previous = 1;
    for (UUID id : ordered.subList(0, ReviewQueries.DIVERSE_HEAD)) {
      int occurrence = seen.merge(byId.get(id).pair(), 1, Integer::sum);
      assertThat(occurrence).as("occurrence of %s", byId.get(id).pair()).isGreaterThanOrEqualTo(previous);
      previous = occurrence;
    }
    assertThat(seen.size()).as("confusions in the head").isGreaterThan(10);
    assertThat(previous).as("the head ends with repeats of confusions").isGreaterThan(1);
    // After the head, the rest in lowest_confidence order.
    List<UUID> rest = ordered.subList(ReviewQueries.DIVERSE_HEAD, ordered.size());
    assertThat(rest).isNotEmpty().containsExactlyElementsOf(fixtures.stream().filter(Fixture::needsReview)
        .filter(f -> !f.audited()).sorted(LOWEST_CONFIDENCE).skip(ReviewQueries.DIVERSE_HEAD).map(Fixture::id).toList());
  }

  @Test
  void pagingStaysExactWhileSamplesArriveAndGetReviewed() throws Exception {
    // Arrange: the first page is read (audited samples only), then the world changes: one is
    // reviewed, an audited sample arrives whose id sorts before the page's end, another sample after it
    Page<PendingSample> first = reviews.pendingReview(PendingReviewFilter.none(), ReviewOrder.LOWEST_CONFIDENCE,
        PageRequest.first(10));
    List<UUID> queueBefore = expectedQueue(ReviewOrder.LOWEST_CONFIDENCE, f -> true);
    assertThat(first.items()).extracting(PendingSample::reviewReason).containsOnly(ReviewReason.AUDIT);
    UUID reviewedMeanwhile = queueBefore.get(25);
    reviews.submit(new CorrectionRequest(reviewedMeanwhile, "card_arrival", Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty()));
    var before = TrainingRows.Row.detected("pin_blocked").confidence(0).margin(0f).audited(true)
        .id(UUID.fromString("00000000-0000-4000-8000-000000000001"));
    var after = TrainingRows.Row.detected("pin_blocked").confidence(100).margin(0f);
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, List.of(before, after));
    }

    // Act
    List<UUID> rest = new ArrayList<>();
    Optional<String> cursor = Optional.of(first.nextCursor());
    while (cursor.isPresent()) {
      var page = reviews.pendingReview(PendingReviewFilter.none(), ReviewOrder.LOWEST_CONFIDENCE,
          new PageRequest(10, cursor));
      page.items().forEach(item -> rest.add(item.id()));
      cursor = Optional.ofNullable(page.nextCursor());
    }

    // Assert: everything after the first page, as the queue now is, once; nothing before it again
    List<UUID> expectedRest = new ArrayList<>(queueBefore.subList(10, queueBefore.size()));
    expectedRest.remove(reviewedMeanwhile);
    expectedRest.add(after.id()); // not audited, confidence 100: after every fixture (at most 95)
    assertThat(rest).doesNotContainAnyElementsOf(first.items().stream().map(PendingSample::id).toList())
        .doesNotContain(before.id(), reviewedMeanwhile)
        .containsExactlyElementsOf(expectedRest);
  }

  @Test
  void aCursorOnlyWorksWithTheFiltersAndTheOrderItWasIssuedFor() throws Exception {
    var other = new PendingReviewFilter(Optional.of("card_arrival"), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty());
    for (ReviewOrder order : ReviewOrder.values()) {
      String cursor = reviews.pendingReview(PendingReviewFilter.none(), order, PageRequest.first(5)).nextCursor();

      assertThatThrownBy(() -> reviews.pendingReview(other, order, new PageRequest(5, Optional.of(cursor))))
          .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
      for (ReviewOrder another : ReviewOrder.values()) {
        if (another != order) {
          assertThatThrownBy(() -> reviews.pendingReview(PendingReviewFilter.none(), another,
              new PageRequest(5, Optional.of(cursor))))
              .as("a %s cursor with order %s", order.key(), another.key())
              .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                assertThat(e.field()).isEqualTo("cursor");
                assertThat(e.getMessage()).contains("another order");
              });
        }
      }
    }
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
