package io.intentpipeline.reliability.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.log.Log;
import io.intentpipeline.snapshot.SnapshotHandler;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TrainingRows;
import io.intentpipeline.testing.TrainingRows.Row;
import io.intentpipeline.transfer.DatasetImporter;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The snapshot function's routes fuzzed on real servers: the query parameters of metrics, history,
 * statistics, intent performance and {@code dataset/export}; the bodies of {@code POST snapshot};
 * and {@code POST dataset/import} with JSON, CSV and JSON Lines bodies whose dataset lines are
 * generated (valid records, wrong types, missing fields, escapes of NUL and lone surrogates,
 * unterminated quotes, stray columns, BOMs, huge lines). Afterwards every imported row is one of
 * the records sent in an accepted import (its id is the hash of its text and label, its text is in
 * that request), and their number is the sum of the answers' {@code imported}.
 */
class SnapshotFuzzIT {
  static TestStack stack;
  static SnapshotHandler handler;

  @BeforeAll
  static void start() throws Exception {
    stack = TestStack.create("fuzzsnapshot");
    handler = new SnapshotHandler(stack.env());
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(Row.detected(i % 3 == 0 ? "refund_request" : "card_arrival").message("export me " + i)
          .confidence(20 + i).at(Instant.now().minusSeconds(3600L * i)).correct(i % 5 == 0 ? "card_arrival" : null));
    }
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, rows);
    }
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void everySnapshotRouteAnswersClearlyAndImportsStoreOnlyWhatTheyReport() throws Exception {
    Map<String, List<String>> hints = Map.of(
        "hours", List.of("1", "24", "720", "8760", "8761", "0", "-1", "1.5"),
        "period_type", List.of("hourly", "daily", "weekly", "monthly", "yearly", "DAILY"),
        "at", List.of(HttpFuzzer.DATES),
        "format", List.of("csv", "jsonl", "json", "CSV", "xlsx", ""),
        "min_confidence", List.of("0", "100", "101", "-1", "50.5"),
        "only_reviewed", List.of("true", "false", "yes", "1", "TRUE"),
        "limit", List.of("1", "1000000", "1000001", "0", "-1", "99999999999"),
        "text_column", List.of("utterance", "text", "", "x".repeat(201), "label"),
        "label_column", List.of("label", "intent", "", "utterance"),
        "content", List.of("{}", "user_message,intent\nhi,greeting", "\uFEFF{\"user_message\":\"a\",\"intent\":\"b\"}"));
    List<String> acceptedImports = new ArrayList<>();
    long[] importedTotal = {0};
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    Log.to(quiet);
    Tally queries;
    Tally export;
    Tally imports;
    try {
      queries = new HttpFuzzer(new Fuzz("snapshot-queries"), handler, List.of("snapshot-create.json",
          "snapshot-create.invalid.json", "snapshot-metrics.json", "snapshot-metrics.invalid.json",
          "snapshot-metrics-history.json", "snapshot-metrics-history.invalid.json", "snapshot-dataset-stats.json",
          "snapshot-dataset-stats.invalid.json", "snapshot-intent-performance.json",
          "snapshot-intent-performance.invalid.json"), hints)
          .run("snapshot, metrics, history, stats, intent-performance", 2000, answer -> { });
      export = new HttpFuzzer(new Fuzz("export"), handler, List.of("snapshot-dataset-export.json",
          "snapshot-dataset-export.invalid.json"), hints)
          .run("export parameters (GET /ai/training/dataset/export)", 800, answer -> {
            if (answer.accepted()) {
              assertThat(answer.body().path("url").asText()).as("an export's URL").startsWith("http");
            }
          });
      Fuzz fuzz = new Fuzz("import");
      HttpFuzzer importFuzzer = new HttpFuzzer(fuzz, handler, List.of("snapshot-dataset-import.json",
          "snapshot-dataset-import.invalid.json", "snapshot-dataset-import-csv.json",
          "snapshot-dataset-import-csv.invalid.json"), hints);
      ObjectNode jsonSeed = (ObjectNode) Json.parseBody(Invocations.eventText("snapshot-dataset-import.json"));
      ObjectNode csvSeed = (ObjectNode) Json.parseBody(Invocations.eventText("snapshot-dataset-import-csv.json"));
      imports = new Tally("import (POST /ai/training/dataset/import)", fuzz.seed);
      int n = fuzz.iterations(2000);
      for (int i = 0; i < n; i++) {
        ObjectNode event;
        if (fuzz.chance(0.5)) {
          event = generatedImport(fuzz, jsonSeed, csvSeed);
        } else {
          event = importFuzzer.next();
        }
        HttpFuzzer.Answer answer = importFuzzer.invoke(i, event, imports);
        if (answer != null && answer.accepted()) {
          // The dataset file as sent: the raw body, or the content field of a JSON body.
          JsonNode json = tryParse(answer.requestBody());
          acceptedImports.add(json != null && json.path("content").isTextual() ? json.get("content").asText()
              : answer.requestBody());
          importedTotal[0] += answer.body().path("imported").asLong();
        }
      }
    } finally {
      Log.to(System.out);
    }
    queries.report();
    export.report();
    imports.report();

    long rows = 0;
    try (Connection c = stack.connect(); var s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT interaction_id, user_message, detected_intent FROM ai_training_data"
             + " WHERE source = 'imported'")) {
      while (rs.next()) {
        rows++;
        String text = rs.getString(2);
        String label = rs.getString(3);
        assertThat(rs.getString(1)).as("an imported row's id is the hash of its text and label")
            .isEqualTo(DatasetImporter.interactionId(text, label));
        // What PostgreSQL and pgjdbc would damage: NUL (refused) and lone surrogates (stored as '?').
        // The noncharacters U+FFFE/U+FFFF, which record refuses only because SQS does, are text.
        assertThat(text.indexOf('\0')).isNegative();
        assertThat(text.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF)).as("no lone surrogate").isTrue();
        String json = Json.write(text);
        String jsonEscaped = json.substring(1, json.length() - 1);
        assertThat(acceptedImports.stream().anyMatch(body -> body.contains(jsonEscaped) || body.contains(text)
            || body.contains(text.replace("\"", "\"\""))))
            .as("imported text %s was sent in an accepted import", json).isTrue();
      }
    }
    System.out.printf("fuzz import: %d accepted imports reported %d samples imported; %d imported rows stored%n",
        acceptedImports.size(), importedTotal[0], rows);
    assertThat(rows).isEqualTo(importedTotal[0]);
    assertThat(rows).as("the fuzz reached the storing path").isPositive();
  }

  /** Inputs the fuzzing found answered badly once, replayed on every run. */
  @Test
  void inputsTheFuzzingFoundAreAnsweredClearly() {
    for (String at : List.of("-999999999-01-01T00:00:00Z", "-4713-11-24T00:00:00Z", "1999-12-31T23:59:59Z")) {
      // A snapshot of a period before 2000 was a 500 (the database's check refused it; SQLSTATE 23514).
      var answer = Invocations.http(handler, "POST", "/ai/training/snapshot", Map.of(),
          "{\"period_type\": \"daily\", \"at\": \"" + at + "\"}");
      assertThat(answer.status()).as(at).isEqualTo(400);
      assertThat(answer.errorField()).isEqualTo("at");
    }
    // A scheduled event firing in year +1000000000 escaped as a DateTimeException (the period's
    // dates overflowed): a firing time that is not a schedule's is taken as now.
    for (String time : List.of("+1000000000-01-01T00:00:00Z", "1999-12-31T23:59:59Z")) {
      String event = "{\"version\": \"0\", \"detail-type\": \"Scheduled Event\", \"source\": \"aws.events\", "
          + "\"time\": \"" + time + "\", \"resources\": [], \"detail\": {\"period_type\": \"daily\"}}";
      JsonNode answer = Json.parseBody(Invocations.invoke(handler, event));
      assertThat(answer.toString()).as(time).contains("daily");
    }
  }

  /** An import whose dataset lines are generated: valid records mixed with broken ones. */
  private static ObjectNode generatedImport(Fuzz fuzz, ObjectNode jsonSeed, ObjectNode csvSeed) {
    boolean csv = fuzz.chance(0.5);
    StringBuilder content = new StringBuilder();
    if (fuzz.chance(0.1)) {
      content.append('\uFEFF');
    }
    if (csv) {
      content.append(fuzz.pick(new String[] {"user_message,intent", "text,label", "utterance,label", "a,b,c", "",
          "user_message", "\"user_message\",\"intent\""})).append(fuzz.chance(0.2) ? "\r\n" : "\n");
    }
    int lines = 1 + fuzz.nextInt(12);
    for (int l = 0; l < lines; l++) {
      String text = fuzz.chance(0.7) ? fuzz.validText(20) : fuzz.nastyText();
      String label = fuzz.chance(0.8) ? fuzz.pick(new String[] {"card_arrival", "refund_request", "x"}) : fuzz.oddIntent();
      if (csv) {
        String quoted = "\"" + text.replace("\"", "\"\"") + "\"";
        content.append(switch (fuzz.nextInt(6)) {
          case 0 -> text + "," + label;
          case 1 -> quoted + "," + label + ",extra";
          case 2 -> "\"unterminated " + text;
          case 3 -> quoted;
          default -> quoted + "," + label;
        });
      } else {
        ObjectNode record = Fuzz.NODES.objectNode();
        record.put("user_message", text);
        record.put("intent", label);
        if (fuzz.chance(0.2)) {
          record.set(fuzz.pick(new String[] {"confidence_score", "created_at", "source", "was_corrected", "response"}),
              fuzz.anyValue(0));
        }
        content.append(switch (fuzz.nextInt(8)) {
          case 0 -> fuzz.damage(record.toString());
          case 1 -> record.toString().replace("\"user_message\"", "\"text\"");
          case 2 -> "{\"user_message\":\"" + fuzz.pick(new String[] {"\\u0000x", "\\ud800", "a\\udc00b", "\\uFFFE"})
              + "\",\"intent\":\"card_arrival\"}";
          default -> Fuzz.PLAIN.valueToTree(record).toString();
        });
      }
      content.append(fuzz.chance(0.1) ? "\r\n" : "\n");
    }
    if (csv) {
      ObjectNode event = csvSeed.deepCopy();
      if (fuzz.chance(0.5)) {
        event.remove("queryStringParameters");
      }
      event.put("body", content.toString());
      return event;
    }
    ObjectNode event = jsonSeed.deepCopy();
    ObjectNode body = Fuzz.NODES.objectNode();
    body.put("format", "jsonl");
    body.put("content", content.toString());
    event.put("body", fuzz.write(body));
    return event;
  }

  static JsonNode tryParse(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      return null;
    }
  }
}
