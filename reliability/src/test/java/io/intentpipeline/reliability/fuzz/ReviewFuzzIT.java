package io.intentpipeline.reliability.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.correction.CorrectionHandler;
import io.intentpipeline.json.Json;
import io.intentpipeline.log.Log;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TrainingRows;
import io.intentpipeline.testing.TrainingRows.Row;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The correction function's routes fuzzed on a real database holding samples to correct:
 * {@code POST /ai/training/correction} bodies and the query parameters of {@code GET pending-review}
 * and {@code GET errors}. Afterwards the audit table holds one row per correction answered 201,
 * each equal to an accepted input, and nothing else.
 */
class ReviewFuzzIT {
  static final String SAMPLE_ID = "0b8f2f4e-6a35-4c1e-9d3a-5f0e7c2b9a41";
  static TestStack stack;
  static CorrectionHandler handler;
  static final List<String> SAMPLE_IDS = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    stack = TestStack.create("fuzzreview");
    handler = new CorrectionHandler(stack.env());
    List<Row> rows = new ArrayList<>();
    rows.add(Row.detected("card_arrival").id(UUID.fromString(SAMPLE_ID)).confidence(40));
    for (int i = 0; i < 30; i++) {
      rows.add(Row.detected(i % 2 == 0 ? "refund_request" : "card_arrival").message("sample " + i)
          .confidence(i * 3).at(Instant.parse("2026-02-10T10:00:00Z").plusSeconds(i * 3600L)));
    }
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, rows).forEach(id -> SAMPLE_IDS.add(id.toString()));
    }
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void correctionPendingReviewAndErrorsAnswerEveryInputClearly() throws Exception {
    Map<String, List<String>> hints = Map.of(
        "training_data_id", SAMPLE_IDS,
        "correct_intent", List.of("card_arrival", "refund_request", "new_intent", "x".repeat(100)),
        "corrector_id", List.of("7d2c9e41-1f6b-4a8e-b3c5-9e0d8a7f6b12", "not-a-uuid"),
        "intent", List.of("card_arrival", "refund_request", "nope"),
        "limit", List.of("1", "200", "201", "0", "-5", "5000000000"),
        "cursor", List.of("eyJ4IjoxfQ", "abc", "%%%", "eyJhZnRlciI6IjIwMjYtMDEtMDFUMDA6MDA6MDBaIiwiaWQiOiJ4In0"),
        "min_confidence", List.of("0", "100", "101", "-1", "50.5"),
        "max_confidence", List.of("0", "100", "101", "-1", "50.5"),
        "order", List.of("lowest_confidence", "smallest_margin", "diverse", "random", "DIVERSE"));
    List<String[]> accepted = new ArrayList<>();
    int[] created = {0};
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    Log.to(quiet);
    Tally correction;
    Tally reviews;
    try {
      correction = new HttpFuzzer(new Fuzz("correction"), handler,
          List.of("correction-submit.json", "correction-submit.invalid.json"), hints)
          .run("correction (POST /ai/training/correction)", 2500, answer -> {
            if (answer.accepted()) {
              JsonNode body = Json.parseBody(answer.requestBody());
              accepted.add(new String[] {body.get("training_data_id").asText().toLowerCase(),
                  body.get("correct_intent").asText()});
              if (answer.status() == 201) {
                created[0]++;
              }
            }
          });
      reviews = new HttpFuzzer(new Fuzz("review-queries"), handler, List.of("correction-pending-review.json",
          "correction-pending-review.invalid.json", "correction-errors.json", "correction-errors.invalid.json"), hints)
          .run("review queries (GET pending-review, GET errors)", 2500, answer -> { });
    } finally {
      Log.to(System.out);
    }
    correction.report();
    reviews.report();

    Set<String> allowed = new HashSet<>();
    accepted.forEach(a -> allowed.add(a[0] + " " + a[1]));
    int rows = 0;
    try (Connection c = stack.connect(); var s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT training_data_id, corrected_intent FROM ai_intent_corrections")) {
      while (rs.next()) {
        rows++;
        assertThat(allowed).as("a stored correction equals an accepted input")
            .contains(rs.getString(1) + " " + rs.getString(2));
      }
    }
    System.out.printf("fuzz correction: %d corrections answered 201, %d rows in ai_intent_corrections%n",
        created[0], rows);
    assertThat(rows).as("one audit row per correction answered 201").isEqualTo(created[0]);
    assertThat(created[0]).as("the fuzz reached the accepting path").isPositive();
  }
}
