package io.intentpipeline.ml;

import io.intentpipeline.dataset.JsonlFormat;
import io.intentpipeline.dataset.TrainingSample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/** The handmade fixture dataset (six intents) and helpers shared by the ML tests. */
final class Fixtures {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);

  private Fixtures() {}

  static List<TrainingSample> train() {
    return jsonl("/ml/fixture-train.jsonl");
  }

  static List<TrainingSample> test() {
    return jsonl("/ml/fixture-test.jsonl");
  }

  static List<TrainingSample> jsonl(String resource) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        Objects.requireNonNull(Fixtures.class.getResourceAsStream(resource), resource), StandardCharsets.UTF_8))) {
      return JsonlFormat.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] resource(String resource) {
    try (var in = Objects.requireNonNull(Fixtures.class.getResourceAsStream(resource), resource)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A small profile like {@code default} (temperature, validation split) that trains in milliseconds. */
  static TrainingProfile smallDefault(boolean quantize) {
    return new TrainingProfile("default", List.of(FeatureBlock.words(1, 2, 1), FeatureBlock.charsInWords(2, 4)),
        true, 1, 0, List.of(0.5, 1.0), true, 0.1, 1000, TrainingProfile.CalibrationMethod.TEMPERATURE_VALIDATION,
        5, quantize);
  }

  /** The BANKING77 folder: the {@code datasets.dir} property, else ../shared/datasets from the project. */
  static Path banking77() {
    String dir = System.getProperty("datasets.dir");
    Path base = dir != null ? Path.of(dir) : Path.of("..", "..", "shared", "datasets");
    return base.resolve("banking77");
  }

  static boolean banking77Present() {
    return Files.isRegularFile(banking77().resolve("train.csv")) && Files.isRegularFile(banking77().resolve("test.csv"));
  }
}
