package io.intentpipeline.reliability.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.flush.FlushHandler;
import io.intentpipeline.json.Json;
import io.intentpipeline.interaction.TextRules;
import io.intentpipeline.log.Log;
import io.intentpipeline.record.RecordHandler;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.TestStack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ingestion fuzzed end to end on real servers: {@code POST /ai/training/interactions} (record, into
 * the ElasticMQ queue) and SQS batches of generated message bodies (flush, into PostgreSQL). Then
 * the queue is drained through the flush route, and the table must hold exactly one row per
 * accepted interaction id, each equal to an input that was accepted with that id, and nothing else.
 */
class IngestionFuzzIT {
  static TestStack stack;
  static RecordHandler record;
  static FlushHandler flush;
  /** interaction id -> the contents accepted under that id (record 202s, flush messages not failed). */
  static final Map<String, List<Stored>> ACCEPTED = new HashMap<>();
  /** Ids seen only in refused input: none may be stored. */
  static final Set<String> REFUSED_IDS = new HashSet<>();
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  record Stored(String message, String intent, int confidence, String response) {}

  static final Map<String, List<String>> HINTS = Map.of(
      "detected_intent", List.of("refund_request", "card_arrival", "a", "A".repeat(100), "x?y"),
      "confidence_score", List.of("50", "0", "100"),
      "source", List.of("live", "imported", "synthetic", "LIVE", "other"),
      "response_source", List.of("faq", "llm", "Faq", "a".repeat(33)),
      "occurred_at", List.of(HttpFuzzer.DATES),
      "interaction_id", List.of("ok-1", ".dot", "a".repeat(129), "with space", "é"));

  @BeforeAll
  static void start() {
    stack = TestStack.create("fuzzingest");
    var env = stack.env().with(Map.of("FLUSH_DRAIN_SECONDS", "60", "RETRAIN_THRESHOLD", "1000000"));
    record = new RecordHandler(env);
    flush = new FlushHandler(env);
  }

  @AfterAll
  static void stop() {
    Log.to(System.out);
    stack.close();
  }

  @Test
  void recordAndFlushAnswerEveryInputClearlyAndStoreOnlyWhatTheyAccepted() throws Exception {
    Log.to(QUIET);
    Tally recordTally = fuzzRecord();
    Tally flushTally = fuzzFlushBatches();
    int drained = drain();
    Log.to(System.out);
    recordTally.report();
    flushTally.report();

    try (Connection c = stack.connect(); var s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT interaction_id, user_message, detected_intent, confidence_score,"
             + " ai_response FROM ai_training_data")) {
      int rows = 0;
      while (rs.next()) {
        rows++;
        String id = rs.getString(1);
        Stored stored = new Stored(rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5));
        assertThat(ACCEPTED).as("a stored row whose id was never accepted: %s", id).containsKey(id);
        assertThat(ACCEPTED.get(id)).as("row %s equals an input accepted with its id", id).contains(stored);
        TextRules.check(stored.message(), "user_message", 10_000);
      }
      System.out.printf("fuzz ingestion: %d interaction ids accepted, %d rows stored, %d drained from the queue%n",
          ACCEPTED.size(), rows, drained);
      assertThat(rows).as("one row per accepted interaction id").isEqualTo(ACCEPTED.size());
    }
    Set<String> refusedOnly = new HashSet<>(REFUSED_IDS);
    refusedOnly.removeAll(ACCEPTED.keySet());
    // PostgreSQL cannot hold NUL in text at all: such ids cannot have been stored.
    refusedOnly.removeIf(id -> id.indexOf('\0') >= 0);
    try (Connection c = stack.connect();
         var s = c.prepareStatement("SELECT count(*) FROM ai_training_data WHERE interaction_id = ANY (?)")) {
      s.setArray(1, c.createArrayOf("text", refusedOnly.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).as("rows stored from refused input").isZero();
      }
    }
  }

  // ------------------------------------------------------------------------------------ record

  private Tally fuzzRecord() {
    Fuzz fuzz = new Fuzz("record");
    HttpFuzzer fuzzer = new HttpFuzzer(fuzz, record, List.of("record-interaction.json", "record-batch.json",
        "record-interaction.invalid.json", "record-batch.invalid.json"), HINTS);
    ObjectNode template = (ObjectNode) Json.parseBody(Invocations.eventText("record-interaction.json"));
    Tally tally = new Tally("record (POST /ai/training/interactions)", fuzz.seed);
    int n = fuzz.iterations(3000);
    for (int i = 0; i < n; i++) {
      ObjectNode event;
      if (fuzz.chance(0.15)) {
        // A valid interaction of any text: these are the inputs whose storage is checked.
        event = template.deepCopy();
        ObjectNode body = validInteraction(fuzz, "rec-" + fuzz.seed + "-" + i);
        event.put("body", fuzz.write(fuzz.chance(0.2) ? fuzz.mutate(body, HINTS) : body));
      } else {
        event = fuzzer.next();
      }
      HttpFuzzer.Answer answer = fuzzer.invoke(i, event, tally);
      if (answer != null) {
        remember(answer);
      }
    }
    return tally;
  }

  static ObjectNode validInteraction(Fuzz fuzz, String id) {
    ObjectNode body = Fuzz.NODES.objectNode();
    body.put("interaction_id", id);
    body.put("user_message", fuzz.validText(fuzz.chance(0.05) ? 3000 : 40));
    body.put("detected_intent", fuzz.pick(new String[] {"refund_request", "card_arrival", "x", "Z9_.:/?!-"}));
    body.put("confidence_score", fuzz.nextInt(101));
    if (fuzz.chance(0.5)) {
      body.put("ai_response", fuzz.validText(60));
    }
    if (fuzz.chance(0.3)) {
      body.put("escalated", fuzz.chance(0.5));
    }
    return body;
  }

  private static void remember(HttpFuzzer.Answer answer) {
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(answer.requestBody());
    } catch (Exception e) {
      assertThat(answer.accepted()).as("a body that is not JSON was accepted").isFalse();
      return;
    }
    List<JsonNode> items = new ArrayList<>();
    if (body != null && body.has("interactions") && body.get("interactions").isArray()) {
      body.get("interactions").forEach(items::add);
    } else if (body != null) {
      items.add(body);
    }
    if (!answer.accepted()) {
      items.forEach(item -> {
        if (item.path("interaction_id").isTextual()) {
          REFUSED_IDS.add(item.get("interaction_id").asText());
        }
      });
      return;
    }
    JsonNode ids = answer.body().path("interaction_ids");
    assertThat(ids.size()).as("ids answered for an accepted request").isEqualTo(items.size());
    for (int k = 0; k < items.size(); k++) {
      accept(ids.get(k).asText(), items.get(k));
    }
  }

  private static void accept(String id, JsonNode item) {
    JsonNode response = item.get("ai_response");
    ACCEPTED.computeIfAbsent(id, x -> new ArrayList<>()).add(new Stored(item.get("user_message").asText(),
        item.get("detected_intent").asText(), item.get("confidence_score").asInt(),
        response == null || response.isNull() ? null : response.asText()));
  }

  // ------------------------------------------------------------------------------------- flush

  /** SQS batches of 1-10 messages: valid, mutated, damaged and random bodies in real SQS event JSON. */
  private Tally fuzzFlushBatches() throws Exception {
    Fuzz fuzz = new Fuzz("flush-sqs");
    ObjectNode sample = (ObjectNode) Json.parseBody(Invocations.eventText("flush-sqs.json"));
    ObjectNode recordTemplate = (ObjectNode) sample.get("Records").get(0);
    List<JsonNode> seedBodies = new ArrayList<>();
    sample.get("Records").forEach(r -> seedBodies.add(Json.parseBody(r.get("body").asText())));
    Tally tally = new Tally("flush (SQS message bodies)", fuzz.seed);
    int n = fuzz.iterations(3000);
    int i = 0;
    while (i < n) {
      ObjectNode event = Fuzz.NODES.objectNode();
      ArrayNode records = event.putArray("Records");
      Map<String, String> bodies = new HashMap<>();
      int size = Math.min(n - i, 1 + fuzz.nextInt(10));
      for (int k = 0; k < size; k++) {
        String body = messageBody(fuzz, seedBodies, i + k);
        while (body.getBytes(StandardCharsets.UTF_8).length > SQS_MAX_MESSAGE_BYTES) {
          // No flush receives a batch over 6 MB (see SQS_MAX_MESSAGE_BYTES).
          body = messageBody(fuzz, seedBodies, i + k);
        }
        String messageId = fuzz.uuid().toString();
        ObjectNode message = recordTemplate.deepCopy();
        message.put("messageId", messageId);
        message.put("body", body);
        records.add(message);
        bodies.put(messageId, HttpFuzzer.delivered(body));
      }
      String payload = event.toString();
      String response;
      try {
        var out = new ByteArrayOutputStream();
        flush.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out, null);
        response = out.toString(StandardCharsets.UTF_8);
      } catch (Throwable e) {
        for (int k = 0; k < size; k++) {
          tally.failed(i + k, "exception escaped the flush handler: " + e, payload);
        }
        i += size;
        continue;
      }
      Set<String> failed = new HashSet<>();
      JsonNode answer = Json.MAPPER.readTree(response);
      answer.path("batchItemFailures").forEach(f -> failed.add(f.path("itemIdentifier").asText()));
      assertThat(bodies.keySet()).as("batchItemFailures name messages of the batch").containsAll(failed);
      for (var entry : bodies.entrySet()) {
        JsonNode body = tryParse(entry.getValue());
        String id = body != null && body.path("interaction_id").isTextual() ? body.get("interaction_id").asText() : null;
        if (failed.contains(entry.getKey())) {
          tally.answered(false, "batchItemFailure");
          if (id != null) {
            REFUSED_IDS.add(id);
          }
        } else {
          tally.answered(true, "stored");
          if (id == null) {
            tally.failed(i, "a message without an interaction id was taken as stored", entry.getValue());
          } else {
            accept(id, body);
          }
        }
      }
      i += size;
    }
    return tally;
  }

  /**
   * The largest message body generated: 256 KiB. SQS accepts up to 1 MiB, but the event source
   * mapping keeps a batch under Lambda's 6 MB payload, and a batch here has up to ten messages.
   */
  private static final int SQS_MAX_MESSAGE_BYTES = 262_144;

  private String messageBody(Fuzz fuzz, List<JsonNode> seeds, int i) {
    ObjectNode seed = (ObjectNode) fuzz.pick(seeds).deepCopy();
    int roll = fuzz.nextInt(100);
    if (roll < 30) {
      ObjectNode valid = validInteraction(fuzz, "sqs-" + fuzz.seed + "-" + i);
      seed.setAll(valid);
      return fuzz.write(seed);
    }
    if (roll < 75) {
      seed.put("interaction_id", "sqsm-" + fuzz.seed + "-" + i);
      return fuzz.write(fuzz.mutate(seed, HINTS));
    }
    if (roll < 90) {
      return fuzz.damage(fuzz.write(seed));
    }
    return fuzz.chance(0.5) ? fuzz.randomChars(fuzz.nextInt(200)) : fuzz.nastyText();
  }

  private static JsonNode tryParse(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      return null;
    }
  }

  /** Drains the queue the record fuzz filled through {@code POST /ai/training/flush}. */
  private static int drain() {
    int stored = 0;
    for (int round = 0; round < 50; round++) {
      var answer = Invocations.http(flush, "POST", "/ai/training/flush", Map.of(), null);
      assertThat(answer.status()).as("flush drain: %s", answer.body()).isEqualTo(200);
      stored += answer.body().path("received").asInt();
      if (answer.body().path("queue_empty").asBoolean() && answer.body().path("received").asInt() == 0) {
        return stored;
      }
    }
    throw new AssertionError("the queue did not drain");
  }
}
