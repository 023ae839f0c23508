package io.intentpipeline.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.serving.LatestModel;
import io.intentpipeline.testing.InMemoryModelStore;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.Invocations.HttpResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The whole predict function on the sample events of events/, reading its model from the
 * in-memory model store (through the same signed conditional GETs it sends to S3), with a test
 * clock for the refresh interval: the answer, and which deployed version gave it.
 */
class PredictFunctionalTest {
  private static final String A = "2026-11-20T02:00:00Z";
  private static final String B = "2026-11-21T02:00:00Z";
  private static final Duration INTERVAL = Duration.ofSeconds(60);

  private final InMemoryModelStore store = new InMemoryModelStore("models-functional");
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final PredictHandler handler = new PredictHandler(new LatestModel(store.latestObject(), INTERVAL, clock::get));

  private void deploy(String trainedAt) {
    store.put(TestModels.version(trainedAt), TestModels.model(trainedAt));
    store.promote(TestModels.version(trainedAt));
  }

  @Test
  void theEventSamplesAreAnsweredByTheDeployedModel() {
    deploy(A);

    HttpResult get = Invocations.httpFile(handler, "predict-get.json");
    HttpResult post = Invocations.httpFile(handler, "predict-post.json");

    assertThat(get.status()).isEqualTo(200);
    assertThat(get.headers()).containsEntry("content-type", "application/json; charset=utf-8");
    assertThat(get.body().get("intent").asText()).isEqualTo("card_arrival");
    assertThat(get.body().get("top_intents")).hasSize(3);
    assertThat(get.body().get("model_version").asText()).isEqualTo(TestModels.version(A));
    assertThat(post.status()).isEqualTo(200);
    assertThat(post.body().get("intent").asText()).isEqualTo("card_arrival");
    assertThat(post.body().get("top_intents")).hasSize(5);
  }

  @Test
  void theBadTwinsAre400NamingTheField() {
    deploy(A);

    assertThat(Map.of("predict-get.invalid.json", "text", "predict-post.invalid.json", "top_k")).allSatisfy((file, field) -> {
      HttpResult refused = Invocations.httpFile(handler, file);
      assertThat(refused.status()).as(file).isEqualTo(400);
      assertThat(refused.errorField()).as(file).isEqualTo(field);
      assertThat(refused.body().get("error").get("code").asText()).as(file).isEqualTo("invalid_request");
    });
  }

  @Test
  void aNewDeployIsServedOnceTheRefreshIntervalHasPassed() {
    deploy(A);
    Invocations.httpFile(handler, "predict-get.json");
    deploy(B);

    HttpResult before = Invocations.httpFile(handler, "predict-get.json");
    clock.addAndGet(INTERVAL.toNanos());
    HttpResult after = Invocations.httpFile(handler, "predict-get.json");

    assertThat(before.body().get("model_version").asText()).isEqualTo(TestModels.version(A));
    assertThat(after.body().get("model_version").asText()).isEqualTo(TestModels.version(B));
  }

  @Test
  void withoutADeployedModelIt503sWithWhenToLookAgain() {
    HttpResult response = Invocations.httpFile(handler, "predict-get.json");

    assertThat(response.status()).isEqualTo(503);
    assertThat(response.headers()).containsEntry("retry-after", "60");
    assertThat(response.body().get("error").get("code").asText()).isEqualTo("model_not_deployed");
  }

  @Test
  void anUnreachableStoreIs503AndTheModelHeldKeepsServing() {
    store.unavailable(true);
    HttpResult down = Invocations.httpFile(handler, "predict-get.json");
    store.unavailable(false);
    deploy(A);
    clock.addAndGet(INTERVAL.toNanos());
    Invocations.httpFile(handler, "predict-get.json");
    store.unavailable(true);
    clock.addAndGet(INTERVAL.toNanos());

    HttpResult held = Invocations.httpFile(handler, "predict-get.json");

    assertThat(down.status()).isEqualTo(503);
    assertThat(down.body().get("error").get("code").asText()).isEqualTo("model_store_unavailable");
    assertThat(held.status()).isEqualTo(200);
    assertThat(held.body().get("model_version").asText()).isEqualTo(TestModels.version(A));
  }

  @Test
  void personalDataIsRedactedBeforeTheTextIsClassified() {
    // Arrange: the same text with personal data, and as record would have stored it.
    deploy(A);
    PredictHandler unredacted = new PredictHandler(new LatestModel(store.latestObject(), INTERVAL, clock::get),
        io.intentpipeline.privacy.Redactor.off());
    Map<String, String> withData = Map.of("text", "my card 4111 1111 1111 1111 hasn't arrived, mail jane@example.com");
    Map<String, String> redacted = Map.of("text", "my card [CARD] hasn't arrived, mail [EMAIL]");

    // Act
    HttpResult fromData = Invocations.get(handler, "/ai/training/predict", withData);
    HttpResult fromRedacted = Invocations.get(handler, "/ai/training/predict", redacted);
    HttpResult withoutRedaction = Invocations.get(unredacted, "/ai/training/predict", withData);

    // Assert: the model saw the placeholders (the same scores), and the digits change them when it does not.
    assertThat(fromData.status()).isEqualTo(200);
    assertThat(fromData.body()).isEqualTo(fromRedacted.body());
    assertThat(withoutRedaction.body()).isNotEqualTo(fromRedacted.body());
  }
}
