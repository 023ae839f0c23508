package io.intentpipeline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.http.PageRequest;
import io.intentpipeline.json.Json;
import io.intentpipeline.ml.IntentModel;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.ml.Prediction;
import io.intentpipeline.review.PendingReviewFilter;
import io.intentpipeline.review.PendingSample;
import io.intentpipeline.review.ReviewOrder;
import io.intentpipeline.review.ReviewService;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.S3ModelStore;
import io.intentpipeline.testing.SyntheticIntents;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TestStackExtension;
import io.intentpipeline.testing.TrainingRows;
import io.intentpipeline.testing.TrainingRows.Row;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The rescore stage against real PostgreSQL and S3 (S3Proxy): after a deploy the samples waiting
 * for review carry the new model's scores (and nothing else changes), the queue follows them, the
 * work is bounded by the limit and the time left, and its failure never undoes the deploy.
 */
class RescoreStageIT {
  @RegisterExtension
  static final TestStackExtension STACK = TestStackExtension.withDatabase("rescorestage").emptyingTrainingRows();
  static TestStack stack;
  static Database database;
  static S3ModelStore store;

  /** What a row of ai_training_data holds of the bot's answer and of its re-scoring. */
  record Stored(UUID id, String message, String detected, Integer confidence, Float margin, String topIntents,
                String status, String rescoredVersion, String rescoredIntent, Integer rescoredConfidence,
                Float rescoredMargin, JsonNode rescoredTop) {}

  @BeforeAll
  static void start() {
    stack = STACK.stack();
    database = STACK.database();
    store = new S3ModelStore(stack.s3(), stack.bucket());
  }

  @BeforeEach
  void empty() {
    for (S3Object o : stack.s3().listObjectsV2(b -> b.bucket(stack.bucket())).contents()) {
      stack.s3().deleteObject(b -> b.bucket(stack.bucket()).key(o.key()));
    }
  }

  private static TrainingService service(int rescoreLimit) {
    var settings = new TrainingSettings(20, 1.0, 100_000, 42, io.intentpipeline.ml.TrainingProfile.DEFAULT, 0,
        LabelPolicy.SEED, 90, rescoreLimit, 0.97, "out_of_scope");
    return new TrainingService(database, new TrainingPipeline(database, store, store, settings, Clock.systemUTC(),
        TrainingPipeline.StageListener.NONE, 2), Clock.systemUTC());
  }

  private static RunOutcome run(TrainingService service, TrainingPipeline.TimeBudget budget) throws SQLException {
    return service.trigger(service.request(RunOptions.DEFAULTS, Trigger.API, Optional.empty(), Optional.empty()), budget);
  }

  private static JsonNode runRow(UUID id) throws SQLException {
    return new TrainingRuns(database).list(new TrainingRuns.Filter(Optional.empty(), Optional.of(id)),
        PageRequest.first(1)).items().get(0);
  }

  private static Map<UUID, Stored> stored() throws Exception {
    Map<UUID, Stored> rows = new HashMap<>();
    try (Connection c = stack.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT id, user_message, detected_intent, confidence_score, intent_margin, top_intents::text, dataset_status,"
            + " rescored_model_version, rescored_intent, rescored_confidence, rescored_margin,"
            + " rescored_top_intents::text FROM ai_training_data")) {
      while (rs.next()) {
        String top = rs.getString(12);
        rows.put(rs.getObject(1, UUID.class), new Stored(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
            (Integer) rs.getObject(4), (Float) rs.getObject(5), rs.getString(6), rs.getString(7), rs.getString(8),
            rs.getString(9), (Integer) rs.getObject(10), (Float) rs.getObject(11),
            top == null ? null : Json.MAPPER.readTree(top)));
      }
    }
    return rows;
  }

  private static void sql(String statement) throws SQLException {
    try (Connection c = stack.connect(); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  /** 120 learnable samples the bot answered with confidence 90, plus rows that are not waiting for review. */
  private static List<UUID> fill(long seed) throws SQLException {
    var data = new SyntheticIntents(4, 0.2, seed);
    List<Row> rows = new ArrayList<>(data.rows(30));
    Instant at = Instant.parse("2026-03-01T00:00:00Z");
    for (int i = 0; i < rows.size(); i++) {
      rows.get(i).at(at.plusSeconds(i)).margin(0.5f)
          .topIntents("[{\"intent\": \"" + rows.get(i).detectedIntent() + "\", \"confidence\": 0.9}]");
    }
    rows.add(Row.detected("intent_00").message(data.message(0)).correct("intent_01").at(at));   // reviewed
    rows.add(Row.detected("intent_00").message(data.message(0)).status("approved").at(at));
    rows.add(Row.detected("intent_00").message(data.message(0)).status("rejected").at(at));
    rows.add(Row.detected("intent_00").message(data.message(0)).confidence(null).at(at));     // no prediction
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, rows);
    }
    return rows.subList(0, 120).stream().map(Row::id).toList();
  }

  @Test
  void afterADeployTheRowsWaitingForReviewCarryTheNewModelsScoresAndTheQueueFollowsThem() throws Exception {
    // Arrange
    List<UUID> waiting = fill(21);

    // Act
    RunOutcome outcome = run(service(100_000), TrainingPipeline.TimeBudget.UNLIMITED);

    // Assert: the run deployed and re-scored every row waiting, recorded on its row and report
    assertThat(outcome.deployed()).isTrue();
    String version = outcome.modelVersion().orElseThrow();
    assertThat(outcome.stageSeconds().keySet()).containsExactlyElementsOf(TrainingPipeline.STAGES);
    JsonNode parameters = runRow(outcome.runId()).path("parameters");
    assertThat(parameters.path("rescore_limit").asInt()).isEqualTo(100_000);
    JsonNode rescore = parameters.path("rescore");
    assertThat(rescore.path("model_version").asText()).isEqualTo(version);
    assertThat(rescore.path("rows").asInt()).isEqualTo(120);
    assertThat(rescore.path("complete").asBoolean()).isTrue();
    assertThat(rescore.path("error").isNull()).isTrue();
    assertThat(rescore.path("seconds").asDouble()).isPositive();
    assertThat(Json.MAPPER.readTree(store.get("reports/" + outcome.runId() + ".json")).path("run").path("parameters")
        .path("rescore").path("rows").asInt()).isEqualTo(120);

    // Each waiting row has the deployed model's answer beside the bot's, unchanged; the others nothing.
    IntentModel deployed = ModelCodec.read(store.latest().orElseThrow().bytes());
    Map<UUID, Stored> rows = stored();
    for (Stored row : rows.values()) {
      if (!waiting.contains(row.id())) {
        assertThat(row.rescoredVersion()).as("a row not waiting for review").isNull();
        continue;
      }
      Prediction p = deployed.predict(row.message(), 3);
      assertThat(row.rescoredVersion()).isEqualTo(version);
      assertThat(row.rescoredIntent()).isEqualTo(p.intent());
      assertThat(row.rescoredConfidence()).isEqualTo((int) Math.round(100 * p.confidence()));
      assertThat(row.rescoredMargin()).isEqualTo((float) (p.topIntents().get(0).confidence()
          - p.topIntents().get(1).confidence()));
      assertThat(row.rescoredTop()).hasSize(3);
      assertThat(row.rescoredTop().get(0).path("intent").asText()).isEqualTo(p.intent());
      assertThat(row.confidence()).as("the bot's confidence stays").isEqualTo(90);
      assertThat(row.margin()).isEqualTo(0.5f);
      assertThat(row.topIntents()).contains("0.9");
    }
    assertThat(rows.values().stream().map(Stored::rescoredConfidence).distinct().count())
        .as("the new model tells the rows apart, where the bot said 90 for all").isGreaterThan(5);

    // The queue: the re-scored confidence and margin, then id.
    List<UUID> expected = rows.values().stream().filter(r -> waiting.contains(r.id()))
        .sorted(Comparator.comparing(Stored::rescoredConfidence).thenComparing(Stored::rescoredMargin)
            .thenComparing(r -> r.id().toString()))
        .map(Stored::id).toList();
    List<PendingSample> queue = new ReviewService(database).pendingReview(PendingReviewFilter.none(),
        ReviewOrder.LOWEST_CONFIDENCE, PageRequest.first(200)).items();
    assertThat(queue).extracting(PendingSample::id).containsExactlyElementsOf(expected);
    assertThat(queue.get(0).rescored().modelVersion()).isEqualTo(version);
    assertThat(queue.get(0).rescored().confidenceScore()).isEqualTo(rows.get(expected.get(0)).rescoredConfidence());
  }

  @Test
  void theNextDeployRescoresAgainWithItsModel() throws Exception {
    // Arrange
    fill(22);
    RunOutcome first = run(service(100_000), TrainingPipeline.TimeBudget.UNLIMITED);

    // Act
    RunOutcome second = run(service(100_000), TrainingPipeline.TimeBudget.UNLIMITED);

    // Assert
    assertThat(second.deployed()).isTrue();
    assertThat(second.modelVersion()).isNotEqualTo(first.modelVersion());
    assertThat(stored().values().stream().map(Stored::rescoredVersion).filter(v -> v != null).distinct())
        .containsExactly(second.modelVersion().orElseThrow());
  }

  @Test
  void theLimitBoundsTheWorkToTheNewestRows() throws Exception {
    // Arrange: rows one second apart, the newest last
    List<UUID> waiting = fill(23);

    // Act
    RunOutcome outcome = run(service(50), TrainingPipeline.TimeBudget.UNLIMITED);

    // Assert
    JsonNode rescore = runRow(outcome.runId()).path("parameters").path("rescore");
    assertThat(rescore.path("rows").asInt()).isEqualTo(50);
    assertThat(rescore.path("limit").asInt()).isEqualTo(50);
    assertThat(rescore.path("complete").asBoolean()).isTrue();
    Map<UUID, Stored> rows = stored();
    assertThat(waiting.stream().filter(id -> rows.get(id).rescoredVersion() != null).toList())
        .containsExactlyElementsOf(waiting.subList(70, 120));
  }

  @Test
  void withTooLittleTimeLeftTheDeployStandsAndNothingIsRescored() throws Exception {
    // Arrange: enough time for a deploy, not for a page of re-scoring
    fill(24);
    Duration left = TrainingPipeline.DEPLOY_RESERVE.plusSeconds(5);
    assertThat(left).isLessThan(TrainingPipeline.RESCORE_RESERVE);

    // Act
    RunOutcome outcome = run(service(100_000), () -> left);

    // Assert
    assertThat(outcome.status()).isEqualTo("completed");
    assertThat(outcome.deployed()).isTrue();
    JsonNode rescore = runRow(outcome.runId()).path("parameters").path("rescore");
    assertThat(rescore.path("rows").asInt()).isZero();
    assertThat(rescore.path("complete").asBoolean()).isFalse();
    assertThat(rescore.path("error").isNull()).isTrue();
    assertThat(stored().values()).allSatisfy(row -> assertThat(row.rescoredVersion()).isNull());
  }

  @Test
  void aRescoringFailureDoesNotUndoTheDeployNorFailTheRun() throws Exception {
    // Arrange: the database refuses every write of re-scored figures
    fill(25);
    sql("CREATE FUNCTION refuse_rescore() RETURNS trigger LANGUAGE plpgsql AS"
        + " $$ BEGIN RAISE EXCEPTION 'no re-scoring here' USING ERRCODE = 'XX999'; END $$");
    sql("CREATE TRIGGER refuse_rescore BEFORE UPDATE OF rescored_model_version ON ai_training_data"
        + " FOR EACH ROW EXECUTE FUNCTION refuse_rescore()");
    RunOutcome outcome;
    try {
      // Act
      outcome = run(service(100_000), TrainingPipeline.TimeBudget.UNLIMITED);
    } finally {
      sql("DROP TRIGGER refuse_rescore ON ai_training_data");
      sql("DROP FUNCTION refuse_rescore()");
    }

    // Assert: the model is in service and the run completed and recorded as usual, with the failure
    assertThat(outcome.status()).isEqualTo("completed");
    assertThat(outcome.deployed()).isTrue();
    String version = outcome.modelVersion().orElseThrow();
    assertThat(store.latest().orElseThrow().bytes()).isEqualTo(store.read(version));
    JsonNode row = runRow(outcome.runId());
    assertThat(row.path("status").asText()).isEqualTo("completed");
    assertThat(row.path("deployed").asBoolean()).isTrue();
    assertThat(row.path("model_version").asText()).isEqualTo(version);
    assertThat(row.path("error_message").isNull()).isTrue();
    assertThat(row.path("report_file_path").asText()).endsWith(".html");
    JsonNode rescore = row.path("parameters").path("rescore");
    assertThat(rescore.path("rows").asInt()).isZero();
    assertThat(rescore.path("complete").asBoolean()).isFalse();
    assertThat(rescore.path("error").asText()).isEqualTo("database error (SQLSTATE XX999)");
    assertThat(stored().values()).allSatisfy(r -> assertThat(r.rescoredVersion()).isNull());
    assertThat(stored().values().stream().filter(r -> r.status().equals("used_in_training")).count())
        .as("the record stage marked the rows trained on").isPositive();
  }
}
