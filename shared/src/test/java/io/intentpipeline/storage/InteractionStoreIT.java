package io.intentpipeline.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.interaction.AuditSample;
import io.intentpipeline.interaction.Interaction;
import io.intentpipeline.interaction.TopIntent;
import io.intentpipeline.testing.TestStack;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InteractionStoreIT {
  static TestStack stack;
  static Database database;
  static InteractionStore store;
  static final AuditSample AUDIT = new AuditSample(0.1);

  @BeforeAll
  static void start() {
    stack = TestStack.create("store");
    database = new Database(stack.databaseSettings(), "store-it");
    store = new InteractionStore(database, AUDIT);
  }

  @AfterAll
  static void stop() {
    database.close();
    stack.close();
  }

  @BeforeEach
  void empty() throws SQLException {
    try (var c = stack.connect(); var s = c.createStatement()) {
      s.execute("TRUNCATE ai_training_data, ai_data_erasures CASCADE");
    }
  }

  static Interaction interaction(String id, String message) {
    return interaction(id, message, "live");
  }

  static Interaction interaction(String id, String message, String source) {
    return new Interaction(id, message, "purchase_status", 87, null, false, null, null, null, null, null,
        List.of(), Instant.parse("2026-11-27T14:05:00Z"), source);
  }

  private static Set<String> audited() throws SQLException {
    Set<String> ids = new HashSet<>();
    try (var c = stack.connect(); var s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT interaction_id FROM ai_training_data WHERE review_reason = 'audit'")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  private static long count() throws SQLException {
    try (var c = stack.connect(); var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM ai_training_data")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void storesEveryFieldAsGiven() throws Exception {
    Interaction full = new Interaction("orc-1", "Wo ist mein Paket? \uD83D\uDCE6", "purchase_status", 87, "Gestern versandt.",
        true, "faq", "orders", UUID.fromString("3f1c2a9e-5b7d-4e21-9c3a-8d2f6b1e4a70"),
        UUID.fromString("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"), UUID.fromString("c0ffee00-1234-4abc-9def-0123456789ab"),
        List.of(new TopIntent("purchase_status", 0.875), new TopIntent("refund_request", 0.125)),
        Instant.parse("2026-11-27T14:04:58.123456Z"), "imported");

    InteractionStore.Result result = store.store(List.of(full));

    assertThat(result.inserted()).containsExactly("orc-1");
    try (var c = stack.connect(); var s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT user_message, detected_intent, confidence_score, ai_response, escalated, response_source, category,"
            + " conversation_id, message_id, user_id, top_intents::text, intent_margin, occurred_at, source,"
            + " dataset_status, corrected_by_human, intent_correct FROM ai_training_data WHERE interaction_id = 'orc-1'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("Wo ist mein Paket? \uD83D\uDCE6");
      assertThat(rs.getString(2)).isEqualTo("purchase_status");
      assertThat(rs.getInt(3)).isEqualTo(87);
      assertThat(rs.getString(4)).isEqualTo("Gestern versandt.");
      assertThat(rs.getBoolean(5)).isTrue();
      assertThat(rs.getString(6)).isEqualTo("faq");
      assertThat(rs.getString(7)).isEqualTo("orders");
      assertThat(rs.getObject(8)).isEqualTo(full.conversationId());
      assertThat(rs.getObject(9)).isEqualTo(full.messageId());
      assertThat(rs.getObject(10)).isEqualTo(full.userId());
      assertThat(rs.getString(11)).isEqualTo(
          "[{\"intent\": \"purchase_status\", \"confidence\": 0.875}, {\"intent\": \"refund_request\", \"confidence\": 0.125}]");
      assertThat(rs.getFloat(12)).isEqualTo(0.75f);
      assertThat(rs.getObject(13, OffsetDateTime.class).toInstant()).isEqualTo(full.occurredAt());
      assertThat(rs.getString(14)).isEqualTo("imported");
      assertThat(rs.getString(15)).isEqualTo("pending");
      assertThat(rs.getBoolean(16)).isFalse();
      assertThat(rs.getObject(17)).isNull();
    }
  }

  @Test
  void storingAgainStoresNothingNew() throws Exception {
    var batch = List.of(interaction("a", "one"), interaction("b", "two"), interaction("c", "three"));
    store.store(batch);

    InteractionStore.Result again = store.store(List.of(interaction("b", "changed"), interaction("d", "four")));

    assertThat(again.inserted()).containsExactly("d");
    assertThat(again.rejected()).isEmpty();
    assertThat(count()).isEqualTo(4);
    try (var c = stack.connect(); var s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT user_message FROM ai_training_data WHERE interaction_id = 'b'")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("two");
    }
  }

  @Test
  void theSameIdTwiceInOneBatchIsStoredOnce() throws Exception {
    InteractionStore.Result result = store.store(List.of(interaction("x", "first"), interaction("x", "second")));

    assertThat(result.inserted()).containsExactly("x");
    assertThat(count()).isEqualTo(1);
  }

  @Test
  void aRowTheDatabaseRefusesIsRejectedAloneAndTheOthersAreStored() throws Exception {
    // Built without the reader: the NUL character would be refused at the door.
    var batch = List.of(interaction("ok-1", "fine"), interaction("bad", "not\u0000fine"), interaction("ok-2", "fine too"));

    InteractionStore.Result result = store.store(batch);

    assertThat(result.inserted()).containsExactlyInAnyOrder("ok-1", "ok-2");
    assertThat(result.rejected()).containsOnlyKeys("bad");
    assertThat(result.rejected().get("bad")).startsWith("22");
    assertThat(count()).isEqualTo(2);
  }

  @Test
  void aThousandRowsAreOneStatement() throws Exception {
    var batch = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> interaction("bulk-" + i, "message " + i)).toList();

    InteractionStore.Result result = store.store(batch);

    assertThat(result.inserted()).hasSize(1000);
    assertThat(count()).isEqualTo(1000);
  }

  @Test
  void theLiveInteractionsTheAuditPicksAreStoredAsAuditedAndNoOthers() throws Exception {
    // Arrange: 3,000 live interactions, and imported and synthetic ones whose ids the pick would take
    List<Interaction> live = java.util.stream.IntStream.range(0, 3000)
        .mapToObj(i -> interaction("live-" + i, "message " + i)).toList();
    List<Interaction> notLive = java.util.stream.IntStream.range(0, 3000)
        .mapToObj(i -> interaction("live-" + i, "message " + i))
        .filter(AUDIT::picks)
        .flatMap(i -> java.util.stream.Stream.of(interaction("imported-" + i.interactionId(), "x", "imported"),
            interaction("synthetic-" + i.interactionId(), "x", "synthetic")))
        .toList();
    Set<String> picked = live.stream().filter(AUDIT::picks).map(Interaction::interactionId).collect(Collectors.toSet());

    // Act: stored in batches of 20, then every live one delivered again
    for (int from = 0; from < live.size(); from += 20) {
      store.store(live.subList(from, from + 20));
    }
    store.store(notLive);
    InteractionStore.Result again = store.store(live);

    // Assert: exactly the pick's ids, about a tenth of the live ones, none stored twice
    assertThat(again.inserted()).isEmpty();
    assertThat(audited()).isEqualTo(picked);
    assertThat(picked.size()).isBetween(240, 360);
    assertThat(count()).isEqualTo(3000 + notLive.size());
  }

  @Test
  void theDatabaseRefusesAnAuditedRowThatIsNotLive() throws Exception {
    try (var c = stack.connect(); var s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute("INSERT INTO ai_training_data (interaction_id, user_message, source,"
          + " review_reason) VALUES ('imp-1', 'hello', 'imported', 'audit')"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23514"));
      assertThatThrownBy(() -> s.execute("INSERT INTO ai_training_data (interaction_id, user_message, source,"
          + " review_reason) VALUES ('live-1', 'hello', 'live', 'low_confidence')"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23514"));
    }
  }

  @Test
  void anUnreachableDatabaseFailsAndStoresNothing() {
    var down = new Database(new Database.Settings("jdbc:postgresql://127.0.0.1:1/none", "postgres", null, 1), "down");

    assertThatThrownBy(() -> new InteractionStore(down, AUDIT).store(List.of(interaction("z", "lost?"))))
        .isInstanceOf(SQLException.class);
  }

  @Test
  void storesTheKindsRedacted() throws Exception {
    // Arrange
    Interaction redacted = interaction("pd-1", "card [CARD], mail [EMAIL]")
        .withRedacted("card [CARD], mail [EMAIL]", null, List.of("card", "email"));

    // Act
    store.store(List.of(redacted, interaction("pd-2", "nothing personal")));

    // Assert
    try (var c = stack.connect(); var s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT interaction_id, array_to_string(redacted_kinds, ',') FROM ai_training_data ORDER BY interaction_id")) {
      rs.next();
      assertThat(rs.getString(2)).isEqualTo("card,email");
      rs.next();
      assertThat(rs.getString(2)).isEmpty();
    }
  }

  @Test
  void anInteractionOfAnErasedUserThatHappenedBeforeTheErasureIsNotStored() throws Exception {
    // Arrange: the user was erased after the first interaction happened, before the second.
    UUID user = UUID.randomUUID();
    try (var c = stack.connect(); var s = c.prepareStatement("INSERT INTO ai_data_erasures (kind, subject_id,"
        + " rows_deleted, corrections_deleted, status, erased_at, completed_at) VALUES ('user', ?, 0, 0, 'complete',"
        + " '2026-11-27T15:00:00Z', now())")) {
      s.setObject(1, user);
      s.executeUpdate();
    }
    Interaction before = withUser(interaction("erased-1", "queued before the erasure"), user,
        Instant.parse("2026-11-27T14:05:00Z"));
    Interaction after = withUser(interaction("erased-2", "sent after the erasure"), user,
        Instant.parse("2026-11-27T16:00:00Z"));

    // Act
    InteractionStore.Result result = store.store(List.of(before, after));

    // Assert
    assertThat(result.inserted()).containsExactly("erased-2");
    assertThat(result.rejected()).isEmpty();
    assertThat(count()).isEqualTo(1);
  }

  private static Interaction withUser(Interaction i, UUID user, Instant occurredAt) {
    return new Interaction(i.interactionId(), i.userMessage(), i.detectedIntent(), i.confidenceScore(), i.aiResponse(),
        i.escalated(), i.responseSource(), i.category(), i.conversationId(), i.messageId(), user, i.topIntents(),
        occurredAt, i.source());
  }
}
