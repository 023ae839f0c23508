package io.intentpipeline.flush;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.record.RecordHandler;
import io.intentpipeline.testing.Events;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.config.Env;
import io.intentpipeline.storage.Database;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The whole ingestion path: 1,000 interactions posted through the record handler, 5% of them
 * posted again, 1% poison messages put straight into the queue, and the flush handler run over
 * what the queue delivers, as the event source mapping would run it (receive, invoke, delete
 * the successes, let failures come back after the visibility timeout until the DLQ takes them).
 * Runs against any SQS and PostgreSQL: ElasticMQ ({@link IngestionEndToEndIT}) or LocalStack
 * ({@link LocalStackIngestionIT}).
 */
final class IngestionScenario {
  /** Where the scenario runs: the functions' environment, an SQS client and the database. */
  record Target(Map<String, String> env, SqsClient sqs, String queueUrl, String dlqUrl, String retrainQueueUrl,
                Database.Settings database) {}

  static final int INTERACTIONS = 1000;
  static final int RESENT = 50;
  static final int RECEIVES_BEFORE_DLQ = 3;
  static final String[] INTENTS = {"purchase_status", "refund_request", "cancel_subscription", "change_address",
      "human_handoff", "greeting", "duplicate_charge", "reverted_card_payment?", "Refund_not_showing_up"};
  static final String[] WORDS = {"where", "is", "my", "order", "refund", "card", "bitte", "¿dónde", "está", "pedido",
      "\uD83D\uDCE6", "\"quoted\"", "back\\slash", "tab\there", "line\nbreak", "カード", "émoji\uD83D\uDE00"};

  private final Target target;

  IngestionScenario(Target target) {
    this.target = target;
  }

  static ObjectNode interaction(Random random, int k) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    if (random.nextBoolean()) {
      node.put("interaction_id", "orc-" + k + "-" + Integer.toHexString(random.nextInt()));
    }
    StringBuilder text = new StringBuilder("m" + k);
    for (int w = random.nextInt(12); w >= 0; w--) {
      text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
    }
    node.put("user_message", text.toString());
    node.put("detected_intent", INTENTS[random.nextInt(INTENTS.length)]);
    node.put("confidence_score", random.nextInt(101));
    if (random.nextInt(4) > 0) {
      node.put("ai_response", "answer to " + text);
    }
    node.put("escalated", random.nextInt(6) == 0);
    if (random.nextBoolean()) {
      node.put("response_source", random.nextBoolean() ? "faq" : "llm");
      node.put("conversation_id", new UUID(random.nextLong(), random.nextLong()).toString());
    }
    if (random.nextInt(3) == 0) {
      ArrayNode top = node.putArray("top_intents");
      top.addObject().put("intent", node.get("detected_intent").asText()).put("confidence", 0.6);
      top.addObject().put("intent", "greeting").put("confidence", 0.25);
    }
    return node;
  }

  static APIGatewayV2HTTPEvent post(JsonNode body) {
    APIGatewayV2HTTPEvent event = Events.load("record-interaction.json", APIGatewayV2HTTPEvent.class);
    event.setBody(Json.write(body));
    return event;
  }

  /** Posts {@code items} (one request, single or batch) and returns the ids the record function answered. */
  static List<String> record(RecordHandler record, List<ObjectNode> items, boolean single) {
    JsonNode body = single ? items.get(0) : Json.MAPPER.createObjectNode().set("interactions",
        Json.MAPPER.createArrayNode().addAll(items));
    JsonNode response = Invocations.invoke(record, post(body), APIGatewayV2HTTPEvent.class);
    assertThat(response.get("statusCode").asInt()).as(response.toString()).isEqualTo(202);
    List<String> ids = new ArrayList<>();
    Invocations.body(response).get("interaction_ids").forEach(id -> ids.add(id.asText()));
    assertThat(ids).hasSize(items.size());
    return ids;
  }

  static SQSEvent eventOf(List<Message> messages) {
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    for (Message m : messages) {
      SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
      record.setMessageId(m.messageId());
      record.setReceiptHandle(m.receiptHandle());
      record.setBody(m.body());
      record.setMd5OfBody(m.md5OfBody());
      Map<String, String> attributes = new HashMap<>();
      m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
      record.setAttributes(attributes);
      record.setMessageAttributes(Map.of());
      record.setEventSource("aws:sqs");
      record.setEventSourceArn("arn:aws:sqs:us-east-1:000000000000:interactions");
      record.setAwsRegion("us-east-1");
      records.add(record);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(records);
    return event;
  }

  int inQueue(String queueUrl) {
    var attributes = target.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .attributes();
    return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  static List<String> poisonBodies() {
    return List.of(
        "this is not json",
        "[\"an\", \"array\"]",
        "{\"v\":2,\"interaction_id\":\"poison-v2\",\"user_message\":\"hi\",\"detected_intent\":\"greeting\","
            + "\"confidence_score\":50,\"occurred_at\":\"2026-11-27T14:05:00Z\"}",
        "{\"v\":1,\"interaction_id\":\"poison-no-message\",\"detected_intent\":\"greeting\",\"confidence_score\":50,"
            + "\"occurred_at\":\"2026-11-27T14:05:00Z\"}",
        "{\"v\":1,\"interaction_id\":\"poison-confidence\",\"user_message\":\"hi\",\"detected_intent\":\"greeting\","
            + "\"confidence_score\":101,\"occurred_at\":\"2026-11-27T14:05:00Z\"}",
        "{\"v\":1,\"interaction_id\":\"poison-nul\",\"user_message\":\"nul\\u0000here\",\"detected_intent\":\"greeting\","
            + "\"confidence_score\":50,\"occurred_at\":\"2026-11-27T14:05:00Z\"}",
        "{\"v\":1,\"interaction_id\":\"poison-surrogate\",\"user_message\":\"half \\ud83d emoji\",\"detected_intent\":\"greeting\","
            + "\"confidence_score\":50,\"occurred_at\":\"2026-11-27T14:05:00Z\"}",
        "{\"v\":1,\"interaction_id\":\"poison-intent\",\"user_message\":\"hi\",\"detected_intent\":\"DROP TABLE x;\","
            + "\"confidence_score\":50,\"occurred_at\":\"2026-11-27T14:05:00Z\"}",
        "{\"v\":1,\"interaction_id\":\"poison-field\",\"user_message\":\"hi\",\"detected_intent\":\"greeting\","
            + "\"confidence_score\":50,\"occurred_at\":\"2026-11-27T14:05:00Z\",\"is_admin\":true}",
        "{\"v\":1,\"interaction_id\":\"poison-uuid\",\"user_message\":\"hi\",\"detected_intent\":\"greeting\","
            + "\"confidence_score\":50,\"occurred_at\":\"2026-11-27T14:05:00Z\",\"user_id\":\"42\"}");
  }

  /** Runs the scenario; its queues must send a message to the DLQ after {@link #RECEIVES_BEFORE_DLQ} receives. */
  void run() throws Exception {
    // Arrange: 1,000 interactions through the record handler, singles and batches.
    Random random = new Random(1127);
    RecordHandler record = new RecordHandler(RecordHandler.service(Env.of(target.env())));
    FlushHandler flush = new FlushHandler(FlushHandler.wiring(Env.of(target.env())));
    List<ObjectNode> posted = new ArrayList<>();
    for (int k = 0; k < INTERACTIONS; k++) {
      posted.add(interaction(random, k));
    }
    Map<String, ObjectNode> expected = new LinkedHashMap<>();
    int next = 0;
    while (next < INTERACTIONS) {
      boolean single = next < 200;
      int size = single ? 1 : Math.min(1 + random.nextInt(120), INTERACTIONS - next);
      List<ObjectNode> items = posted.subList(next, next + size);
      List<String> ids = record(record, items, single);
      for (int k = 0; k < size; k++) {
        expected.put(ids.get(k), items.get(k).deepCopy().put("interaction_id", ids.get(k)));
      }
      next += size;
    }
    // 5% again, with the ids the first answer gave (as a retrying caller would).
    List<String> ids = new ArrayList<>(expected.keySet());
    java.util.Collections.shuffle(ids, random);
    List<ObjectNode> again = ids.subList(0, RESENT).stream().map(expected::get).toList();
    record(record, again.subList(0, 30), false);
    for (ObjectNode single : again.subList(30, RESENT)) {
      record(record, List.of(single), true);
    }
    // 1% poison, straight into the queue.
    List<String> poison = poisonBodies();
    for (String body : poison) {
      target.sqs().sendMessage(b -> b.queueUrl(target.queueUrl()).messageBody(body));
    }

    // Act: the event source mapping, emulated with a short visibility timeout.
    Map<String, Integer> failuresByMessage = new HashMap<>();
    Map<String, String> bodyByMessage = new HashMap<>();
    long deadline = System.nanoTime() + 180_000_000_000L;
    int invocations = 0;
    while (System.nanoTime() < deadline) {
      List<Message> messages = target.sqs().receiveMessage(b -> b.queueUrl(target.queueUrl())
          .maxNumberOfMessages(10).visibilityTimeout(1).waitTimeSeconds(1)
          .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
      if (messages.isEmpty()) {
        if (inQueue(target.queueUrl()) == 0) {
          break;
        }
        continue;
      }
      invocations++;
      messages.forEach(m -> bodyByMessage.put(m.messageId(), m.body()));
      JsonNode response = Invocations.invoke(flush, eventOf(messages), SQSEvent.class);
      Set<String> failed = new HashSet<>();
      response.get("batchItemFailures").forEach(f -> failed.add(f.get("itemIdentifier").asText()));
      for (Message m : messages) {
        if (failed.contains(m.messageId())) {
          failuresByMessage.merge(m.messageId(), 1, Integer::sum);
        } else {
          target.sqs().deleteMessage(b -> b.queueUrl(target.queueUrl()).receiptHandle(m.receiptHandle()));
        }
      }
    }

    // Assert: every good interaction stored exactly once, as posted.
    assertThat(inQueue(target.queueUrl())).as("messages left in the queue").isZero();
    assertThat(invocations).isGreaterThanOrEqualTo((INTERACTIONS + RESENT) / 10);
    Map<String, JsonNode> stored = new HashMap<>();
    try (var c = java.sql.DriverManager.getConnection(target.database().url(), props()); var s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT interaction_id, user_message, detected_intent, confidence_score, ai_response, escalated,"
            + " response_source, conversation_id::text, jsonb_array_length(top_intents), count(*) OVER (PARTITION BY interaction_id)"
            + " FROM ai_training_data")) {
      while (rs.next()) {
        assertThat(rs.getInt(10)).as("copies of %s", rs.getString(1)).isEqualTo(1);
        ObjectNode row = Json.MAPPER.createObjectNode();
        row.put("interaction_id", rs.getString(1));
        row.put("user_message", rs.getString(2));
        row.put("detected_intent", rs.getString(3));
        row.put("confidence_score", rs.getInt(4));
        row.put("ai_response", rs.getString(5));
        row.put("escalated", rs.getBoolean(6));
        row.put("response_source", rs.getString(7));
        row.put("conversation_id", rs.getString(8));
        row.put("top_intents", rs.getObject(9) == null ? 0 : rs.getInt(9));
        stored.put(rs.getString(1), row);
      }
    }
    assertThat(stored).hasSize(INTERACTIONS);
    assertThat(stored.keySet()).isEqualTo(expected.keySet());
    for (var entry : expected.entrySet()) {
      JsonNode want = entry.getValue();
      JsonNode got = stored.get(entry.getKey());
      assertThat(got.get("user_message").asText()).isEqualTo(want.get("user_message").asText());
      assertThat(got.get("detected_intent").asText()).isEqualTo(want.get("detected_intent").asText());
      assertThat(got.get("confidence_score").asInt()).isEqualTo(want.get("confidence_score").asInt());
      assertThat(got.get("ai_response").isNull() ? null : got.get("ai_response").asText())
          .isEqualTo(want.has("ai_response") ? want.get("ai_response").asText() : null);
      assertThat(got.get("escalated").asBoolean()).isEqualTo(want.get("escalated").asBoolean());
      assertThat(got.get("response_source").isNull() ? null : got.get("response_source").asText())
          .isEqualTo(want.has("response_source") ? want.get("response_source").asText() : null);
      assertThat(got.get("conversation_id").isNull() ? null : got.get("conversation_id").asText())
          .isEqualTo(want.has("conversation_id") ? want.get("conversation_id").asText() : null);
      assertThat(got.get("top_intents").asInt()).isEqualTo(want.has("top_intents") ? 2 : 0);
    }
    // Only the poison messages were ever reported, each on every receive, and they sit in the DLQ.
    Set<String> reportedBodies = new HashSet<>();
    failuresByMessage.forEach((id, count) -> {
      reportedBodies.add(bodyByMessage.get(id));
      assertThat(count).as("receives of poison %s", id).isEqualTo(RECEIVES_BEFORE_DLQ);
    });
    assertThat(reportedBodies).containsExactlyInAnyOrderElementsOf(poison);
    List<String> dead = new ArrayList<>();
    while (true) {
      List<Message> batch = target.sqs().receiveMessage(b -> b.queueUrl(target.dlqUrl())
          .maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
      if (batch.isEmpty()) {
        break;
      }
      batch.forEach(m -> {
        dead.add(m.body());
        target.sqs().deleteMessage(b -> b.queueUrl(target.dlqUrl()).receiptHandle(m.receiptHandle()));
      });
    }
    assertThat(dead).containsExactlyInAnyOrderElementsOf(poison);
    assertThat(stored.keySet()).noneMatch(id -> id.startsWith("poison-"));
    // 1,000 new samples crossed the default threshold of 100 once: one retrain request, not ten.
    assertThat(inQueue(target.retrainQueueUrl())).isEqualTo(1);
  }

  private java.util.Properties props() {
    var props = new java.util.Properties();
    if (target.database().user() != null) {
      props.setProperty("user", target.database().user());
    }
    if (target.database().password() != null) {
      props.setProperty("password", target.database().password());
    }
    return props;
  }
}
