package io.intentpipeline.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.dataset.CsvFormat;
import io.intentpipeline.dataset.DatasetFormatException;
import io.intentpipeline.dataset.JsonlFormat;
import io.intentpipeline.storage.Database;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TestStackExtension;
import java.io.BufferedReader;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Imports into real PostgreSQL: good records kept, bad ones reported by line, re-imports idempotent. */
class DatasetImporterIT {
  static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  @RegisterExtension
  static final TestStackExtension STACK = TestStackExtension.withDatabase("importer").emptyingTrainingRows();
  static TestStack stack;
  static Database database;
  static DatasetImporter importer;

  @BeforeAll
  static void start() {
    stack = STACK.stack();
    database = STACK.database();
    importer = new DatasetImporter(database, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  static ImportReport importCsv(String csv, CsvFormat.Columns columns) throws Exception {
    return importer.importFrom(sink -> CsvFormat.readEach(new StringReader(csv), columns, sink), DatasetFormat.CSV);
  }

  static ImportReport importJsonl(String jsonl) throws Exception {
    return importer.importFrom(sink -> JsonlFormat.readEach(new BufferedReader(new StringReader(jsonl)), sink),
        DatasetFormat.JSONL);
  }

  /** Every stored row, by message: the columns an import sets. */
  static Map<String, Map<String, Object>> stored() throws SQLException {
    Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
    try (Connection c = stack.connect(); var s = c.createStatement(); ResultSet rs = s.executeQuery("""
        SELECT user_message, interaction_id, detected_intent, correct_intent, confidence_score, ai_response, category,
               escalated, corrected_by_human, intent_correct, source, dataset_status, occurred_at
        FROM ai_training_data ORDER BY user_message""")) {
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 2; i <= 13; i++) {
          Object value = rs.getObject(i);
          row.put(rs.getMetaData().getColumnLabel(i),
              value instanceof java.sql.Timestamp t ? t.toInstant() : value);
        }
        rows.put(rs.getString(1), row);
      }
    }
    return rows;
  }

  @Test
  void goodRecordsAreStoredAsImportedSamplesAndBadOnesReportedByLine() throws Exception {
    // Arrange: BANKING77's header; lines 3, 5 and 7 are bad, line 6 repeats line 2.
    String csv = """
        text,category
        I am still waiting on my card?,card_arrival
        no label,
        "How do I top up, please?",top_up_failed
        what,is,this
        I am still waiting on my card?,card_arrival
        bad intent,card arrival
        "two
        lines",exchange_rate
        """;

    // Act
    ImportReport report = importCsv(csv, CsvFormat.Columns.auto());

    // Assert
    assertThat(report.records()).isEqualTo(7);
    assertThat(report.imported()).isEqualTo(3);
    assertThat(report.duplicates()).isEqualTo(1);
    assertThat(report.invalid()).isEqualTo(3);
    assertThat(report.errors()).extracting(ImportReport.LineError::line).containsExactly(3, 5, 7);
    assertThat(report.errors().get(0).message()).isEqualTo("field 'category' is missing or empty");
    assertThat(report.errors().get(1).message()).isEqualTo("expected 2 fields as in the header, found 3");
    assertThat(report.errors().get(2).message()).startsWith("field 'category' is not a valid intent name");
    assertThat(report.errorsTruncated()).isFalse();
    Map<String, Map<String, Object>> rows = stored();
    assertThat(rows.keySet()).containsExactly("How do I top up, please?", "I am still waiting on my card?", "two\nlines");
    Map<String, Object> row = rows.get("I am still waiting on my card?");
    assertThat(row).containsEntry("interaction_id",
            DatasetImporter.interactionId("I am still waiting on my card?", "card_arrival"))
        .containsEntry("detected_intent", "card_arrival").containsEntry("correct_intent", null)
        .containsEntry("confidence_score", null).containsEntry("ai_response", null).containsEntry("category", null)
        .containsEntry("escalated", false).containsEntry("corrected_by_human", false)
        .containsEntry("intent_correct", null)
        .containsEntry("source", "imported").containsEntry("dataset_status", "approved");
    assertThat((String) row.get("interaction_id")).matches("imported:[0-9a-f]{40}");
  }

  @Test
  void importingTheSameFileAgainStoresNothingNew() throws Exception {
    // Arrange
    String jsonl = """
        {"user_message": "hello", "intent": "greeting"}
        {"user_message": "hello", "intent": "farewell"}
        {"user_message": "bye", "intent": "farewell", "response": "Goodbye!", "was_escalated": true}
        """;
    ImportReport first = importJsonl(jsonl);

    // Act
    ImportReport again = importJsonl(jsonl);

    // Assert: the same text with two labels is two samples; the second import is all duplicates.
    assertThat(first.imported()).isEqualTo(3);
    assertThat(again.imported()).isZero();
    assertThat(again.duplicates()).isEqualTo(3);
    assertThat(again.invalid()).isZero();
    assertThat(stored()).hasSize(2);
    assertThat(count("SELECT count(*) FROM ai_training_data")).isEqualTo(3);
    assertThat(stored().get("bye")).containsEntry("ai_response", "Goodbye!").containsEntry("escalated", true);
  }

  @Test
  void theSeedFieldsOfAnExportAreKeptButItsConfidenceAndSourceAreNot() throws Exception {
    // Act: a line as an export writes it (a human-corrected live sample with a confidence).
    ImportReport report = importJsonl("""
        {"user_message":"lost my card","intent":"lost_or_stolen_card","response":"Blocked it.","confidence_score":35,\
        "category":"cards","was_escalated":false,"was_corrected":true,"source":"live","created_at":"2026-02-01T08:00:00Z"}
        """);

    // Assert
    assertThat(report.imported()).isEqualTo(1);
    assertThat(stored().get("lost my card"))
        .containsEntry("detected_intent", "lost_or_stolen_card").containsEntry("ai_response", "Blocked it.")
        .containsEntry("category", "cards").containsEntry("corrected_by_human", true)
        .containsEntry("confidence_score", null).containsEntry("source", "imported")
        .containsEntry("occurred_at", Instant.parse("2026-02-01T08:00:00Z"));
  }

  @Test
  void recordsTheTableWouldRefuseAreReportedNotStored() throws Exception {
    // Arrange: a blank message, a date out of range, and a row a database constraint refuses.
    try (Connection c = stack.connect(); var s = c.createStatement()) {
      s.execute("ALTER TABLE ai_training_data ADD CONSTRAINT test_refuses_forbidden CHECK (user_message <> 'forbidden')");
    }
    try {
      // Act
      ImportReport report = importJsonl("""
          {"user_message": "   ", "intent": "greeting"}
          {"user_message": "old", "intent": "greeting", "created_at": "1999-12-31T23:59:59Z"}
          {"user_message": "forbidden", "intent": "greeting"}
          {"user_message": "fine", "intent": "greeting"}
          """);

      // Assert
      assertThat(report.imported()).isEqualTo(1);
      assertThat(report.invalid()).isEqualTo(3);
      assertThat(report.errors()).containsExactly(
          new ImportReport.LineError(1, "field 'user_message' is empty"),
          new ImportReport.LineError(2, "field 'created_at' must be between 2000-01-01 and one day from now"),
          new ImportReport.LineError(3, "the database refused this record (SQLSTATE 23514)"));
      assertThat(stored().keySet()).containsExactly("fine");
    } finally {
      try (Connection c = stack.connect(); var s = c.createStatement()) {
        s.execute("ALTER TABLE ai_training_data DROP CONSTRAINT test_refuses_forbidden");
      }
    }
  }

  @Test
  void aFileWithoutAUsableHeaderStoresNothing() throws Exception {
    assertThatThrownBy(() -> importCsv("utterance,label\nhello,greeting\n", CsvFormat.Columns.auto()))
        .isInstanceOf(DatasetFormatException.class).hasMessageStartingWith("line 1: the header has no text column");

    assertThat(count("SELECT count(*) FROM ai_training_data")).isZero();
  }

  @Test
  void aLargeFileIsStoredInChunksAndOnlyTheFirstErrorsAreListed() throws Exception {
    // Arrange: 2,500 records (three INSERT chunks), every 10th without a label.
    StringBuilder csv = new StringBuilder("utterance,label\n");
    for (int i = 1; i <= 2_500; i++) {
      csv.append("message ").append(i).append(',').append(i % 10 == 0 ? "" : "intent_" + i % 7).append('\n');
    }

    // Act
    ImportReport report = importCsv(csv.toString(), new CsvFormat.Columns("utterance", "label"));

    // Assert
    assertThat(report.imported()).isEqualTo(2_250);
    assertThat(report.invalid()).isEqualTo(250);
    assertThat(report.errors()).hasSize(DatasetImporter.MAX_LISTED_ERRORS);
    assertThat(report.errors().get(0)).isEqualTo(new ImportReport.LineError(11, "field 'label' is missing or empty"));
    assertThat(report.errorsTruncated()).isTrue();
    assertThat(count("SELECT count(*) FROM ai_training_data WHERE source = 'imported'")).isEqualTo(2_250);
  }

  @Test
  void theIdOfASampleDependsOnItsTextAndLabelOnly() {
    List<String> ids = new ArrayList<>(List.of(
        DatasetImporter.interactionId("hello", "greeting"),
        DatasetImporter.interactionId("hello", "greeting"),
        DatasetImporter.interactionId("hello", "farewell"),
        DatasetImporter.interactionId("hellog", "reeting")));

    assertThat(ids.get(0)).isEqualTo(ids.get(1));
    assertThat(ids.subList(1, 4)).doesNotHaveDuplicates();
    assertThat(ids.get(0)).hasSize("imported:".length() + 40);
  }

  static long count(String sql) throws SQLException {
    try (Connection c = stack.connect(); var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void personalDataIsRedactedBeforeItIsStoredAndTheKindsAreRecorded() throws Exception {
    // Arrange
    String jsonl = """
        {"user_message": "card 4111 1111 1111 1111 declined, mail jane@example.com", "intent": "card_declined", "response": "We will call +44 20 7946 0958"}
        {"user_message": "nothing personal here", "intent": "card_arrival"}
        """;

    // Act
    ImportReport report = importJsonl(jsonl);

    // Assert
    assertThat(report.imported()).isEqualTo(2);
    Map<String, Map<String, Object>> rows = stored();
    assertThat(rows.keySet()).containsExactly("card [CARD] declined, mail [EMAIL]", "nothing personal here");
    assertThat(rows.get("card [CARD] declined, mail [EMAIL]")).containsEntry("ai_response", "We will call [PHONE]")
        .containsEntry("interaction_id", DatasetImporter.interactionId("card [CARD] declined, mail [EMAIL]", "card_declined"));
    try (Connection c = stack.connect(); var s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT array_to_string(redacted_kinds, ',') FROM ai_training_data ORDER BY user_message")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("card,email,phone");
      rs.next();
      assertThat(rs.getString(1)).isEmpty();
    }
  }
}
