package io.intentpipeline.reliability.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.log.Log;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.predict.PredictHandler;
import io.intentpipeline.serving.HttpGetter;
import io.intentpipeline.serving.LatestModel;
import io.intentpipeline.serving.S3ModelObject;
import io.intentpipeline.testing.TestStack;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The predict function fuzzed with a real model in S3 (S3Proxy): {@code GET} query strings and
 * {@code POST} bodies; every 2xx carries an intent of the model and finite confidences in [0, 1].
 * Then damaged model files are deployed over {@code models/intent_classifier_latest.model} one
 * after another: the function must keep answering from the model it has, never a 5xx.
 */
class PredictFuzzIT {
  static TestStack stack;
  static PredictHandler handler;
  /** A clock that jumps two seconds at each reading, so each request re-checks S3. */
  static final AtomicLong NANOS = new AtomicLong();
  static Set<String> intents;
  static LatestModel models;

  @BeforeAll
  static void start() throws Exception {
    stack = TestStack.create("fuzzpredict");
    byte[] model = TinyModel.bytes();
    intents = Set.copyOf(ModelCodec.read(model).intents());
    put(model);
    var source = new S3ModelObject(stack::aws, stack.bucket(), S3ModelObject.LATEST_KEY,
        HttpGetter.urlConnection(Duration.ofSeconds(2), Duration.ofSeconds(10)));
    models = new LatestModel(source, Duration.ofSeconds(1), () -> NANOS.addAndGet(2_000_000_000L));
    handler = new PredictHandler(models);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  static void put(byte[] bytes) {
    stack.s3().putObject(b -> b.bucket(stack.bucket()).key(S3ModelObject.LATEST_KEY), RequestBody.fromBytes(bytes));
  }

  @Test
  void predictAnswersEveryRequestClearlyAndSurvivesDamagedModels() {
    Map<String, List<String>> hints = Map.of(
        "top_k", List.of("1", "3", "4", "5", "20", "21", "0", "-1", "2.5", "99999999999"),
        "text", List.of("where is my card", "x".repeat(10_000), "x".repeat(10_001), "😀", " "));
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    Log.to(quiet);
    Tally tally;
    Tally deploys;
    try {
      Fuzz fuzz = new Fuzz("predict");
      tally = new HttpFuzzer(fuzz, handler, List.of("predict-get.json", "predict-post.json", "predict-get.invalid.json",
          "predict-post.invalid.json"), hints)
          .run("predict (GET and POST /ai/training/predict)", 5000, answer -> {
            if (answer.accepted()) {
              assertThat(intents).contains(answer.body().path("intent").asText());
              assertThat(answer.body().path("confidence").isNumber()).isTrue();
              double confidence = answer.body().path("confidence").asDouble();
              assertThat(confidence).isBetween(0.0, 1.0);
            }
          });

      Fuzz damage = new Fuzz("predict-damaged-models");
      deploys = new Tally("damaged model deployed under predict", damage.seed);
      byte[] good = TinyModel.bytes();
      String version = ModelCodec.read(good).metadata().modelVersion();
      // A fixed number: each one is an S3 upload and a re-read (not scaled by -Dfuzz.iterations).
      for (int i = 0; i < 60; i++) {
        String kind;
        byte[] bad;
        switch (damage.nextInt(4)) {
          case 0 -> {
            kind = "truncated";
            bad = java.util.Arrays.copyOf(good, damage.nextInt(good.length));
          }
          case 1 -> {
            kind = "bit flip";
            bad = good.clone();
            bad[damage.nextInt(bad.length)] ^= (byte) (1 << damage.nextInt(8));
          }
          case 2 -> {
            kind = "Java serialization stream";
            bad = ModelFileFuzzTest.javaSerialized(damage);
          }
          default -> {
            kind = "random bytes";
            bad = damage.randomBytes(500);
          }
        }
        put(bad);
        var log = new java.io.ByteArrayOutputStream();
        Log.to(new PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
          var answer = io.intentpipeline.testing.Invocations.httpFile(handler, "predict-get.json");
          // It did read the damaged file (and logged its rejection), and kept serving the good model.
          // (The same bytes twice have the same ETag: then it is "still rejected" without a download.)
          String logged = log.toString(java.nio.charset.StandardCharsets.UTF_8);
          boolean rejected = logged.contains("\"model_rejected\"") || logged.contains("\"model_still_rejected\"");
          if (answer.status() == 200 && version.equals(answer.body().path("model_version").asText()) && rejected) {
            deploys.answered(true, kind + ": 200 from the model it had");
          } else {
            deploys.failed(i, kind + ": " + answer.status() + " " + answer.body(), kind);
          }
        } catch (RuntimeException e) {
          deploys.failed(i, kind + ": " + e, kind);
        }
      }
      put(good);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      Log.to(System.out);
    }
    tally.report();
    deploys.report();
    JsonNode after = io.intentpipeline.testing.Invocations.get(handler, "/ai/training/predict",
        Map.of("text", "where is my card")).body();
    assertThat(after.path("intent").asText()).isIn(intents);
  }
}
