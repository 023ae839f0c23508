package io.intentpipeline.reliability.fuzz;

import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.ml.FeatureBlock;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.ml.Trainer;
import io.intentpipeline.ml.TrainingProfile;
import io.intentpipeline.testing.SyntheticIntents;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** A real model file, trained here in milliseconds on generated data of four intents. */
final class TinyModel {
  private static final TrainingProfile SMALL = new TrainingProfile("default",
      List.of(FeatureBlock.words(1, 2, 1), FeatureBlock.charsInWords(2, 4)), true, 1, 0, List.of(1.0), true, 0.1,
      1000, TrainingProfile.CalibrationMethod.TEMPERATURE_VALIDATION, 5, true);
  private static byte[] bytes;

  private TinyModel() {}

  static synchronized byte[] bytes() {
    if (bytes == null) {
      SyntheticIntents data = new SyntheticIntents(4, 0.1, 11);
      List<TrainingSample> samples = data.rows(15).stream()
          .map(r -> TrainingSample.of(r.message(), r.detectedIntent())).toList();
      bytes = ModelCodec.write(new Trainer(SMALL, Clock.fixed(Instant.parse("2026-11-20T02:00:00Z"), ZoneOffset.UTC), 1)
          .train(samples, List.of(), 7).model());
    }
    return bytes.clone();
  }
}
