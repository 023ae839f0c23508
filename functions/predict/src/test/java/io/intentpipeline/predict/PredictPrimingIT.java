package io.intentpipeline.predict;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.aws.S3Clients;
import io.intentpipeline.log.Log;
import io.intentpipeline.serving.LatestModel;
import io.intentpipeline.serving.S3ModelObject;
import io.intentpipeline.testing.Invocations.HttpResult;
import io.intentpipeline.testing.TestStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The SnapStart (CRaC) hooks called directly, as the runtime calls them around a snapshot, against
 * a real S3 server: what they load, warm, close and renew. The clock never moves here, so any S3
 * request after the first load is the hooks' own doing.
 */
class PredictPrimingIT {
  private static final String A = "2026-11-20T02:00:00Z";
  private static final String B = "2026-11-21T02:00:00Z";
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  static TestStack stack;

  private String bucket;
  private GetCounter gets;
  private AtomicInteger settingsRead;
  private LatestModel models;
  private PredictHandler handler;
  private ByteArrayOutputStream logs;

  @BeforeAll
  static void start() {
    stack = TestStack.create("priming");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @BeforeEach
  void freshBucketAndFunction() {
    bucket = stack.bucket() + "-" + BUCKETS.incrementAndGet();
    S3Clients.ensureBucket(stack.s3(), bucket);
    gets = new GetCounter();
    settingsRead = new AtomicInteger();
    models = new LatestModel(new S3ModelObject(() -> {
      settingsRead.incrementAndGet();
      return stack.aws();
    }, bucket, S3ModelObject.LATEST_KEY, gets.around(PredictHandler.http())), Duration.ofSeconds(60), () -> 42L);
    handler = new PredictHandler(models);
    logs = new ByteArrayOutputStream();
    Log.to(new PrintStream(logs, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreLog() {
    Log.to(System.out);
    models.source().close();
  }

  @Test
  void beforeCheckpointLoadsTheModelWarmsThePredictPathAndDropsItsCredentials() throws Exception {
    // Arrange
    deploy(TestModels.model(A));

    // Act
    handler.priming().beforeCheckpoint(null);

    // Assert
    assertThat(models.current()).get().extracting(LatestModel.Served::version).isEqualTo(TestModels.version(A));
    assertThat(models.source().connected()).as("credentials dropped before the snapshot").isFalse();
    assertThat(gets.downloaded.get()).isEqualTo(1);
    assertThat(gets.notModified.get()).as("the 304 path is warmed too").isEqualTo(1);
    String primed = logs.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"predict_primed\""))
        .findFirst().orElseThrow();
    // Three requests in four are good ones; the fourth is a refusal (warming the 400 path).
    assertThat(primed).contains("\"requests\":" + PredictPriming.WARM_UP_REQUESTS,
        "\"answered\":" + PredictPriming.WARM_UP_REQUESTS * 3 / 4, "\"model_loaded\":true");
  }

  @Test
  void theWarmUpRunsGoodAndBadRequestsThroughTheHandler() {
    // Arrange
    deploy(TestModels.model(A));
    models.refreshNow();

    // Act
    int answered = handler.priming().warmUp(40);

    // Assert
    assertThat(answered).isEqualTo(30);
  }

  @Test
  void beforeCheckpointWithoutAModelSkipsTheWarmUpAndStillCloses() {
    // Act
    handler.priming().beforeCheckpoint(null);

    // Assert
    assertThat(models.current()).isEmpty();
    assertThat(models.problem()).isEqualTo(LatestModel.Problem.MISSING);
    assertThat(models.source().connected()).isFalse();
    assertThat(logs.toString(StandardCharsets.UTF_8)).contains("\"predict_primed\"", "\"requests\":0")
        .doesNotContain("predict_unavailable");
  }

  @Test
  void afterRestoreRenewsTheCredentialsAndServesAModelDeployedWhileTheSnapshotSlept() throws Exception {
    // Arrange
    deploy(TestModels.model(A));
    handler.priming().beforeCheckpoint(null);
    int settingsBefore = settingsRead.get();
    deploy(TestModels.model(B));

    // Act
    handler.priming().afterRestore(null);
    HttpResult response = PredictHandlerIT.call(handler, PredictHandlerIT.getEvent(Map.of("text", "where is my new card")));

    // Assert
    assertThat(settingsRead.get()).as("credentials and endpoint read again after the restore")
        .isEqualTo(settingsBefore + 1);
    assertThat(models.source().connected()).isTrue();
    assertThat(response.status()).isEqualTo(200);
    JsonNode body = response.body();
    assertThat(body.get("model_version").asText()).as("served at once, without waiting for the interval")
        .isEqualTo(TestModels.version(B));
    assertThat(gets.downloaded.get()).isEqualTo(2);
    assertThat(logs.toString(StandardCharsets.UTF_8)).contains("\"predict_restored\"", "\"model_changed\":true");
  }

  @Test
  void afterRestoreWithAnUnchangedModelDownloadsNothing() {
    // Arrange
    deploy(TestModels.model(A));
    handler.priming().beforeCheckpoint(null);

    // Act
    handler.priming().afterRestore(null);

    // Assert
    assertThat(gets.downloaded.get()).isEqualTo(1);
    assertThat(gets.notModified.get()).isEqualTo(2);
    assertThat(models.current()).get().extracting(LatestModel.Served::version).isEqualTo(TestModels.version(A));
  }

  private void deploy(byte[] bytes) {
    stack.s3().putObject(b -> b.bucket(bucket).key(S3ModelObject.LATEST_KEY), RequestBody.fromBytes(bytes));
  }
}
