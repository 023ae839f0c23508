package io.intentpipeline.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.dataset.TrainingSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCodecTest {
  private static IntentModel quantized;
  private static IntentModel platt;

  @BeforeAll
  static void train() {
    IntentModel trained = new Trainer(TrainingProfile.DEFAULT, Fixtures.CLOCK, 2).train(Fixtures.train(), List.of(), 5)
        .model();
    quantized = trained.withMetadata(trained.metadata().withRun("run-1", "intent_classifier_20250102_030405")
        .withMetrics("{\"f1\":0.9}"));
    platt = new Trainer(TrainingProfile.SEED, Fixtures.CLOCK, 2).train(Fixtures.train(), List.of(), 5).model();
  }

  @Test
  void aModelSurvivesTheRoundTripWithItsPredictionsAndMetadata(@TempDir Path dir) throws Exception {
    for (IntentModel model : List.of(quantized, platt)) {
      // Arrange
      Path file = dir.resolve(model.metadata().profile() + ".model");

      // Act
      long size = ModelCodec.write(model, file);
      IntentModel loaded = ModelCodec.read(file);

      // Assert
      assertThat(size).isEqualTo(Files.size(file));
      assertThat(loaded.metadata()).isEqualTo(model.metadata());
      assertThat(loaded.intents()).isEqualTo(model.intents());
      assertThat(loaded.calibrationMethod()).isEqualTo(model.calibrationMethod());
      for (TrainingSample s : Fixtures.test()) {
        assertThat(loaded.probabilities(s.userMessage())).containsExactly(model.probabilities(s.userMessage()));
      }
      assertThat(ModelCodec.write(loaded)).isEqualTo(Files.readAllBytes(file));
    }
  }

  @Test
  void theFileCarriesRunIdVersionAndMetrics() throws Exception {
    // Act
    IntentModel loaded = ModelCodec.read(ModelCodec.write(quantized));

    // Assert
    assertThat(loaded.metadata().runId()).isEqualTo("run-1");
    assertThat(loaded.metadata().modelVersion()).isEqualTo("intent_classifier_20250102_030405");
    assertThat(loaded.metadata().metrics()).isEqualTo("{\"f1\":0.9}");
    com.fasterxml.jackson.databind.JsonNode config = io.intentpipeline.json.Json.MAPPER.readTree(
        loaded.metadata().trainingConfig());
    assertThat(config.get("profile").asText()).isEqualTo("default");
    assertThat(config.get("c").asDouble()).isIn(0.5, 1.0);
    assertThat(config.get("calibration").get("method").asText()).isEqualTo("temperature");
    assertThat(config.get("blocks")).hasSize(2);
    assertThat(loaded.metadata().createdAt()).isEqualTo(Fixtures.CLOCK.instant());
  }

  @Test
  void aTruncatedFileFailsClearlyAtEveryLength() {
    // Arrange
    byte[] bytes = ModelCodec.write(platt);

    // Act / Assert
    for (int length : new int[] {0, 5, 10, 30, bytes.length / 2, bytes.length - 13, bytes.length - 1}) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> ModelCodec.read(cut)).isInstanceOf(ModelFormatException.class)
          .hasMessageMatching(".*(truncated|not a model file).*");
    }
  }

  @Test
  void anAlteredByteIsCaughtByTheChecksum() {
    // Arrange
    byte[] bytes = ModelCodec.write(quantized);
    byte[] altered = bytes.clone();
    altered[bytes.length / 2] ^= 0x10;

    // Act / Assert
    assertThatThrownBy(() -> ModelCodec.read(altered)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void aNonFiniteNumberUnderAValidChecksumIsRefused() {
    for (IntentModel model : List.of(quantized, platt)) {
      // Arrange: the first weight (or weight scale) made NaN, and the checksum recomputed, as a
      // hand-edited file would be (found by the reliability suite's ModelFileFuzzTest: such a file
      // loaded, and every confidence came out NaN, which the predict function wrote as bare NaN).
      byte[] bytes = ModelCodec.write(model);
      int wght = indexOf(bytes, "WGHT".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      java.nio.ByteBuffer.wrap(bytes).putFloat(wght + 8 + 1 + 4 + 4, Float.NaN);
      java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
      crc.update(bytes, 0, bytes.length - 12);
      java.nio.ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());

      // Act / Assert
      assertThatThrownBy(() -> ModelCodec.read(bytes)).isInstanceOf(ModelFormatException.class)
          .hasMessageContaining("is not a finite number");
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (haystack[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @Test
  void otherFilesAndNewerVersionsAreRefused() {
    // Arrange
    byte[] other = "{\"not\": \"a model\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] newer = ModelCodec.write(platt);
    newer[9] = 99;

    // Act / Assert
    assertThatThrownBy(() -> ModelCodec.read(other)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("not a model file");
    assertThatThrownBy(() -> ModelCodec.read(newer)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("version 99 is not supported");
  }

  @Test
  void aModelFileOfFormatVersionOneStillLoadsAndPredicts() throws Exception {
    // Arrange: written by format version 1 (float weights, temperature only, no metrics); see LegacyModelFiles.
    byte[] bytes = Fixtures.resource("/ml/model-format-v1.bin");

    // Act
    IntentModel model = ModelCodec.read(bytes);
    Evaluation evaluation = Evaluator.evaluate(model, Fixtures.test());

    // Assert
    assertThat(bytes[8] * 256 + bytes[9]).isEqualTo(1);
    assertThat(model.intents()).containsExactly("cancel_order", "card_arrival", "greeting", "opening_hours",
        "password_reset", "refund_request");
    assertThat(model.metadata().runId()).isEqualTo("legacy-run");
    assertThat(model.metadata().metrics()).isEqualTo("{}");
    assertThat(model.calibrationMethod()).isEqualTo("temperature");
    assertThat(model.predict("where is my card, it has not arrived", 1).intent()).isEqualTo("card_arrival");
    assertThat(evaluation.accuracy()).isGreaterThanOrEqualTo(0.8);
    assertThat(ModelCodec.read(ModelCodec.write(model)).probabilities("reset my password"))
        .containsExactly(model.probabilities("reset my password"));
  }

  @Test
  void theAnswerPolicyTravelsInTheFile() throws Exception {
    // Arrange: a policy with every field set, and a model with it
    AnswerPolicy policy = new AnswerPolicy("no_intent", AnswerPolicy.Score.TOP_OF_TWO, 0.93, 0.85, 0.1, 0.97, 0.84,
        0.971, 0.05, 0.92, 1499);
    IntentModel model = quantized.withPolicy(policy);

    // Act
    byte[] bytes = ModelCodec.write(model);
    IntentModel loaded = ModelCodec.read(bytes);

    // Assert: format 3, the same policy, the same actions
    assertThat(bytes[8] * 256 + bytes[9]).isEqualTo(ModelCodec.FORMAT_VERSION).isEqualTo(3);
    assertThat(loaded.policy()).isEqualTo(policy);
    for (TrainingSample s : Fixtures.test()) {
      assertThat(loaded.predict(s.userMessage(), 2)).isEqualTo(model.predict(s.userMessage(), 2));
    }
  }

  @Test
  void aModelFileOfFormatVersionTwoStillLoadsAndAlwaysAnswers() throws Exception {
    // Arrange: written by format version 2 (the last release's writer: ./pipeline train on the
    // fixture data with --seed 1, before answer policies existed)
    byte[] bytes = Fixtures.resource("/ml/model-format-v2.bin");

    // Act
    IntentModel model = ModelCodec.read(bytes);

    // Assert: no policy in the file: every message is answered, unless min_confidence says otherwise
    assertThat(bytes[8] * 256 + bytes[9]).isEqualTo(2);
    assertThat(model.policy()).isEqualTo(AnswerPolicy.NONE);
    assertThat(model.intents()).contains("card_arrival", "greeting");
    assertThat(Evaluator.evaluate(model, Fixtures.test()).accuracy()).isGreaterThanOrEqualTo(0.8);
    for (TrainingSample s : Fixtures.test()) {
      Prediction p = model.predict(s.userMessage(), 3);
      assertThat(p.action()).isEqualTo(Action.ANSWER);
      assertThat(model.predict(s.userMessage(), 3, 1.0).action()).isIn(Action.ESCALATE, Action.CLARIFY);
    }
    assertThat(ModelCodec.read(ModelCodec.write(model)).policy()).isEqualTo(AnswerPolicy.NONE);
  }

  @Test
  void aBrokenPolicySectionIsAFormatError() {
    // Arrange: the score byte of ACTN set to an unknown value, the checksum recomputed
    byte[] bytes = ModelCodec.write(quantized);
    int actn = indexOf(bytes, "ACTN".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    int nameLength = java.nio.ByteBuffer.wrap(bytes, actn + 8, 4).getInt();
    bytes[actn + 12 + nameLength] = 9;
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes, 0, bytes.length - 12);
    java.nio.ByteBuffer.wrap(bytes, bytes.length - 4, 4).putInt((int) crc.getValue());

    // Act / Assert
    assertThatThrownBy(() -> ModelCodec.read(bytes)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("unknown answer score 9");
  }
}
