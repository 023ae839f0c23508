package io.intentpipeline.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.testing.TestStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./pipeline import} end to end through Main, into a real database. */
class ImportCommandIT {
  static TestStack stack;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    stack = TestStack.create("importcommand");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @BeforeEach
  void empty() throws SQLException {
    try (Connection c = stack.connect(); var s = c.createStatement()) {
      s.execute("TRUNCATE ai_training_data CASCADE");
    }
  }

  /** Exit code, standard output and standard error of one run. */
  record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--database-url", stack.databaseSettings().url()));
    if (stack.databaseSettings().user() != null) {
      all.addAll(List.of("--user", stack.databaseSettings().user()));
    }
    if (stack.databaseSettings().password() != null) {
      all.addAll(List.of("--password", stack.databaseSettings().password()));
    }
    return runExactly(all.toArray(String[]::new));
  }

  private static Run runExactly(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    var capturedOut = new ByteArrayOutputStream();
    var capturedErr = new ByteArrayOutputStream();
    System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
    try {
      int exit = Main.execute(args);
      return new Run(exit, capturedOut.toString(StandardCharsets.UTF_8), capturedErr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = stack.connect(); var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aCsvWithGoodAndBadLinesKeepsTheGoodOnesReportsTheBadOnesAndExits2() throws Exception {
    // Arrange: lines 3 and 5 are bad.
    Path file = dir.resolve("dataset.csv");
    Files.writeString(file, """
        id,utterance,label
        1,where is my card,card_arrival
        2,no label here,
        3,"I want a refund, please",request_refund
        4,bad label,two words
        5,my pin is blocked,pin_blocked
        """);

    // Act
    Run run = run("import", "--data", file.toString(), "--text-column", "utterance", "--label-column", "label");

    // Assert
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out()).contains("5 records: 3 imported, 0 already stored, 2 invalid (source imported, status approved)");
    assertThat(run.err()).contains(file + ": line 3: field 'label' is missing or empty")
        .contains(file + ": line 5: field 'label' is not a valid intent name");
    assertThat(count("SELECT count(*) FROM ai_training_data WHERE source = 'imported'")).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM ai_training_data WHERE user_message = 'I want a refund, please'"
        + " AND detected_intent = 'request_refund' AND dataset_status = 'approved'")).isEqualTo(1);
  }

  @Test
  void aCleanFileExits0AndImportingItAgainStoresNothingNew() throws Exception {
    // Arrange
    Path file = dir.resolve("dataset.jsonl");
    Files.writeString(file, """
        {"user_message": "hello", "intent": "greeting"}
        {"user_message": "bye", "intent": "farewell"}
        """);

    // Act
    Run first = run("import", "--data", file.toString());
    Run again = run("import", "--data", file.toString(), "--json");

    // Assert
    assertThat(first.exit()).isZero();
    assertThat(first.out()).contains("2 records: 2 imported, 0 already stored, 0 invalid");
    assertThat(again.exit()).isZero();
    JsonNode report = Json.parseBody(again.out());
    assertThat(report.path("imported").asInt()).isZero();
    assertThat(report.path("duplicates").asInt()).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM ai_training_data")).isEqualTo(2);
  }

  @Test
  void anUnusableFileIsExit2AndStoresNothing() throws Exception {
    // Arrange
    Path noHeader = dir.resolve("bad.csv");
    Files.writeString(noHeader, "question,answer\nhello,greeting\n");
    Path text = dir.resolve("data.txt");
    Files.writeString(text, "hello");
    Path jsonl = dir.resolve("data.jsonl");
    Files.writeString(jsonl, "{\"user_message\": \"hello\", \"intent\": \"greeting\"}\n");

    // Act
    Run header = run("import", "--data", noHeader.toString());
    Run unknownKind = run("import", "--data", text.toString());
    Run missing = run("import", "--data", dir.resolve("absent.csv").toString());
    Run columnsOnJsonl = run("import", "--data", jsonl.toString(), "--text-column", "q");

    // Assert
    assertThat(header.exit()).isEqualTo(2);
    assertThat(header.err()).contains("line 1: the header has no text column").contains("nothing was imported");
    assertThat(unknownKind.exit()).isEqualTo(2);
    assertThat(unknownKind.err()).contains("--format");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("no such file");
    assertThat(columnsOnJsonl.exit()).isEqualTo(2);
    assertThat(columnsOnJsonl.err()).contains("CSV files only");
    assertThat(count("SELECT count(*) FROM ai_training_data")).isZero();
  }

  @Test
  void anUnreachableDatabaseIsExit3() throws Exception {
    Path file = dir.resolve("dataset.jsonl");
    Files.writeString(file, "{\"user_message\": \"hello\", \"intent\": \"greeting\"}\n");

    Run run = runExactly("import", "--data", file.toString(), "--database-url", "jdbc:postgresql://127.0.0.1:9/none");

    assertThat(run.exit()).isEqualTo(3);
    assertThat(run.err()).contains("the database is unavailable");
  }
}
