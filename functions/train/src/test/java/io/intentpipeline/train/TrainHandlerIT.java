package io.intentpipeline.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.storage.ModelStore;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.Invocations.HttpResult;
import io.intentpipeline.testing.SyntheticIntents;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TrainingRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.model.Message;

/** The train function through its handler: the events of events/ and built requests, real servers. */
class TrainHandlerIT {
  static TestStack stack;
  static TrainHandler handler;

  @BeforeAll
  static void start() {
    stack = TestStack.create("trainhandler");
    handler = new TrainHandler(stack.env());
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @BeforeEach
  void empty() throws SQLException {
    try (Connection c = stack.connect()) {
      TrainingRows.clear(c);
    }
    for (S3Object o : stack.s3().listObjectsV2(b -> b.bucket(stack.bucket())).contents()) {
      stack.s3().deleteObject(b -> b.bucket(stack.bucket()).key(o.key()));
    }
    stack.sqs().purgeQueue(b -> b.queueUrl(stack.retrainQueueUrl()));
  }

  private static void samples(int perIntent, long seed) throws SQLException {
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, new SyntheticIntents(3, 0.1, seed).rows(perIntent));
    }
  }

  private static JsonNode json(String text) {
    return Json.parseBody(text);
  }

  private static HttpResult runs(Map<String, String> query) {
    return Invocations.get(handler, "/ai/training/runs", query);
  }

  private static List<Message> queued() {
    return stack.sqs().receiveMessage(b -> b.queueUrl(stack.retrainQueueUrl()).maxNumberOfMessages(10)
        .waitTimeSeconds(1)).messages();
  }

  /** An SQS event of the retrain queue holding {@code bodies}, as the event source mapping builds it. */
  private static String sqsEvent(List<String> bodies) {
    ObjectNode event = Json.MAPPER.createObjectNode();
    ArrayNode records = event.putArray("Records");
    int n = 0;
    for (String body : bodies) {
      ObjectNode r = records.addObject();
      r.put("messageId", "m-" + (++n));
      r.put("receiptHandle", "r-" + n);
      r.put("body", body);
      r.put("eventSource", "aws:sqs");
      r.put("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:retrain");
      r.put("awsRegion", "us-east-1");
    }
    return Json.write(event);
  }

  @Test
  void theNightlyScheduleEventRunsAnIncrementalRun() throws Exception {
    samples(20, 1);

    JsonNode outcome = json(Invocations.invokeFile(handler, "train-schedule-nightly.json"));

    assertThat(outcome.path("status").asText()).isEqualTo("completed");
    assertThat(outcome.path("deployed").asBoolean()).isTrue();
    assertThat(outcome.path("stage_seconds").fieldNames()).toIterable()
        .containsExactly("fetch", "clean", "train", "evaluate", "deploy", "rescore", "record");
    JsonNode run = runs(Map.of()).body().path("items").get(0);
    assertThat(run.path("run_type").asText()).isEqualTo("incremental");
    assertThat(run.path("triggered_by").asText()).isEqualTo("schedule");
    assertThat(stack.s3().headObject(b -> b.bucket(stack.bucket()).key(ModelStore.LATEST_KEY)).contentLength()).isPositive();
  }

  @Test
  void aScheduleWithABadDetailFailsNamingTheFieldAndRunsNothing() throws Exception {
    samples(20, 2);

    assertThatThrownBy(() -> Invocations.invokeFile(handler, "train-schedule-nightly.invalid.json"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("detail.run_type");
    assertThat(runs(Map.of()).body().path("items")).isEmpty();
  }

  @Test
  void theRetrainQueueEventRunsAFullRunAndAPoisonMessageIsReportedAlone() throws Exception {
    samples(20, 3);

    JsonNode good = json(Invocations.invokeFile(handler, "train-retrain-queue.json"));
    JsonNode bad = json(Invocations.invokeFile(handler, "train-retrain-queue.invalid.json"));

    assertThat(good.path("batchItemFailures")).isEmpty();
    JsonNode run = runs(Map.of()).body().path("items").get(0);
    assertThat(run.path("triggered_by").asText()).isEqualTo("queue");
    assertThat(run.path("run_type").asText()).isEqualTo("full");
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("parameters").path("requested_at").asText()).isEqualTo("2026-03-01T06:58:12.345678Z");
    assertThat(bad.path("batchItemFailures")).extracting(f -> f.path("itemIdentifier").asText())
        .containsExactly("9d3e7c1a-0001-4c1e-9a57-3b1d2e4f5a60", "9d3e7c1a-0002-4c1e-9a57-3b1d2e4f5a61");
    assertThat(runs(Map.of()).body().path("items")).hasSize(1);
  }

  @Test
  void theSameRetrainMessageDeliveredAgainDoesNotTrainAgain() throws Exception {
    samples(20, 4);

    Invocations.invokeFile(handler, "train-retrain-queue.json");
    // The sample's request time lies before the run it started, so that run served it.
    JsonNode again = json(Invocations.invokeFile(handler, "train-retrain-queue.json"));

    assertThat(again.path("batchItemFailures")).isEmpty();
    assertThat(runs(Map.of()).body().path("items")).hasSize(1);
  }

  @Test
  void postQueuesTheRunAndTheQueueRunsItUnderTheIdTheCallerGot() throws Exception {
    samples(20, 5);

    HttpResult accepted = Invocations.httpFile(handler, "train-run.json");
    List<Message> messages = queued();
    JsonNode consumed = json(Invocations.invoke(handler, sqsEvent(messages.stream().map(Message::body).toList())));
    String runId = accepted.body().path("run_id").asText();
    HttpResult status = runs(Map.of("run_id", runId));

    assertThat(accepted.status()).isEqualTo(202);
    assertThat(accepted.body().path("status").asText()).isEqualTo("queued");
    assertThat(accepted.body().path("run_name").asText()).isEqualTo("manual_after_review");
    assertThat(accepted.headers()).containsEntry("location", "/ai/training/runs?run_id=" + runId);
    assertThat(messages).hasSize(1);
    assertThat(consumed.path("batchItemFailures")).isEmpty();
    JsonNode run = status.body().path("items").get(0);
    assertThat(run.path("id").asText()).isEqualTo(runId);
    assertThat(run.path("status").asText()).isEqualTo("completed");
    assertThat(run.path("run_name").asText()).isEqualTo("manual_after_review");
    assertThat(run.path("triggered_by").asText()).isEqualTo("api");
    assertThat(run.path("parameters").path("min_confidence").asInt()).isEqualTo(60);
    assertThat(run.path("per_intent_metrics").size()).isEqualTo(3);
  }

  @Test
  void postWithoutABodyQueuesAFullRunWithTheDefaultName() {
    HttpResult accepted = Invocations.http(handler, "POST", "/ai/training/run", Map.of(), null);

    assertThat(accepted.status()).isEqualTo(202);
    assertThat(accepted.body().path("run_type").asText()).isEqualTo("full");
    assertThat(accepted.body().path("run_name").asText()).matches("training_\\d{8}_\\d{6}");
  }

  @Test
  void postWhileARunIsInProgressAnswersSkippedAndQueuesNothing() throws Exception {
    try (Connection running = stack.connect()) {
      try (PreparedStatement s = running.prepareStatement("SELECT pg_advisory_lock(?)")) {
        s.setLong(1, lockKey());
        s.execute();
      }
      try (Statement s = running.createStatement()) {
        s.execute("INSERT INTO ai_training_runs (run_name, status) VALUES ('nightly', 'running')");
      }

      HttpResult refused = Invocations.httpFile(handler, "train-run.json");

      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.body().path("error").path("code").asText()).isEqualTo("run_in_progress");
      assertThat(refused.body().path("error").path("message").asText()).startsWith("skipped: a run is in progress");
      assertThat(refused.body().path("running_run").path("run_name").asText()).isEqualTo("nightly");
      assertThat(queued()).isEmpty();
    }
  }

  @Test
  void aQueuedRequestThatMeetsARunInProgressIsRecordedAsSkipped() throws Exception {
    samples(20, 6);
    HttpResult accepted = Invocations.httpFile(handler, "train-run.json");
    List<Message> messages = queued();
    String runId = accepted.body().path("run_id").asText();

    try (Connection running = stack.connect()) {
      try (PreparedStatement s = running.prepareStatement("SELECT pg_advisory_lock(?)")) {
        s.setLong(1, lockKey());
        s.execute();
      }
      Invocations.invoke(handler, sqsEvent(messages.stream().map(Message::body).toList()));
    }
    JsonNode run = runs(Map.of("run_id", runId)).body().path("items").get(0);

    assertThat(run.path("status").asText()).isEqualTo("skipped");
    assertThat(run.path("deploy_reason").asText()).isEqualTo("skipped: a run is in progress");
    assertThat(run.path("deployed").asBoolean()).isFalse();
    assertThat(stack.s3().listObjectsV2(b -> b.bucket(stack.bucket()).prefix("models/")).contents()).isEmpty();
  }

  @Test
  void runsAreListedNewestFirstAPageAtATime() throws Exception {
    samples(20, 7);
    for (int i = 0; i < 3; i++) {
      Invocations.invoke(handler, "{\"action\": \"run\", \"run_name\": \"run-" + i + "\"}");
    }

    HttpResult first = runs(Map.of("limit", "2"));
    HttpResult second = runs(Map.of("limit", "2", "cursor", first.body().path("next_cursor").asText()));
    HttpResult completed = Invocations.httpFile(handler, "train-runs.json");

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body().path("items")).extracting(r -> r.path("run_name").asText()).containsExactly("run-2", "run-1");
    assertThat(first.body().path("items").get(0).has("per_intent_metrics")).isFalse();
    assertThat(second.body().path("items")).extracting(r -> r.path("run_name").asText()).containsExactly("run-0");
    assertThat(second.body().path("next_cursor").isNull()).isTrue();
    assertThat(completed.body().path("items")).hasSize(3).allSatisfy(r -> {
      assertThat(r.path("status").asText()).isEqualTo("completed");
      assertThat(r.path("triggered_by").asText()).isEqualTo("cli");
    });
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "POST | /ai/training/run  | {\"run_type\": \"partial\"}          | run_type",
      "POST | /ai/training/run  | {\"min_confidence\": 101}            | min_confidence",
      "POST | /ai/training/run  | {\"min_confidence\": \"60\"}         | min_confidence",
      "POST | /ai/training/run  | {\"only_reviewed\": \"yes\"}         | only_reviewed",
      "POST | /ai/training/run  | {\"limit\": 0}                       | limit",
      "POST | /ai/training/run  | {\"run_name\": \"\"}                 | run_name",
      "POST | /ai/training/run  | {\"run_name\": \"a\\u0000b\"}        | run_name",
      "POST | /ai/training/run  | {\"run_name\": \"a\\uFFFEb\"}        | run_name",
      "POST | /ai/training/run  | {\"run_name\": \"a\\uFFFFb\"}        | run_name",
      "POST | /ai/training/run  | {\"runtype\": \"full\"}              | runtype",
      "POST | /ai/training/run  | [1, 2]                               | body",
      "POST | /ai/training/run  | {not json                            | body",
  })
  void badRunRequestsAnswer400NamingTheField(String method, String path, String body, String field) {
    HttpResult result = Invocations.http(handler, method, path, Map.of(), body);

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.errorField()).isEqualTo(field);
    assertThat(queued()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"limit, 0", "limit, abc", "status, done", "run_id, 1-2-3-4-5", "color, red"})
  void badRunListingsAnswer400NamingTheParameter(String parameter, String value) {
    HttpResult result = runs(Map.of(parameter, value));

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.errorField()).isEqualTo(parameter);
  }

  @Test
  void theSampleEventsOfTheRoutesAnswerAsDocumented() {
    assertThat(Invocations.httpFile(handler, "train-runs.json").status()).isEqualTo(200);
    HttpResult bad = Invocations.httpFile(handler, "train-runs.invalid.json");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.errorField()).isEqualTo("limit");
    HttpResult badRun = Invocations.httpFile(handler, "train-run.invalid.json");
    assertThat(badRun.status()).isEqualTo(400);
    assertThat(badRun.errorField()).isEqualTo("run_type");
  }

  @Test
  void theMigrateActionAppliesMigrationsAndAnUnknownActionFails() {
    JsonNode migrated = json(Invocations.invokeFile(handler, "train-migrate.json"));

    assertThat(migrated.path("action").asText()).isEqualTo("migrate");
    assertThat(migrated.path("applied").asInt()).isZero();
    assertThatThrownBy(() -> Invocations.invokeFile(handler, "train-migrate.invalid.json"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("action");
  }

  @Test
  void tooFewSamplesThroughTheApiEndAsAFailedRun() throws Exception {
    samples(3, 8);

    JsonNode outcome = json(Invocations.invoke(handler, "{\"action\": \"run\"}"));

    assertThat(outcome.path("status").asText()).isEqualTo("failed");
    assertThat(outcome.path("reason").asText()).startsWith("Not enough samples: 9 after cleaning");
  }

  private static long lockKey() {
    return io.intentpipeline.pipeline.TrainingLock.KEY;
  }
}
