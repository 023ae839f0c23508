package io.intentpipeline.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.json.Json;
import io.intentpipeline.local.cli.demo.DemoDataset;
import io.intentpipeline.ml.IntentModel;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.ml.Trainer;
import io.intentpipeline.ml.TrainingProfile;
import io.intentpipeline.serving.S3ModelObject;
import io.intentpipeline.storage.Database;
import io.intentpipeline.testing.Events;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The project's template.yaml served in-process by the local stack (its own database, free
 * ports, a temporary data folder, fast schedules), driven over HTTP as a user would.
 */
class LocalStackIT {
  @TempDir
  static Path dataDir;

  private static FreshDatabase database;
  private static Database.Settings settings;
  private static LocalStack stack;
  private static Api api;

  @BeforeAll
  static void start() {
    database = PostgresServer.shared().createDatabase("localstack");
    settings = new Database.Settings(database.jdbcUrl(), database.user(), database.password(), 2);
    // Predict re-checks the latest model every second here (60 s by default).
    LocalStack.Options options = LocalStack.Options.defaults(Events.projectRoot()).withDataDir(dataDir).fast()
        .withValues(Map.of("ModelRefreshSeconds", "1"), Map.of());
    stack = LocalStack.start(options, settings);
    api = new Api(stack.apiUrl());
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
    if (database != null) {
      database.close();
    }
  }

  private static int count(String sql, Object... args) {
    try (Connection c = database.connect(); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int inQueue(String logicalId, QueueAttributeName attribute) {
    return Integer.parseInt(stack.sqs().getQueueAttributes(b -> b.queueUrl(stack.queueUrl(logicalId))
        .attributeNames(attribute)).attributes().get(attribute));
  }

  @Test
  void recordFlushReviewCorrectAndMeasureOverHttp() {
    // Arrange: 30 interactions the bot was unsure about.
    List<Map<String, Object>> interactions = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      interactions.add(Map.of("interaction_id", "loop-" + i, "user_message", "where is my parcel number " + i,
          "detected_intent", "loop_order_status", "confidence_score", 20 + i, "escalated", i % 10 == 0));
    }

    // Act: record, then flush now.
    Api.Answer recorded = api.post("/ai/training/interactions", Json.write(Map.of("interactions", interactions)));
    Api.Answer flushed = api.post("/ai/training/flush", "");

    // Assert: every interaction is stored once (by the flush or by the queue's event source).
    assertThat(recorded.status()).as(recorded.text()).isEqualTo(202);
    assertThat(recorded.json().path("accepted").asInt()).isEqualTo(30);
    assertThat(flushed.status()).as(flushed.text()).isEqualTo(200);
    Api.await("30 stored interactions", Duration.ofSeconds(30),
        () -> count("SELECT count(*) FROM ai_training_data WHERE interaction_id LIKE 'loop-%'") == 30);

    // Act: a reviewer takes the least confident one and corrects it.
    Api.Answer pending = api.get("/ai/training/pending-review?intent=loop_order_status&limit=5");
    JsonNode first = pending.json().path("items").path(0);
    Api.Answer corrected = api.post("/ai/training/correction", Json.write(Map.of(
        "training_data_id", first.path("id").asText(), "correct_intent", "loop_refund_request")));

    // Assert
    assertThat(pending.status()).isEqualTo(200);
    assertThat(first.path("confidence_score").asInt()).isEqualTo(20);
    assertThat(pending.json().path("items")).hasSize(5);
    assertThat(corrected.status()).as(corrected.text()).isEqualTo(201);
    assertThat(corrected.json().path("was_mismatch").asBoolean()).isTrue();
    Api.Answer errors = api.get("/ai/training/errors?correct_intent=loop_refund_request");
    assertThat(errors.json().path("items")).hasSize(1);
    assertThat(errors.json().path("items").path(0).path("detected_intent").asText()).isEqualTo("loop_order_status");

    // Act / Assert: metrics, statistics and an on-demand snapshot see it.
    JsonNode metrics = api.get("/ai/training/metrics?hours=24").json();
    assertThat(metrics.path("total_messages").asInt()).isGreaterThanOrEqualTo(30);
    assertThat(metrics.path("top_intents").path("loop_order_status").asInt()).isEqualTo(30);
    JsonNode stats = api.get("/ai/training/dataset/stats").json();
    assertThat(stats.path("intents").findValuesAsText("intent")).contains("loop_refund_request");
    Api.Answer snapshot = api.post("/ai/training/snapshot", "{\"period_type\": \"daily\"}");
    assertThat(snapshot.status()).as(snapshot.text()).isEqualTo(200);
    assertThat(snapshot.json().path("period_type").asText()).isEqualTo("daily");
  }

  @Test
  void theEventSourceStoresGoodMessagesAndSendsPoisonToTheDeadLetterQueueAfterFiveReceives() {
    // Arrange: five good messages and two poison ones straight into the queue.
    String queue = stack.queueUrl("InteractionsQueue");
    String now = Instant.now().toString();
    for (int i = 0; i < 5; i++) {
      String body = "{\"v\":1,\"interaction_id\":\"sqs-" + i + "\",\"user_message\":\"hello " + i
          + "\",\"detected_intent\":\"sqs_greeting\",\"confidence_score\":90,\"occurred_at\":\"" + now + "\"}";
      stack.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(body));
    }
    List<String> poison = List.of("not json at all",
        "{\"v\":1,\"interaction_id\":\"sqs-poison\",\"user_message\":\"x\",\"detected_intent\":\"DROP TABLE\","
            + "\"confidence_score\":90,\"occurred_at\":\"" + now + "\"}");
    poison.forEach(body -> stack.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(body)));

    // Act: the event source polls on its own (visibility timeout capped at 2 s for the test).
    Api.await("the good messages stored", Duration.ofSeconds(30),
        () -> count("SELECT count(*) FROM ai_training_data WHERE interaction_id LIKE 'sqs-%'") == 5);
    Api.await("the poison messages in the dead-letter queue", Duration.ofSeconds(90),
        () -> inQueue("InteractionsDeadLetterQueue", QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES) == 2);

    // Assert: only the poison ones were retried, each received 5 times before moving.
    var moved = stack.sqs().receiveMessage(b -> b.queueUrl(stack.queueUrl("InteractionsDeadLetterQueue"))
        .maxNumberOfMessages(10).messageSystemAttributeNamesWithStrings("All")).messages();
    assertThat(moved).extracting(m -> m.body()).containsExactlyInAnyOrderElementsOf(poison);
    assertThat(count("SELECT count(*) FROM ai_training_data WHERE interaction_id = 'sqs-poison'")).isZero();
  }

  @Test
  void theSchedulesFireAndFreezeEveryPeriodType() {
    // Act: fast timers fire every schedule of the template every few seconds.
    Api.await("a snapshot of each period type", Duration.ofSeconds(60), () -> {
      JsonNode items = api.get("/ai/training/metrics/history?limit=50").json().path("items");
      return items.findValuesAsText("period_type").containsAll(List.of("hourly", "daily", "weekly", "monthly"));
    });

    // Assert
    assertThat(stack.schedulesFired()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void answersLikeApiGatewayOutsideTheRoutesAndPassesRequestsAsTheRealApiDoes() {
    // Act
    Api.Answer unknown = api.get("/ai/training/nothing-here");
    Api.Answer wrongMethod = api.get("/ai/training/flush");
    Api.Answer wrongPredict = api.send("DELETE", "/ai/training/predict", "application/json", new byte[0]);
    Api.Answer latin1 = api.send("POST", "/ai/training/interactions", "application/json",
        "{\"user_message\": \"Où est ma commande?\", \"detected_intent\": \"order_status\", \"confidence_score\": 80}"
            .getBytes(StandardCharsets.ISO_8859_1));
    Api.Answer repeated = api.get("/ai/training/pending-review?limit=5&limit=6");
    Api.Answer badJson = api.post("/ai/training/interactions", "{not json");
    Api.Answer binary = api.send("POST", "/ai/training/interactions", "application/octet-stream",
        "{\"user_message\": \"hola\", \"detected_intent\": \"greeting\", \"confidence_score\": 99}"
            .getBytes(StandardCharsets.UTF_8));

    // Assert
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().path("message").asText()).isEqualTo("Not Found");
    // A path the template routes, with another method: 405 with Allow, as the README documents.
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.allow()).isEqualTo("POST");
    assertThat(wrongMethod.json().path("error").path("code").asText()).isEqualTo("method_not_allowed");
    assertThat(wrongPredict.status()).isEqualTo(405);
    assertThat(wrongPredict.allow()).isEqualTo("GET, POST");
    // Bytes that are not UTF-8 (sent base64 by the stack, as API Gateway does) are refused, not stored.
    assertThat(latin1.status()).as(latin1.text()).isEqualTo(400);
    assertThat(latin1.json().path("error").path("message").asText()).contains("not valid UTF-8");
    assertThat(repeated.status()).isEqualTo(400);
    assertThat(repeated.json().path("error").path("field").asText()).isEqualTo("limit");
    assertThat(badJson.status()).isEqualTo(400);
    assertThat(badJson.json().path("error").path("field").asText()).isEqualTo("body");
    assertThat(binary.status()).as(binary.text()).isEqualTo(202);
  }

  @Test
  void predictServesTheLatestModelAndAnAdminRollbackByS3CopyServesTheOlderOne() {
    // Arrange: two deployed versions of a model of the sample dataset, the newer one in service.
    List<TrainingSample> samples = new ArrayList<>();
    DemoDataset.load().values().forEach(samples::addAll);
    IntentModel model = new Trainer(TrainingProfile.DEFAULT).train(samples, List.of(), 11).model();
    String bucket = stack.buckets().get("ModelBucket");
    String older = "intent_classifier_20261101_020000";
    String newer = "intent_classifier_20261102_020000";
    for (String version : List.of(older, newer)) {
      byte[] bytes = ModelCodec.write(model.withMetadata(model.metadata().withRun(UUID.randomUUID().toString(), version)));
      stack.s3().putObject(b -> b.bucket(bucket).key("models/" + version + ".model"), RequestBody.fromBytes(bytes));
    }
    stack.s3().copyObject(b -> b.sourceBucket(bucket).sourceKey("models/" + newer + ".model")
        .destinationBucket(bucket).destinationKey(S3ModelObject.LATEST_KEY));

    // Act
    Api.Answer first = api.get("/ai/training/predict?text=where%20is%20my%20parcel");
    stack.s3().copyObject(b -> b.sourceBucket(bucket).sourceKey("models/" + older + ".model")
        .destinationBucket(bucket).destinationKey(S3ModelObject.LATEST_KEY));

    // Assert: the newer model answered, then the older one within the refresh interval.
    assertThat(first.status()).as(first.text()).isEqualTo(200);
    assertThat(first.json().path("model_version").asText()).isEqualTo(newer);
    assertThat(first.json().path("intent").asText()).isEqualTo("order_status");
    Api.await("predict serving the rolled-back model", Duration.ofSeconds(20), () ->
        older.equals(api.post("/ai/training/predict", "{\"text\": \"¿dónde está mi pedido?\"}").json()
            .path("model_version").asText()));
  }

  @Test
  void eachFunctionGetsTheEnvironmentItsTemplateDeclaresPointingAtTheStack() {
    // Act
    var flush = stack.environment("FlushFunction");
    var record = stack.environment("RecordFunction");

    // Assert
    assertThat(flush.required("DATABASE_URL")).isEqualTo(settings.url());
    assertThat(flush.required("INTERACTIONS_QUEUE_URL")).isEqualTo(stack.queueUrl("InteractionsQueue"));
    assertThat(flush.required("RETRAIN_QUEUE_URL")).isEqualTo(stack.queueUrl("RetrainQueue"));
    assertThat(flush.required("RETRAIN_THRESHOLD")).isEqualTo("100");
    assertThat(flush.required("AWS_ENDPOINT_URL_SQS")).isEqualTo(stack.sqsEndpoint().toString());
    assertThat(flush.required("AWS_LAMBDA_FUNCTION_NAME")).isEqualTo("FlushFunction");
    assertThat(record.optional("DATABASE_URL")).as("not declared for the record function").isEmpty();
    assertThat(record.required("INTERACTIONS_QUEUE_URL")).isEqualTo(stack.queueUrl("InteractionsQueue"));
  }
}
