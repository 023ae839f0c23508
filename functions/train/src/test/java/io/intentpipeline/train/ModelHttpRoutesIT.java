package io.intentpipeline.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.storage.ModelStore;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.SyntheticIntents;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TrainingRows;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The admin console's model routes on the train function (ModelHttpRoutes), on real PostgreSQL
 * and the embedded S3: the catalog, a checked and recorded roll back, its refusals, report URLs.
 */
class ModelHttpRoutesIT {
  static TestStack stack;
  static TrainHandler handler;
  static String first;
  static String second;

  @BeforeAll
  static void start() throws Exception {
    stack = TestStack.create("modelroutes");
    handler = new TrainHandler(stack.env());
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, new SyntheticIntents(3, 0.1, 7).rows(20));
    }
    first = Json.parseBody(Invocations.invoke(handler, "{\"action\": \"run\", \"run_name\": \"first\"}")).path("model_version").asText();
    Thread.sleep(1100);
    second = Json.parseBody(Invocations.invoke(handler, "{\"action\": \"run\", \"run_type\": \"full\", \"run_name\": \"second\"}"))
        .path("model_version").asText();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static Invocations.HttpResult rollback(String body) {
    return Invocations.http(handler, "POST", "/ai/training/models/rollback", Map.of(), body);
  }

  @Test
  void listsTheVersionsWithTheirRunsAndRollsBackWithARecordThenRefusesWhatItMustNot() throws Exception {
    // Arrange
    assertThat(first).startsWith("intent_classifier_");
    assertThat(second).startsWith("intent_classifier_").isNotEqualTo(first);
    Invocations.HttpResult catalog = Invocations.get(handler, "/ai/training/models", Map.of());
    assertThat(catalog.status()).isEqualTo(200);
    assertThat(catalog.body().path("latest_version").asText()).isEqualTo(second);
    assertThat(catalog.body().path("versions")).extracting(v -> v.path("model_version").asText())
        .containsExactly(second, first);
    assertThat(catalog.body().path("versions").get(1).path("run_name").asText()).isEqualTo("first");

    // Act
    Invocations.HttpResult done = rollback("{\"model_version\": \"" + first + "\", \"reason\": \"worse on refunds\"}");

    // Assert: latest holds the first model, the roll back is recorded
    assertThat(done.status()).as(done.body().toString()).isEqualTo(200);
    assertThat(done.body().path("from_version").asText()).isEqualTo(second);
    assertThat(done.body().path("to_version").asText()).isEqualTo(first);
    assertThat(done.body().path("rolled_back_by").asText()).isEqualTo("local");
    byte[] latest = stack.s3().getObjectAsBytes(b -> b.bucket(stack.bucket()).key(ModelStore.LATEST_KEY)).asByteArray();
    assertThat(ModelCodec.read(latest).metadata().modelVersion()).isEqualTo(first);
    try (Connection c = stack.connect(); ResultSet rs = c.createStatement().executeQuery(
        "SELECT from_version, to_version, rolled_back_by, reason FROM ai_model_rollbacks")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(second);
      assertThat(rs.getString(2)).isEqualTo(first);
      assertThat(rs.getString(4)).isEqualTo("worse on refunds");
      assertThat(rs.next()).isFalse();
    }
    JsonNode after = Invocations.get(handler, "/ai/training/models", Map.of()).body();
    assertThat(after.path("latest_version").asText()).isEqualTo(first);
    assertThat(after.path("recent_rollbacks")).hasSize(1);

    // Refusals, each naming its field, none changing latest
    assertThat(rollback("{\"model_version\": \"" + first + "\"}").status()).isEqualTo(409);
    assertThat(rollback("{\"model_version\": \"intent_classifier_19990101_000000\"}").status()).isEqualTo(404);
    assertThat(rollback("{\"model_version\": \"../models/x\"}").errorField()).isEqualTo("model_version");
    assertThat(rollback("{}").status()).isEqualTo(400);
    stack.s3().putObject(b -> b.bucket(stack.bucket()).key(ModelStore.versionKey("intent_classifier_20000101_000000")),
        RequestBody.fromString("not a model"));
    Invocations.HttpResult garbage = rollback("{\"model_version\": \"intent_classifier_20000101_000000\"}");
    assertThat(garbage.status()).isEqualTo(400);
    assertThat(garbage.body().path("error").path("message").asText()).contains("not a readable model");
    byte[] still = stack.s3().getObjectAsBytes(b -> b.bucket(stack.bucket()).key(ModelStore.LATEST_KEY)).asByteArray();
    assertThat(ModelCodec.read(still).metadata().modelVersion()).isEqualTo(first);
  }

  @Test
  void handsOutAPresignedUrlOfARunsReport() throws Exception {
    // Arrange
    String runId = Invocations.get(handler, "/ai/training/runs", Map.of("limit", "1")).body().path("items").get(0)
        .path("id").asText();

    // Act
    Invocations.HttpResult report = Invocations.get(handler, "/ai/training/runs/report", Map.of("run_id", runId));

    // Assert
    assertThat(report.status()).as(report.body().toString()).isEqualTo(200);
    var response = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(report.body().path("url").asText())).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).containsIgnoringCase("<html");
    assertThat(Invocations.get(handler, "/ai/training/runs/report",
        Map.of("run_id", "00000000-0000-4000-8000-000000000000")).status()).isEqualTo(404);
    assertThat(Invocations.get(handler, "/ai/training/runs/report", Map.of("run_id", "x")).errorField()).isEqualTo("run_id");
  }
}
