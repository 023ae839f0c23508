package io.intentpipeline.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.json.Json;
import io.intentpipeline.local.cli.demo.DemoDataset;
import io.intentpipeline.local.cli.demo.LiveTraffic;
import io.intentpipeline.serving.S3ModelObject;
import io.intentpipeline.storage.Database;
import io.intentpipeline.testing.Events;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's "done when": the local stack started in-process (its own database, free ports, a
 * temporary data folder) and the whole loop driven over HTTP: record, flush, train, predict,
 * correction, retrain; then an admin's rollback by S3 copy, after which predict serves the older
 * model.
 */
class PipelineLoopIT {
  private static final String QUESTION = "where is my parcel, it has not arrived";

  private static JsonNode awaitRun(Api api, String runId) {
    JsonNode[] run = new JsonNode[1];
    Api.await("training run " + runId + " to finish", Duration.ofSeconds(120), () -> {
      run[0] = api.get("/ai/training/runs?run_id=" + runId).json().path("items").path(0);
      return Set.of("completed", "failed", "skipped").contains(run[0].path("status").asText());
    });
    return run[0];
  }

  private static String modelVersionAnswering(Api api) {
    Api.Answer answer = api.get("/ai/training/predict?text=" + URLEncoder.encode(QUESTION, StandardCharsets.UTF_8));
    return answer.status() == 200 ? answer.json().path("model_version").asText() : "(" + answer.status() + ")";
  }

  @Test
  void recordFlushTrainPredictCorrectRetrainAndRollBack(@TempDir Path dataDir) {
    try (FreshDatabase database = PostgresServer.shared().createDatabase("loop")) {
      var settings = new Database.Settings(database.jdbcUrl(), database.user(), database.password(), 2);
      LocalStack.Options options = LocalStack.Options.defaults(Events.projectRoot()).withDataDir(dataDir).fast()
          .withSchedules(LocalStack.Schedules.OFF)
          .withValues(Map.of("ModelRefreshSeconds", "1", "RetrainThreshold", "1000000"), Map.of());
      try (LocalStack stack = LocalStack.start(options, settings)) {
        Api api = new Api(stack.apiUrl());
        String bucket = stack.buckets().get("ModelBucket");

        // Record: the sample dataset as live traffic; the bot got a tenth of it wrong.
        List<LiveTraffic.Interaction> traffic = LiveTraffic.of(DemoDataset.load(), 0.1, 8, Instant.now(),
            Duration.ofHours(1));
        for (int i = 0; i < traffic.size(); i += 100) {
          var batch = traffic.subList(i, Math.min(traffic.size(), i + 100)).stream().map(LiveTraffic.Interaction::body).toList();
          assertThat(api.post("/ai/training/interactions", Json.write(Map.of("interactions", batch))).status()).isEqualTo(202);
        }

        // Flush
        Api.await("every interaction stored", Duration.ofSeconds(60), () -> {
          assertThat(api.post("/ai/training/flush", "").status()).isEqualTo(200);
          return api.get("/ai/training/dataset/stats").json().path("total_samples").asInt() == traffic.size();
        });

        // Train: queued by the API (202), run by the train function from the retrain queue.
        Api.Answer queued = api.post("/ai/training/run", "{}");
        assertThat(queued.status()).as(queued.text()).isEqualTo(202);
        JsonNode first = awaitRun(api, queued.json().path("run_id").asText());
        assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("completed");
        assertThat(first.path("deployed").asBoolean()).isTrue();
        String v1 = first.path("model_version").asText();
        assertThat(stack.s3().headObject(b -> b.bucket(bucket).key("models/" + v1 + ".model")).contentLength()).isPositive();

        // Predict
        Api.await("predict serving the first model", Duration.ofSeconds(20), () -> v1.equals(modelVersionAnswering(api)));
        JsonNode prediction = api.post("/ai/training/predict", "{\"text\": \"Where is my order?\", \"top_k\": 3}").json();
        Set<String> intents = new java.util.HashSet<>();
        traffic.forEach(t -> intents.add(t.trueIntent()));
        assertThat(intents).contains(prediction.path("intent").asText());
        assertThat(prediction.path("confidence").asDouble()).isBetween(0.0, 1.0);
        assertThat(prediction.path("top_intents")).hasSize(3);

        // Correction: the bot's mistakes, found in the review queue, get their right intent.
        Map<String, LiveTraffic.Interaction> byId = new HashMap<>();
        traffic.forEach(t -> byId.put(t.id(), t));
        int corrected = 0;
        for (JsonNode item : api.get("/ai/training/pending-review?limit=200&max_confidence=50").json().path("items")) {
          LiveTraffic.Interaction sent = byId.get(item.path("interaction_id").asText());
          if (sent != null && sent.botWasWrong()) {
            Api.Answer answer = api.post("/ai/training/correction", Json.write(Map.of(
                "training_data_id", item.path("id").asText(), "correct_intent", sent.trueIntent())));
            assertThat(answer.status()).as(answer.text()).isEqualTo(201);
            corrected++;
          }
        }
        long wrong = traffic.stream().filter(LiveTraffic.Interaction::botWasWrong).count();
        assertThat(corrected).isEqualTo((int) wrong);

        // Retrain: the corrected labels make a better model, which the deploy gate lets through.
        JsonNode second = awaitRun(api, api.post("/ai/training/run", "{}").json().path("run_id").asText());
        assertThat(second.path("status").asText()).as(second.toString()).isEqualTo("completed");
        assertThat(second.path("deployed").asBoolean()).as(second.path("deploy_reason").asText()).isTrue();
        String v2 = second.path("model_version").asText();
        assertThat(v2).isNotEqualTo(v1);
        assertThat(second.path("baseline_intent_f1_score").asDouble()).isPositive();
        Api.await("predict serving the retrained model", Duration.ofSeconds(20), () -> v2.equals(modelVersionAnswering(api)));
        assertThat(api.post("/ai/training/predict", "{\"text\": \"Where is my order?\"}").json().path("intent").asText())
            .isEqualTo("order_status");

        // Rollback: an admin copies the first model over latest.
        stack.s3().copyObject(b -> b.sourceBucket(bucket).sourceKey("models/" + v1 + ".model")
            .destinationBucket(bucket).destinationKey(S3ModelObject.LATEST_KEY));

        // Predict serves the older model.
        Api.await("predict serving the rolled-back model " + v1, Duration.ofSeconds(20),
            () -> v1.equals(modelVersionAnswering(api)));
      }
    }
  }
}
