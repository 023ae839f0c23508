package io.intentpipeline.predict;

import io.intentpipeline.dataset.JsonlFormat;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.ml.FeatureBlock;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.ml.Trainer;
import io.intentpipeline.ml.TrainingProfile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Model files for the tests, trained with the ML core on the six-intent fixture of {@code shared}
 * (a small profile like {@code default}: it trains in milliseconds). The training time becomes
 * the model's version ({@code intent_classifier_YYYYMMDD_HHMMSS}), so two times give two models
 * with different bytes and versions.
 */
final class TestModels {
  static final List<String> INTENTS =
      List.of("cancel_order", "card_arrival", "greeting", "opening_hours", "password_reset", "refund_request");
  private static final Map<Instant, byte[]> CACHE = new ConcurrentHashMap<>();
  private static final TrainingProfile SMALL = new TrainingProfile("default",
      List.of(FeatureBlock.words(1, 2, 1), FeatureBlock.charsInWords(2, 4)), true, 1, 0, List.of(1.0), true, 0.1,
      1000, TrainingProfile.CalibrationMethod.TEMPERATURE_VALIDATION, 5, true);

  private TestModels() {}

  /** The model file trained at {@code trainedAt} (an ISO instant such as 2026-11-20T02:00:00Z). */
  static byte[] model(String trainedAt) {
    Instant at = Instant.parse(trainedAt);
    return CACHE.computeIfAbsent(at, t -> ModelCodec.write(new Trainer(SMALL, Clock.fixed(t, ZoneOffset.UTC), 1)
        .train(fixture(), List.of(), 7).model()));
  }

  /**
   * The model file trained at {@code trainedAt} on the fixture plus messages labelled with the
   * reserved intent {@code out_of_scope} (docs/ANSWER_ACTIONS.md).
   */
  static byte[] withOutOfScope(String trainedAt) {
    List<TrainingSample> samples = new java.util.ArrayList<>(fixture());
    for (String topic : List.of("the weather", "a joke", "football", "a recipe", "the news", "a song")) {
      for (String template : List.of("tell me about %s", "what do you think of %s", "let's talk about %s",
          "do you know %s", "give me %s")) {
        samples.add(TrainingSample.of(String.format(template, topic), "out_of_scope"));
      }
    }
    return ModelCodec.write(new Trainer(SMALL, Clock.fixed(Instant.parse(trainedAt), ZoneOffset.UTC), 1)
        .train(samples, List.of(), 7).model());
  }

  /** The version the model trained at {@code trainedAt} reports. */
  static String version(String trainedAt) {
    return "intent_classifier_" + trainedAt.substring(0, 10).replace("-", "") + "_"
        + trainedAt.substring(11, 19).replace(":", "");
  }

  private static List<TrainingSample> fixture() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        Objects.requireNonNull(TestModels.class.getResourceAsStream("/ml/fixture-train.jsonl"), "fixture"),
        StandardCharsets.UTF_8))) {
      return JsonlFormat.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
