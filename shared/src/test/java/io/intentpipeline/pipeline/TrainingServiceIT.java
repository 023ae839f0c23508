package io.intentpipeline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.log.Log;
import io.intentpipeline.ml.IntentModel;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.ModelStore;
import io.intentpipeline.storage.S3ModelStore;
import io.intentpipeline.testing.FailingS3;
import io.intentpipeline.testing.SyntheticIntents;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TestStackExtension;
import io.intentpipeline.testing.TrainingRows;
import io.intentpipeline.testing.TrainingRows.Row;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Training runs end to end against real PostgreSQL and S3 (S3Proxy): the deploy gate, failures, locking. */
class TrainingServiceIT {
  @RegisterExtension
  static final TestStackExtension STACK = TestStackExtension.withDatabase("trainingservice").emptyingTrainingRows();
  static TestStack stack;
  static Database database;
  static FailingS3 s3;
  static S3ModelStore store;
  static PrintStream originalLog = System.out;

  @BeforeAll
  static void start() {
    stack = STACK.stack();
    database = STACK.database();
    s3 = new FailingS3(stack);
    store = new S3ModelStore(s3.client(), stack.bucket());
  }

  @AfterAll
  static void stop() {
    Log.to(originalLog);
  }

  @BeforeEach
  void empty() throws SQLException {
    s3.heal();
    try (Connection c = stack.connect()) {
      sql(c, "UPDATE ai_retrain_state SET requested_at = NULL, new_samples = NULL");
    }
    for (S3Object o : stack.s3().listObjectsV2(b -> b.bucket(stack.bucket())).contents()) {
      stack.s3().deleteObject(b -> b.bucket(stack.bucket()).key(o.key()));
    }
  }

  private static TrainingService service(TrainingPipeline.StageListener listener, TrainingSettings settings) {
    var pipeline = new TrainingPipeline(database, store, store, settings, Clock.systemUTC(), listener, 2);
    return new TrainingService(database, pipeline, Clock.systemUTC());
  }

  private static TrainingService service(TrainingPipeline.StageListener listener) {
    return service(listener, TrainingSettings.DEFAULTS);
  }

  /** Settings whose gate lets every model through (margin 1): for tests about what happens around a deploy. */
  private static final TrainingSettings ALWAYS_DEPLOY = new TrainingSettings(20, 1.0, 100_000, 42,
      io.intentpipeline.ml.TrainingProfile.DEFAULT, 0, LabelPolicy.SEED, 90, 100_000, 0.97, "out_of_scope");

  private static TrainingService service() {
    return service(TrainingPipeline.StageListener.NONE);
  }

  private static RunOutcome run(TrainingService service, RunOptions options, Trigger trigger) throws SQLException {
    return service.trigger(service.request(options, trigger, Optional.empty(), Optional.empty()),
        TrainingPipeline.TimeBudget.UNLIMITED);
  }

  private static RunOutcome runFull() throws SQLException {
    return run(service(), RunOptions.DEFAULTS, Trigger.SCHEDULE);
  }

  private static void insert(List<Row> rows) throws SQLException {
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, rows);
    }
  }

  private static void sql(Connection c, String statement) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private static JsonNode runRow(UUID id) throws SQLException {
    return service().runs(new TrainingRuns.Filter(Optional.empty(), Optional.of(id)),
        io.intentpipeline.http.PageRequest.first(1)).items().get(0);
  }

  private static Optional<byte[]> latest() {
    return store.latest().map(m -> m.bytes());
  }

  private static List<String> modelKeys() {
    return stack.s3().listObjectsV2(b -> b.bucket(stack.bucket()).prefix("models/")).contents().stream()
        .map(S3Object::key).sorted().toList();
  }

  private static JsonNode jsonReport(UUID runId) throws Exception {
    return Json.MAPPER.readTree(store.get("reports/" + runId + ".json"));
  }

  @Test
  void enoughHumanVerifiedRowsMakeTheGateJudgeOnThemAndAHumanOnlyRunTrainsOnThemAlone() throws Exception {
    var data = new SyntheticIntents(4, 0.1, 7);
    insert(data.rows(400).stream().map(r -> r.status("approved").source("imported")).toList());
    insert(data.rows(100));
    // 40 live rows are audit picks: 30 reviewed (with their detected label confirmed), 10 waiting.
    try (Connection c = stack.connect()) {
      sql(c, "UPDATE ai_training_data SET review_reason = 'audit' WHERE id IN (SELECT id FROM ai_training_data"
          + " WHERE source = 'live' ORDER BY id LIMIT 40)");
      sql(c, "UPDATE ai_training_data SET correct_intent = detected_intent, dataset_status = 'reviewed'"
          + " WHERE id IN (SELECT id FROM ai_training_data WHERE review_reason = 'audit' ORDER BY id LIMIT 30)");
    }

    RunOutcome mixed = run(service(), policy("seed"), Trigger.API);

    JsonNode row = runRow(mixed.runId());
    assertThat(row.path("judged_on").asText()).isEqualTo("verified");
    int verifiedTest = row.path("verified_test_samples").asInt();
    assertThat(verifiedTest).isGreaterThanOrEqualTo(TrustedSplit.required(4));
    assertThat(row.path("test_samples").asInt()).isEqualTo(verifiedTest);
    assertThat(row.path("verified_f1_score").asDouble()).isEqualTo(row.path("intent_f1_score").asDouble());
    assertThat(row.path("all_test_f1_score").isNumber()).isTrue();
    assertThat(mixed.reason()).endsWith("(judged on " + verifiedTest
        + " human-verified test samples: labelled data and audited traffic)");
    // The bot's 360 other rows are trained on, except those whose text falls in the test part; the
    // 30 reviewed audit picks are all tested on, the 10 waiting ones neither.
    int trainedAndValidated = row.path("training_samples").asInt() + row.path("validation_samples").asInt();
    assertThat(trainedAndValidated + verifiedTest).isBetween(1600 + 30 + 270, 1600 + 30 + 359);
    try (Connection c = stack.connect(); Statement s = c.createStatement();
         java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE last_run_id IS NOT NULL),"
             + " count(*) FROM ai_training_data WHERE review_reason = 'audit'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("audit picks trained on").isZero();
      assertThat(rs.getInt(2)).isEqualTo(40);
    }
    assertThat(jsonReport(mixed.runId()).path("judging").path("verified_test_samples").asInt()).isEqualTo(verifiedTest);

    RunOutcome humanOnly = run(service(), policy("human_only"), Trigger.API);

    JsonNode only = runRow(humanOnly.runId());
    assertThat(only.path("parameters").path("label_policy").asText()).isEqualTo("human_only");
    assertThat(only.path("training_samples").asInt() + only.path("validation_samples").asInt()
        + only.path("test_samples").asInt()).as("the labelled rows and the reviewed audit picks").isEqualTo(1630);
    assertThat(only.path("verified_test_samples").asInt()).isEqualTo(verifiedTest);

    // The default, trusted: 1,630 human-verified rows are more than 5 per intent, so the bot's labels stay out.
    RunOutcome trusted = runFull();
    JsonNode byDefault = runRow(trusted.runId());
    assertThat(byDefault.path("parameters").path("label_policy").asText()).isEqualTo("trusted");
    assertThat(byDefault.path("training_samples").asInt()).isEqualTo(only.path("training_samples").asInt());
    assertThat(jsonReport(trusted.runId()).path("dataset").path("label_policy_applied").asText()).isEqualTo("human_only");
  }

  private static RunOptions policy(String name) throws Exception {
    return RunOptions.fromJson(Json.MAPPER.readTree("{\"label_policy\":\"" + name + "\"}"), "", RunType.FULL,
        java.util.Set.of());
  }

  @Test
  void theFirstRunDeploysAndRecordsEverything() throws Exception {
    var data = new SyntheticIntents(4, 0.1, 1);
    insert(data.rows(40));

    RunOutcome outcome = runFull();

    assertThat(outcome.status()).isEqualTo("completed");
    assertThat(outcome.deployed()).isTrue();
    assertThat(outcome.reason()).startsWith("first model: no model was deployed (judged on all ")
        .contains(": 0 are labelled data or audited traffic, a fair estimate on those alone needs 200)");
    JsonNode row = runRow(outcome.runId());
    assertThat(jsonReport(outcome.runId()).path("dataset").path("label_policy_applied").asText()).isEqualTo("seed");
    // Nobody reviewed these rows: the gate used the seed's test split, both F1s are recorded.
    assertThat(row.path("judged_on").asText()).isEqualTo("all");
    assertThat(row.path("verified_test_samples").asInt()).isZero();
    assertThat(row.path("verified_f1_score").isNull()).isTrue();
    assertThat(row.path("all_test_f1_score").asDouble()).isEqualTo(row.path("intent_f1_score").asDouble());
    assertThat(row.path("status").asText()).isEqualTo("completed");
    assertThat(row.path("run_type").asText()).isEqualTo("full");
    assertThat(row.path("triggered_by").asText()).isEqualTo("schedule");
    assertThat(row.path("run_name").asText()).startsWith("training_");
    assertThat(row.path("training_samples").asInt() + row.path("validation_samples").asInt()
        + row.path("test_samples").asInt()).isEqualTo(160);
    assertThat(row.path("test_samples").asInt()).isBetween(12, 40);
    assertThat(row.path("total_intents").asInt()).isEqualTo(4);
    assertThat(row.path("intent_f1_score").asDouble()).isGreaterThan(0.7);
    assertThat(row.path("intent_accuracy").asDouble()).isGreaterThan(0.7);
    assertThat(row.path("baseline_intent_accuracy").isNull()).isTrue();
    assertThat(row.path("deployed").asBoolean()).isTrue();
    assertThat(row.path("model_config").path("profile").asText()).isEqualTo("default");
    assertThat(row.path("per_intent_metrics").path("intent_00").path("support").asInt()).isPositive();
    assertThat(row.path("per_intent_metrics").path("intent_00").has("f1")).isTrue();
    assertThat(row.path("duration_seconds").asDouble()).isGreaterThan(0);
    assertThat(row.path("completed_at").isNull()).isFalse();
    String version = row.path("model_version").asText();
    assertThat(version).matches("intent_classifier_\\d{8}_\\d{6}");
    assertThat(row.path("model_file_path").asText()).isEqualTo("s3://" + stack.bucket() + "/models/" + version + ".model");
    assertThat(row.path("dataset_file_path").asText()).endsWith("/datasets/" + outcome.runId() + ".jsonl");
    assertThat(row.path("report_file_path").asText()).endsWith("/reports/" + outcome.runId() + ".html");
    assertThat(modelKeys()).containsExactly("models/" + version + ".model", ModelStore.LATEST_KEY);
    assertThat(latest()).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(store.read(version)));
    IntentModel deployed = ModelCodec.read(latest().orElseThrow());
    assertThat(deployed.metadata().runId()).isEqualTo(outcome.runId().toString());
    assertThat(deployed.metadata().modelVersion()).isEqualTo(version);
    assertThat(Json.MAPPER.readTree(deployed.metadata().metrics()).path("f1_macro").asDouble())
        .isEqualTo(outcome.f1().getAsDouble());
    // The answer policy: chosen on the validation split for the default target, in the model file,
    // the run's parameters (with what it did on the test split) and the JSON report (with the curve)
    JsonNode answer = row.path("parameters").path("answer");
    assertThat(row.path("parameters").path("answer_target_accuracy").asDouble()).isEqualTo(0.97);
    assertThat(row.path("parameters").path("out_of_scope_intent").asText()).isEqualTo("out_of_scope");
    assertThat(answer.path("threshold").asDouble()).isEqualTo(deployed.policy().threshold());
    assertThat(answer.path("target_accuracy").asDouble()).isEqualTo(0.97);
    assertThat(answer.path("held_out_samples").asInt()).isEqualTo(row.path("validation_samples").asInt());
    assertThat(answer.path("expected_coverage").asDouble()).isEqualTo(deployed.policy().expectedCoverage());
    assertThat(answer.path("on_test").path("in_scope_samples").asInt()).isEqualTo(row.path("test_samples").asInt());
    assertThat(answer.path("on_test").path("coverage").asDouble()).isBetween(0.0, 1.0);
    JsonNode reported = jsonReport(outcome.runId()).path("answer");
    assertThat(reported.path("policy").path("threshold").asDouble()).isEqualTo(deployed.policy().threshold());
    assertThat(reported.path("validation_curve").size()).isPositive();
  }

  @Test
  void outOfScopeCorrectionsAndImportsAreLearnedAsAClassThatPredictEscalates() throws Exception {
    // Arrange: 4 intents of bot traffic; 30 messages no intent covers, which the bot took for
    // intent_00 and an admin corrected to out_of_scope; 15 more imported with that label
    var data = new SyntheticIntents(4, 0.1, 5);
    insert(data.rows(40));
    String[] topics = {"weather", "football", "recipes", "movies", "jokes"};
    String[] templates = {"tell me something about %s please", "what do you think of %s today",
        "can we chat about %s for a while", "I love %s so much", "any news on %s this week", "recommend me some %s"};
    List<Row> outOfScope = new ArrayList<>();
    StringBuilder imported = new StringBuilder();
    for (int t = 0; t < topics.length; t++) {
      for (int i = 0; i < templates.length; i++) {
        outOfScope.add(Row.detected("intent_00").message(String.format(templates[i], topics[t])).confidence(40));
      }
      for (String more : new String[] {"who is the best at %s", "I need help with %s", "show me %s pictures"}) {
        imported.append(Json.write(java.util.Map.of("user_message", String.format(more, topics[t]),
            "intent", "out_of_scope"))).append('\n');
      }
    }
    insert(outOfScope);
    try (Connection c = stack.connect();
         var s = c.prepareStatement("SELECT submit_intent_correction(?, 'out_of_scope')")) {
      for (Row row : outOfScope) {
        s.setObject(1, row.id());
        s.execute();
      }
    }
    var report = new io.intentpipeline.transfer.DatasetImporter(database, java.time.Clock.systemUTC()).importFrom(
        sink -> io.intentpipeline.dataset.JsonlFormat.readEach(
            new java.io.BufferedReader(new java.io.StringReader(imported.toString())), sink),
        io.intentpipeline.transfer.DatasetFormat.JSONL);
    assertThat(report.imported()).isEqualTo(15);

    // Act
    RunOutcome outcome = run(service(), policy("seed"), Trigger.API);

    // Assert: a class of its own, and what predict says about it
    assertThat(outcome.status()).isEqualTo("completed");
    IntentModel deployed = ModelCodec.read(latest().orElseThrow());
    assertThat(deployed.intents()).contains("out_of_scope", "intent_00");
    assertThat(deployed.policy().outOfScopeIntent()).isEqualTo("out_of_scope");
    var prediction = deployed.predict("tell me something about football please", 2);
    assertThat(prediction.intent()).isEqualTo("out_of_scope");
    assertThat(prediction.action()).isEqualTo(io.intentpipeline.ml.Action.ESCALATE);
    assertThat(deployed.predict("tell me something about football please", 2, 0.0).action())
        .as("min_confidence does not make the out-of-scope intent an answer").isEqualTo(io.intentpipeline.ml.Action.ESCALATE);
    JsonNode onTest = runRow(outcome.runId()).path("parameters").path("answer").path("on_test");
    assertThat(onTest.path("out_of_scope_samples").asInt() + onTest.path("in_scope_samples").asInt())
        .isEqualTo(runRow(outcome.runId()).path("test_samples").asInt());
  }

  @Test
  void aRunsAnswerTargetChoosesItsThreshold() throws Exception {
    var data = new SyntheticIntents(4, 0.3, 3);
    insert(data.rows(40));

    RunOutcome strict = run(service(), RunOptions.fromJson(Json.MAPPER.readTree("{\"answer_target_accuracy\": 1}"),
        "", RunType.FULL, java.util.Set.of()), Trigger.API);
    RunOutcome lenient = run(service(), RunOptions.fromJson(Json.MAPPER.readTree("{\"answer_target_accuracy\": 0.5}"),
        "", RunType.FULL, java.util.Set.of()), Trigger.API);

    JsonNode strictAnswer = runRow(strict.runId()).path("parameters").path("answer");
    JsonNode lenientAnswer = runRow(lenient.runId()).path("parameters").path("answer");
    assertThat(strictAnswer.path("target_accuracy").asDouble()).isEqualTo(1.0);
    assertThat(lenientAnswer.path("target_accuracy").asDouble()).isEqualTo(0.5);
    assertThat(lenientAnswer.path("threshold").asDouble()).isLessThanOrEqualTo(strictAnswer.path("threshold").asDouble());
    assertThat(lenientAnswer.path("expected_coverage").asDouble())
        .isGreaterThanOrEqualTo(strictAnswer.path("expected_coverage").asDouble());
    if (strictAnswer.path("expected_accuracy").isNumber()) {
      assertThat(strictAnswer.path("expected_accuracy").asDouble()).isEqualTo(1.0);
    }
  }

  @Test
  void theSameSamplesStoredInAnotherOrderUnderOtherIdsGiveTheSameModel() throws Exception {
    var data = new SyntheticIntents(4, 0.2, 15);
    List<Row> rows = data.rows(30);
    List<String> texts = rows.stream().limit(12).map(Row::message).toList();
    insert(rows);
    RunOutcome first = runFull();
    IntentModel firstModel = ModelCodec.read(latest().orElseThrow());
    try (Connection c = stack.connect()) {
      TrainingRows.clear(c);
    }
    List<Row> again = new ArrayList<>();
    for (Row row : rows) {
      again.add(0, Row.detected(row.detectedIntent()).message(row.message()));
    }
    insert(again);

    RunOutcome second = runFull();
    IntentModel secondModel = ModelCodec.read(latest().orElseThrow());

    assertThat(second.f1()).isEqualTo(first.f1());
    assertThat(second.baselineF1()).isEqualTo(first.f1());
    for (String text : texts) {
      assertThat(secondModel.probabilities(text)).containsExactly(firstModel.probabilities(text));
    }
  }

  @Test
  void theRowsTrainedOnAreMarkedAndReviewedOnesKeepTheirStatus() throws Exception {
    var data = new SyntheticIntents(3, 0.1, 2);
    List<Row> rows = data.rows(30);
    rows.get(0).status("approved");
    insert(rows);

    RunOutcome outcome = runFull();

    JsonNode row = runRow(outcome.runId());
    int trained = row.path("training_samples").asInt() + row.path("validation_samples").asInt();
    Map<String, Integer> byStatus = new java.util.TreeMap<>();
    try (Connection c = stack.connect(); PreparedStatement s = c.prepareStatement("SELECT dataset_status,"
        + " CASE WHEN last_run_id = ? THEN 'marked' WHEN last_run_id IS NULL THEN 'unmarked' ELSE 'other' END, count(*)"
        + " FROM ai_training_data GROUP BY 1, 2")) {
      s.setObject(1, outcome.runId());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          byStatus.put(rs.getString(1) + "/" + rs.getString(2), rs.getInt(3));
        }
      }
    }
    int approvedMarked = byStatus.getOrDefault("approved/marked", 0);
    assertThat(byStatus.getOrDefault("used_in_training/marked", 0) + approvedMarked).isEqualTo(trained);
    assertThat(byStatus.getOrDefault("pending/unmarked", 0) + byStatus.getOrDefault("approved/unmarked", 0))
        .isEqualTo(row.path("test_samples").asInt());
    assertThat(approvedMarked + byStatus.getOrDefault("approved/unmarked", 0)).isEqualTo(1);
    assertThat(byStatus.keySet()).containsOnly("used_in_training/marked", "pending/unmarked",
        approvedMarked == 1 ? "approved/marked" : "approved/unmarked");
  }

  @Test
  void aBetterRunDeploysAndAMuchWorseOneDoesNotLeavingLatestUnchanged() throws Exception {
    var data = new SyntheticIntents(4, 0.3, 3);
    insert(data.rows(6));
    RunOutcome first = runFull();
    assertThat(first.deployed()).isTrue();

    // Act 1: much more data of the same kind.
    insert(data.rows(120));
    RunOutcome better = runFull();

    assertThat(better.deployed()).isTrue();
    assertThat(better.f1().getAsDouble()).isGreaterThan(better.baselineF1().getAsDouble());
    JsonNode betterReport = jsonReport(better.runId());
    assertThat(betterReport.path("baseline").path("model_version").asText()).isEqualTo(first.modelVersion().orElseThrow());
    assertThat(betterReport.path("improvement").path("f1").asDouble()).isPositive();
    byte[] latestAfterBetter = latest().orElseThrow();
    assertThat(latestAfterBetter).isEqualTo(store.read(better.modelVersion().orElseThrow()));
    List<String> keysAfterBetter = modelKeys();

    // Act 2: the labels of everything the model trains on are shuffled (texts swapped between the
    // rows the last run trained on); the rows it was tested on keep theirs, so the test split is the same.
    shuffleTrainedTexts(better.runId(), 99);
    RunOutcome worse = runFull();

    assertThat(worse.status()).isEqualTo("completed");
    assertThat(worse.deployed()).isFalse();
    assertThat(worse.f1().getAsDouble()).isLessThan(worse.baselineF1().getAsDouble() - 0.05);
    assertThat(worse.reason()).contains(" < baseline F1").contains("the deployed model stays (judged on all ");
    assertThat(latest().orElseThrow()).isEqualTo(latestAfterBetter);
    assertThat(modelKeys()).isEqualTo(keysAfterBetter);
    JsonNode worseRow = runRow(worse.runId());
    assertThat(worseRow.path("deployed").asBoolean()).isFalse();
    assertThat(worseRow.path("model_file_path").isNull()).isTrue();
    assertThat(worseRow.path("model_version").isNull()).isTrue();
    assertThat(worseRow.path("baseline_intent_f1_score").asDouble()).isGreaterThan(0.7);
    assertThat(worseRow.path("improvement").path("f1").asDouble()).isLessThan(-0.05);
    assertThat(jsonReport(worse.runId()).path("baseline").path("model_version").asText())
        .isEqualTo(better.modelVersion().orElseThrow());
  }

  /** Permutes the messages among the rows run {@code runId} trained on, so their labels no longer fit. */
  private static void shuffleTrainedTexts(UUID runId, long seed) throws SQLException {
    try (Connection c = stack.connect()) {
      List<UUID> ids = new ArrayList<>();
      List<String> texts = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement(
          "SELECT id, user_message FROM ai_training_data WHERE last_run_id = ? ORDER BY id")) {
        s.setObject(1, runId);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getObject(1, UUID.class));
            texts.add(rs.getString(2));
          }
        }
      }
      Collections.shuffle(texts, new Random(seed));
      c.setAutoCommit(false);
      try (PreparedStatement s = c.prepareStatement("UPDATE ai_training_data SET user_message = ? WHERE id = ?")) {
        for (int i = 0; i < ids.size(); i++) {
          s.setString(1, texts.get(i));
          s.setObject(2, ids.get(i));
          s.addBatch();
        }
        s.executeBatch();
      }
      c.commit();
    }
  }

  @Test
  void afterAnAdminCopiesAnOlderModelOverLatestTheNextRunUsesItAsBaseline() throws Exception {
    var data = new SyntheticIntents(3, 0.2, 4);
    insert(data.rows(20));
    RunOutcome older = runFull();
    insert(data.rows(20));
    RunOutcome newer = run(service(TrainingPipeline.StageListener.NONE, ALWAYS_DEPLOY), RunOptions.DEFAULTS, Trigger.API);
    assertThat(newer.deployed()).isTrue();
    String olderKey = ModelStore.versionKey(older.modelVersion().orElseThrow());

    // Act: the rollback of the runbook (aws s3 cp models/<older>.model models/intent_classifier_latest.model).
    stack.s3().copyObject(b -> b.sourceBucket(stack.bucket()).sourceKey(olderKey)
        .destinationBucket(stack.bucket()).destinationKey(ModelStore.LATEST_KEY));
    RunOutcome next = runFull();

    JsonNode report = jsonReport(next.runId());
    assertThat(report.path("baseline").path("model_version").asText()).isEqualTo(older.modelVersion().orElseThrow());
    assertThat(report.path("baseline").path("run_id").asText()).isEqualTo(older.runId().toString());
    assertThat(new String(store.get("reports/" + next.runId() + ".html"), StandardCharsets.UTF_8))
        .contains(older.modelVersion().orElseThrow());
  }

  @Test
  void tooFewSamplesFailCleanlyAndLeaveTheDeployedModel() throws Exception {
    var data = new SyntheticIntents(3, 0.1, 5);
    insert(data.rows(20));
    RunOutcome deployed = runFull();
    byte[] before = latest().orElseThrow();
    try (Connection c = stack.connect()) {
      TrainingRows.clear(c);
    }
    insert(data.rows(5));

    RunOutcome outcome = runFull();

    assertThat(outcome.status()).isEqualTo("failed");
    assertThat(outcome.deployed()).isFalse();
    assertThat(outcome.reason()).isEqualTo("Not enough samples: 15 after cleaning (15 fetched), at least 20 needed");
    JsonNode row = runRow(outcome.runId());
    assertThat(row.path("status").asText()).isEqualTo("failed");
    assertThat(row.path("error_message").asText()).startsWith("Not enough samples");
    assertThat(row.path("deploy_reason").asText()).isEqualTo("run failed: the deployed model stays");
    assertThat(row.path("deployed").asBoolean()).isFalse();
    assertThat(row.path("completed_at").isNull()).isFalse();
    assertThat(row.path("report_file_path").isNull()).isTrue();
    assertThat(latest().orElseThrow()).isEqualTo(before);
    assertThat(modelKeys()).hasSize(2).contains("models/" + deployed.modelVersion().orElseThrow() + ".model");
    try (Connection c = stack.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM ai_training_data WHERE dataset_status <> 'pending' OR last_run_id IS NOT NULL")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void theFirstRunsFailingNeverSayADeployedModelStays() throws Exception {
    // Arrange: nothing ever deployed; too few samples, then a first deploy that S3 refuses
    var data = new SyntheticIntents(3, 0.1, 7);
    insert(data.rows(5));

    // Act
    RunOutcome tooFew = runFull();
    insert(data.rows(20));
    TrainingService breaking = service((id, stage) -> {
      if (stage.equals("deploy")) {
        s3.fail("CopyObject");
      }
    }, ALWAYS_DEPLOY);
    RunOutcome deployFailed = run(breaking, RunOptions.DEFAULTS, Trigger.SCHEDULE);
    s3.heal();

    // Assert
    assertThat(tooFew.status()).isEqualTo("failed");
    assertThat(runRow(tooFew.runId()).path("deploy_reason").asText()).isEqualTo("run failed: no model is deployed yet");
    assertThat(deployFailed.status()).isEqualTo("failed");
    assertThat(deployFailed.reason()).startsWith("Deploy failed, no model is deployed yet: cannot")
        .doesNotContain("stays");
    assertThat(runRow(deployFailed.runId()).path("deploy_reason").asText()).doesNotContain("stays");
    assertThat(latest()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"PutObject", "GetObject", "CopyObject"})
  void s3FailingInTheMiddleOfADeployLeavesLatestAsItWas(String operation) throws Exception {
    var data = new SyntheticIntents(3, 0.1, 6);
    insert(data.rows(20));
    runFull();
    byte[] before = latest().orElseThrow();
    List<String> keysBefore = modelKeys();
    insert(data.rows(20));
    // S3 breaks for this operation once the deploy starts: writing the new model (PutObject),
    // reading it back to verify it (GetObject) or copying it over latest (CopyObject).
    TrainingService service = service((id, stage) -> {
      if (stage.equals("deploy")) {
        s3.fail(operation);
      }
    }, ALWAYS_DEPLOY);

    RunOutcome outcome = run(service, RunOptions.DEFAULTS, Trigger.SCHEDULE);
    s3.heal();

    assertThat(outcome.status()).isEqualTo("failed");
    assertThat(outcome.deployed()).isFalse();
    assertThat(outcome.reason()).startsWith("Deploy failed, the deployed model stays: cannot");
    assertThat(latest().orElseThrow()).isEqualTo(before);
    assertThat(modelKeys()).isEqualTo(keysBefore);
    JsonNode row = runRow(outcome.runId());
    assertThat(row.path("status").asText()).isEqualTo("failed");
    assertThat(row.path("deployed").asBoolean()).isFalse();
    assertThat(row.path("error_message").asText()).startsWith("Deploy failed");
    assertThat(row.path("model_file_path").isNull()).isTrue();
    try (Connection c = stack.connect(); PreparedStatement s = c.prepareStatement(
        "SELECT count(*) FROM ai_training_data WHERE last_run_id = ?")) {
      s.setObject(1, outcome.runId());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
      }
    }
  }

  @Test
  void twoConcurrentTriggersTrainOnce() throws Exception {
    var data = new SyntheticIntents(3, 0.1, 7);
    insert(data.rows(30));
    CountDownLatch otherAnswered = new CountDownLatch(1);
    // The run that gets the lock waits in its train stage until the other trigger has answered.
    TrainingService service = service((id, stage) -> {
      if (stage.equals("train")) {
        try {
          otherAnswered.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<RunOutcome>> results = new ArrayList<>();
      for (Trigger trigger : List.of(Trigger.SCHEDULE, Trigger.QUEUE)) {
        results.add(pool.submit(() -> {
          together.await();
          RunOutcome o = run(service, RunOptions.DEFAULTS, trigger);
          if (o.status().equals("skipped")) {
            otherAnswered.countDown();
          }
          return o;
        }));
      }
      List<RunOutcome> outcomes = new ArrayList<>();
      for (Future<RunOutcome> f : results) {
        outcomes.add(f.get(120, TimeUnit.SECONDS));
      }

      assertThat(outcomes).extracting(RunOutcome::status).containsExactlyInAnyOrder("completed", "skipped");
      RunOutcome completed = outcomes.stream().filter(RunOutcome::completed).findFirst().orElseThrow();
      RunOutcome skipped = outcomes.stream().filter(o -> !o.completed()).findFirst().orElseThrow();
      assertThat(skipped.reason()).isEqualTo("a run is in progress");
      // The winner records its start just after taking the lock: the loser names it when it is recorded already.
      assertThat(skipped.runningRunId()).satisfiesAnyOf(
          id -> assertThat(id).isEmpty(), id -> assertThat(id).contains(completed.runId()));
      assertThat(service.runs(new TrainingRuns.Filter(Optional.empty(), Optional.empty()),
          io.intentpipeline.http.PageRequest.first(10)).items()).hasSize(1);
      assertThat(modelKeys()).hasSize(2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRetrainRequestDeliveredTwiceTrainsOnce() throws Exception {
    var data = new SyntheticIntents(3, 0.1, 8);
    insert(data.rows(20));
    Instant requestedAt = Instant.now().minusSeconds(5);
    TrainingService service = service();
    RunRequest request = service.request(RunOptions.DEFAULTS, Trigger.QUEUE, Optional.empty(), Optional.of(requestedAt));
    RunRequest again = service.request(RunOptions.DEFAULTS, Trigger.QUEUE, Optional.empty(), Optional.of(requestedAt));

    RunOutcome first = service.trigger(request, TrainingPipeline.TimeBudget.UNLIMITED);
    RunOutcome second = service.trigger(again, TrainingPipeline.TimeBudget.UNLIMITED);

    assertThat(first.status()).isEqualTo("completed");
    assertThat(second.status()).isEqualTo("skipped");
    assertThat(second.reason()).startsWith("already done: run " + first.runId());
  }

  @Test
  void aCompletedRunAcknowledgesTheOpenRetrainRequest() throws Exception {
    var data = new SyntheticIntents(3, 0.1, 9);
    insert(data.rows(40));
    var state = new io.intentpipeline.storage.RetrainState(database);
    assertThat(state.claim(100, 3600)).isPresent();

    runFull();

    try (Connection c = stack.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT requested_at FROM ai_retrain_state")) {
      rs.next();
      assertThat(rs.getObject(1)).isNull();
    }
  }

  @Test
  void aCrashedRunNeverHoldsTheLockAndItsRowIsMarkedFailed() throws Exception {
    var data = new SyntheticIntents(3, 0.1, 10);
    insert(data.rows(20));
    UUID crashed = UUID.randomUUID();
    Connection dying = stack.connect();
    try (PreparedStatement s = dying.prepareStatement("SELECT pg_advisory_lock(?)")) {
      s.setLong(1, TrainingLock.KEY);
      s.execute();
    }
    sql(dying, "INSERT INTO ai_training_runs (id, run_name, status) VALUES ('" + crashed + "', 'crashed', 'running')");

    RunOutcome whileHeld = runFull();
    dying.close();
    // The server ends the session (and releases its lock) just after the socket closes.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (service().runInProgress() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    RunOutcome after = runFull();

    assertThat(whileHeld.status()).isEqualTo("skipped");
    assertThat(whileHeld.runningRunId()).contains(crashed);
    assertThat(after.status()).isEqualTo("completed");
    JsonNode stale = runRow(crashed);
    assertThat(stale.path("status").asText()).isEqualTo("failed");
    assertThat(stale.path("error_message").asText()).startsWith("Interrupted").contains(after.runId().toString());
    assertThat(stale.path("completed_at").isNull()).isFalse();
  }

  @Test
  void incrementalRunsTrainOnlyWhenSomethingIsNew() throws Exception {
    var data = new SyntheticIntents(3, 0.1, 11);
    insert(data.rows(20));
    runFull();
    RunOptions incremental = RunOptions.DEFAULTS.withRunType(RunType.INCREMENTAL);

    RunOutcome nothingNew = run(service(), incremental, Trigger.SCHEDULE);
    List<Row> fresh = data.rows(1);
    fresh.forEach(r -> r.at(Instant.now()));
    insert(fresh);
    RunOutcome trained = run(service(), incremental, Trigger.SCHEDULE);

    assertThat(nothingNew.status()).isEqualTo("completed");
    assertThat(nothingNew.deployed()).isFalse();
    assertThat(nothingNew.reason()).startsWith("nothing new");
    assertThat(runRow(nothingNew.runId()).path("training_samples").isNull()).isTrue();
    assertThat(trained.status()).isEqualTo("completed");
    assertThat(runRow(trained.runId()).path("training_samples").asInt()).isPositive();
    assertThat(runRow(trained.runId()).path("run_type").asText()).isEqualTo("incremental");
  }

  @Test
  void intentOnlyRunsTrainOnHumanLabelsOnly() throws Exception {
    var data = new SyntheticIntents(3, 0.1, 12);
    List<Row> rows = data.rows(30);
    for (int i = 0; i < 45; i++) {
      Row row = rows.get(i);
      row.correct(data.intents().get(i % 3));
    }
    insert(rows);

    RunOutcome outcome = run(service(), RunOptions.DEFAULTS.withRunType(RunType.INTENT_ONLY), Trigger.API);

    JsonNode row = runRow(outcome.runId());
    assertThat(outcome.status()).isEqualTo("completed");
    assertThat(row.path("training_samples").asInt() + row.path("validation_samples").asInt()
        + row.path("test_samples").asInt()).isEqualTo(45);
    assertThat(row.path("parameters").path("only_reviewed").asBoolean()).isTrue();
  }

  @Test
  void aCorruptLatestIsReplacedByTheNewModel() throws Exception {
    var data = new SyntheticIntents(3, 0.1, 13);
    insert(data.rows(20));
    stack.s3().putObject(b -> b.bucket(stack.bucket()).key(ModelStore.LATEST_KEY), RequestBody.fromString("not a model"));

    RunOutcome outcome = runFull();

    assertThat(outcome.deployed()).isTrue();
    assertThat(outcome.reason()).contains("cannot be read").endsWith("it is replaced");
    assertThat(ModelCodec.read(latest().orElseThrow()).metadata().runId()).isEqualTo(outcome.runId().toString());
  }

  @Test
  void logsNeverCarryMessageTexts() throws Exception {
    var data = new SyntheticIntents(3, 0.1, 14);
    List<Row> rows = data.rows(20);
    rows.get(0).message("SECRET-personal-text " + rows.get(0).id());
    insert(rows);
    var captured = new ByteArrayOutputStream();
    Log.to(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      runFull();
    } finally {
      Log.to(originalLog);
    }

    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("training_run_finished").doesNotContain("SECRET");
  }
}
