package io.intentpipeline.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.S3Clients;
import io.intentpipeline.config.Env;
import io.intentpipeline.predict.PredictHandler;
import io.intentpipeline.storage.ModelStore;
import io.intentpipeline.testing.FailingS3;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.train.TrainHandler;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The model store failing: S3 unreachable or refusing one operation in the middle of a deploy
 * leaves latest as it was (the model in service stays in service), and a corrupt latest never
 * replaces the model predict serves. Train and predict functions against the S3 server
 * (S3Proxy, AWS wire protocol), through a {@link TcpProxy} where the whole server must vanish.
 */
class ModelStoreFaultsIT {
  static FaultStack faults;
  static TcpProxy s3Proxy;

  @BeforeAll
  static void start() {
    faults = new FaultStack("modelstore");
    s3Proxy = TcpProxy.to(URI.create(faults.stack.envVars().get("AWS_ENDPOINT_URL_S3")));
  }

  @AfterAll
  static void stop() {
    s3Proxy.close();
    faults.close();
  }

  @BeforeEach
  void reset() throws Exception {
    s3Proxy.resume();
    TrainContainers.clear(faults.stack);
    TrainContainers.samples(faults.stack, 30, 21);
  }

  /**
   * A deploy meets S3 failing: the whole server unreachable from the deploy stage on (its
   * connections cut, new ones refused), or only the PutObject of the new timestamped model, or
   * only the CopyObject over latest after the new model was written and verified. Each time the
   * run ends failed, latest holds the same bytes as before, no timestamped object is left that
   * was never in service, and once S3 is back the next run deploys.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"unreachable", "PutObject", "CopyObject"})
  void s3FailingDuringADeployLeavesLatestUnchanged(String failure) throws Exception {
    JsonNode first = TrainContainers.runNow(TrainContainers.plain(faults.env()));
    assertThat(first.path("deployed").asBoolean()).as(first.toString()).isTrue();
    byte[] before = TrainContainers.latest(faults.stack);
    List<String> keysBefore = TrainContainers.versionKeys(faults.stack);

    TrainHandler train;
    FailingS3 failing = new FailingS3(faults.stack);
    java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean(true);
    if (failure.equals("unreachable")) {
      Env env = faults.env(Map.of("AWS_ENDPOINT_URL_S3", s3Proxy.endpoint(URI.create(
          faults.stack.envVars().get("AWS_ENDPOINT_URL_S3")))));
      S3Client viaProxy = S3Clients.create(AwsSettings.fromEnv(env));
      train = TrainContainers.watched(env, (run, stage) -> {
        if (stage.equals("deploy") && once.getAndSet(false)) {
          s3Proxy.down();
        }
      }, viaProxy);
    } else {
      train = TrainContainers.watched(faults.env(), (run, stage) -> {
        if (stage.equals("deploy") && once.getAndSet(false)) {
          failing.fail(failure);
        }
      }, failing.client());
    }
    JsonNode failed = TrainContainers.runNow(train);

    assertThat(failed.path("status").asText()).as(failed.toString()).isEqualTo("failed");
    assertThat(failed.path("deployed").asBoolean()).isFalse();
    String[] row = TrainContainers.run(faults.stack, UUID.fromString(failed.path("run_id").asText()));
    assertThat(row[0]).isEqualTo("failed");
    assertThat(row[2]).isEqualTo("false");
    assertThat(TrainContainers.latest(faults.stack)).as("latest, byte for byte").isEqualTo(before);
    assertThat(TrainContainers.versionKeys(faults.stack)).isEqualTo(keysBefore);

    s3Proxy.resume();
    failing.heal();
    JsonNode next = TrainContainers.runNow(train);
    assertThat(next.path("deployed").asBoolean()).as(next.toString()).isTrue();
    assertThat(TrainContainers.version(TrainContainers.latest(faults.stack)))
        .isEqualTo(next.path("model_version").asText());
  }

  /**
   * Latest is overwritten with bytes that are not a whole, valid model (one byte flipped, cut in
   * half, empty). A predict container serving a model keeps serving it, answer for answer, past
   * its refresh interval; a container starting now answers 503 naming the problem instead of
   * guessing; the next training run replaces the unreadable latest, and predict serves that model
   * within its refresh interval.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"flipped-byte", "truncated", "empty"})
  void aCorruptLatestNeverReplacesTheModelPredictServes(String corruption) throws Exception {
    TrainHandler train = TrainContainers.plain(faults.env());
    JsonNode deployed = TrainContainers.runNow(train);
    String version = deployed.path("model_version").asText();
    Env predictEnv = faults.env(Map.of("MODEL_REFRESH_SECONDS", "1"));
    PredictHandler predict = new PredictHandler(predictEnv);
    JsonNode served = predict(predict);
    assertThat(served.path("model_version").asText()).isEqualTo(version);

    byte[] good = TrainContainers.latest(faults.stack);
    byte[] bad = switch (corruption) {
      case "flipped-byte" -> {
        byte[] b = good.clone();
        b[b.length / 2] ^= 0x01;
        yield b;
      }
      case "truncated" -> Arrays.copyOf(good, good.length / 2);
      default -> new byte[0];
    };
    faults.stack.s3().putObject(b -> b.bucket(faults.stack.bucket()).key(ModelStore.LATEST_KEY), RequestBody.fromBytes(bad));
    Thread.sleep(1_200);

    for (int i = 0; i < 3; i++) {
      assertThat(predict(predict)).as("after the refresh interval").isEqualTo(served);
      Thread.sleep(400);
    }
    var cold = Invocations.get(new PredictHandler(predictEnv), "/ai/training/predict", Map.of("text", "where is it"));
    assertThat(cold.status()).isEqualTo(503);
    assertThat(cold.body().toString()).contains("unreadable");

    JsonNode replaced = TrainContainers.runNow(train);
    assertThat(replaced.path("deployed").asBoolean()).as(replaced.toString()).isTrue();
    Thread.sleep(1_200);
    assertThat(predict(predict).path("model_version").asText()).isEqualTo(replaced.path("model_version").asText());
  }

  private static JsonNode predict(PredictHandler predict) {
    var answer = Invocations.get(predict, "/ai/training/predict", Map.of("text", "ka lo mi ber", "top_k", "3"));
    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
    return answer.body();
  }
}
