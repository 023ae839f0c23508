package io.intentpipeline.reliability.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.log.Log;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.train.TrainHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The train function fuzzed on real servers: {@code POST /ai/training/run} bodies (a 202 queues
 * the run on the real retrain queue), {@code GET /ai/training/runs} parameters, and the retrain
 * queue's message bodies in SQS events (a malformed one must be a batch item failure, a valid one
 * runs). Afterwards every recorded run comes from an accepted message.
 */
class TrainFuzzIT {
  static TestStack stack;
  static TrainHandler handler;

  @BeforeAll
  static void start() {
    stack = TestStack.create("fuzztrain");
    handler = new TrainHandler(stack.env());
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void runRunsAndRetrainMessagesAnswerEveryInputClearly() throws Exception {
    Map<String, List<String>> hints = Map.of(
        "run_type", List.of("full", "incremental", "intent_only", "partial", "FULL"),
        "run_name", List.of("a", "x".repeat(200), "x".repeat(201), "name with spaces", "é"),
        "min_confidence", List.of("0", "100", "101", "-1"),
        "only_reviewed", List.of("true", "false", "1"),
        "limit", List.of("1", "100", "101", "0", "-1", "1000000"),
        "status", List.of("running", "completed", "failed", "skipped", "done"),
        "run_id", List.of("3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8a9b", "3F2B6C1E-8D4A-4F7E-9B1C-2A5D6E7F8A9B", "nope"),
        "cursor", List.of("abc", "eyJ4IjoxfQ", "%%%"));
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    Log.to(quiet);
    Tally run;
    Tally runs;
    Tally queue;
    Set<String> acceptedRunIds = new HashSet<>();
    int[] acceptedMessages = {0};
    try {
      run = new HttpFuzzer(new Fuzz("run"), handler, List.of("train-run.json", "train-run.invalid.json"), hints)
          .run("run (POST /ai/training/run)", 600, answer -> {
            if (answer.accepted()) {
              assertThat(answer.status()).isEqualTo(202);
              assertThat(answer.body().path("run_id").asText()).isNotBlank();
            }
          });
      runs = new HttpFuzzer(new Fuzz("runs"), handler, List.of("train-runs.json", "train-runs.invalid.json"), hints)
          .run("runs (GET /ai/training/runs)", 2000, answer -> { });
      queue = fuzzRetrainQueue(hints, acceptedRunIds, acceptedMessages);
    } finally {
      Log.to(System.out);
    }
    run.report();
    runs.report();
    queue.report();

    int rows = 0;
    try (Connection c = stack.connect(); var s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT id, triggered_by FROM ai_training_runs")) {
      while (rs.next()) {
        rows++;
        if ("api".equals(rs.getString(2))) {
          assertThat(acceptedRunIds).as("an API run recorded under an accepted message's run id")
              .contains(rs.getString(1));
        }
      }
    }
    System.out.printf("fuzz retrain queue: %d messages taken, %d runs recorded%n", acceptedMessages[0], rows);
    assertThat(rows).as("runs recorded from accepted messages only").isLessThanOrEqualTo(acceptedMessages[0]);
  }

  /** Retrain queue batches of one message (the mapping's batch size): valid, mutated, damaged, random. */
  private Tally fuzzRetrainQueue(Map<String, List<String>> hints, Set<String> acceptedRunIds, int[] accepted)
      throws Exception {
    Fuzz fuzz = new Fuzz("retrain-queue");
    ObjectNode sample = (ObjectNode) Json.parseBody(Invocations.eventText("train-retrain-queue.json"));
    ObjectNode template = (ObjectNode) sample.get("Records").get(0);
    ObjectNode newSamples = (ObjectNode) Json.parseBody(template.get("body").asText());
    ObjectNode apiRun = Fuzz.NODES.objectNode();
    apiRun.put("v", 1);
    apiRun.put("reason", "api");
    apiRun.put("requested_at", "2026-03-01T06:58:12Z");
    apiRun.putObject("run").put("run_type", "full").put("run_name", "fuzzed");
    Tally tally = new Tally("retrain queue (SQS message bodies)", fuzz.seed);
    int n = fuzz.iterations(600);
    for (int i = 0; i < n; i++) {
      ObjectNode seed = (fuzz.chance(0.5) ? newSamples : apiRun).deepCopy();
      if (seed.has("run")) {
        seed.put("run_id", fuzz.uuid().toString());
      }
      String body = switch (fuzz.nextInt(10)) {
        case 0 -> fuzz.write(seed);
        case 1, 2 -> fuzz.damage(fuzz.write(seed));
        case 3 -> fuzz.randomChars(fuzz.nextInt(100));
        default -> fuzz.write(fuzz.mutate(seed, hints));
      };
      body = HttpFuzzer.delivered(body);
      ObjectNode event = Fuzz.NODES.objectNode();
      ArrayNode records = event.putArray("Records");
      ObjectNode message = template.deepCopy();
      String messageId = fuzz.uuid().toString();
      message.put("messageId", messageId);
      message.put("body", body);
      records.add(message);
      String payload = event.toString();
      JsonNode answer;
      try {
        var out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out, null);
        answer = Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
      } catch (Throwable e) {
        tally.failed(i, "exception escaped the train handler: " + e, body);
        continue;
      }
      if (answer.path("batchItemFailures").size() > 0) {
        assertThat(answer.path("batchItemFailures").get(0).path("itemIdentifier").asText()).isEqualTo(messageId);
        tally.answered(false, "batchItemFailure");
      } else {
        tally.answered(true, "run");
        accepted[0]++;
        JsonNode parsed = Json.MAPPER.readTree(body);
        if ("api".equals(parsed.path("reason").asText()) && parsed.path("run_id").isTextual()) {
          acceptedRunIds.add(UUID.fromString(parsed.get("run_id").asText()).toString());
        }
      }
    }
    return tally;
  }
}
