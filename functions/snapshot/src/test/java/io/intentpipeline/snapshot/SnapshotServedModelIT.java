package io.intentpipeline.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.storage.ModelStore;
import io.intentpipeline.storage.S3ModelStore;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.Invocations.HttpResult;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TestStackExtension;
import io.intentpipeline.testing.TrainingRows;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19: after a rollback (an admin's S3 copy of an older model over latest), metrics and
 * intent performance describe the model predict serves, not the newest deployed run. The
 * snapshot function as Lambda builds it (from its environment), real PostgreSQL and S3.
 */
class SnapshotServedModelIT {
  static final String OLDER = "intent_classifier_20261101_020000";
  static final String NEWER = "intent_classifier_20261102_020000";
  @RegisterExtension
  static final TestStackExtension STACK = TestStackExtension.withDatabase("snapshotserved").emptyingTrainingRows();
  static TestStack stack;
  static SnapshotHandler handler;
  static S3ModelStore store;

  @BeforeAll
  static void start() {
    stack = STACK.stack();
    handler = new SnapshotHandler(stack.env());
    store = new S3ModelStore(stack.s3(), stack.bucket());
  }

  @Test
  void afterARollbackByS3CopyMetricsAndIntentPerformanceDescribeTheServedModel() throws Exception {
    // Arrange: two deployed runs, their models written as a deploy writes them, the newer in service
    try (Connection c = stack.connect()) {
      TrainingRows.run(c, OLDER, true, 0.81f, Instant.parse("2026-11-01T02:10:00Z"),
          "{\"card_arrival\": {\"precision\": 0.8, \"recall\": 0.7, \"f1\": 0.75, \"support\": 10}}");
      TrainingRows.run(c, NEWER, true, 0.93f, Instant.parse("2026-11-02T02:10:00Z"),
          "{\"card_arrival\": {\"precision\": 0.95, \"recall\": 0.9, \"f1\": 0.92, \"support\": 12}}");
    }
    store.put(OLDER, "older model".getBytes(StandardCharsets.UTF_8));
    store.put(NEWER, "newer model".getBytes(StandardCharsets.UTF_8));
    store.promote(NEWER);
    HttpResult beforeMetrics = Invocations.httpFile(handler, "snapshot-metrics.json");

    // Act: the README's rollback runbook, an S3 copy of the older object over latest
    stack.s3().copyObject(b -> b.sourceBucket(stack.bucket()).sourceKey("models/" + OLDER + ".model")
        .destinationBucket(stack.bucket()).destinationKey(ModelStore.LATEST_KEY));
    HttpResult metrics = Invocations.httpFile(handler, "snapshot-metrics.json");
    HttpResult performance = Invocations.httpFile(handler, "snapshot-intent-performance.json");

    // Assert
    assertThat(beforeMetrics.body().path("model").path("model_version").asText()).isEqualTo(NEWER);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body().path("model").path("model_version").asText()).isEqualTo(OLDER);
    assertThat(metrics.body().path("model").path("f1").asDouble()).isEqualTo(0.81, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(performance.status()).isEqualTo(200);
    assertThat(performance.body().path("run").path("model_version").asText()).isEqualTo(OLDER);
    assertThat(performance.body().path("intents").get(0).path("f1").asDouble()).isEqualTo(0.75);
  }

  @Test
  void aLatestWithoutAVersionFallsBackToTheNewestDeployedRun() throws Exception {
    // Arrange: latest written by hand (no version metadata), two deployed runs
    try (Connection c = stack.connect()) {
      TrainingRows.run(c, OLDER, true, 0.81f, Instant.parse("2026-11-01T02:10:00Z"), null);
      TrainingRows.run(c, NEWER, true, 0.93f, Instant.parse("2026-11-02T02:10:00Z"), null);
    }
    stack.s3().putObject(b -> b.bucket(stack.bucket()).key(ModelStore.LATEST_KEY),
        software.amazon.awssdk.core.sync.RequestBody.fromString("hand-made"));

    HttpResult metrics = Invocations.httpFile(handler, "snapshot-metrics.json");

    assertThat(metrics.body().path("model").path("model_version").asText()).isEqualTo(NEWER);
  }
}
