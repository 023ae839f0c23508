package io.intentpipeline.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.intentpipeline.dataset.TrainingSample;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerTest {
  @Test
  void seedProfileLearnsTheFixtureAboveAPinnedScore() {
    // Arrange
    Trainer trainer = new Trainer(TrainingProfile.SEED, Fixtures.CLOCK, 2);

    // Act
    IntentModel model = trainer.train(Fixtures.train(), List.of(), 7).model();
    Evaluation evaluation = Evaluator.evaluate(model, Fixtures.test());

    // Assert
    assertThat(evaluation.accuracy()).isGreaterThanOrEqualTo(0.83);
    assertThat(evaluation.f1Macro()).isGreaterThanOrEqualTo(0.80);
    assertThat(model.calibrationMethod()).isEqualTo("sigmoid");
    assertThat(model.metadata().profile()).isEqualTo("seed");
  }

  @Test
  void defaultProfileLearnsTheFixtureAboveAPinnedScore() {
    // Arrange
    Trainer trainer = new Trainer(TrainingProfile.DEFAULT, Fixtures.CLOCK, 2);

    // Act
    Trainer.Result result = trainer.train(Fixtures.train(), List.of(), 7);
    Evaluation evaluation = Evaluator.evaluate(result.model(), Fixtures.test());

    // Assert
    assertThat(evaluation.accuracy()).isGreaterThanOrEqualTo(0.88);
    assertThat(result.model().calibrationMethod()).isEqualTo("temperature");
    assertThat(result.validationF1ByC()).containsOnlyKeys(TrainingProfile.DEFAULT.cGrid().toArray(Double[]::new));
    assertThat(result.chosenC()).isIn(TrainingProfile.DEFAULT.cGrid());
    assertThat(result.trainSamples() + result.validationSamples()).isEqualTo(Fixtures.train().size());
  }

  @Test
  void theSameSeedGivesTheSameModelByteForByte() {
    // Arrange
    List<TrainingSample> train = Fixtures.train();

    // Act
    byte[] first = ModelCodec.write(new Trainer(TrainingProfile.DEFAULT, Fixtures.CLOCK, 2).train(train, List.of(), 11).model());
    byte[] second = ModelCodec.write(new Trainer(TrainingProfile.DEFAULT, Fixtures.CLOCK, 1).train(train, List.of(), 11).model());
    byte[] seedFirst = ModelCodec.write(new Trainer(TrainingProfile.SEED, Fixtures.CLOCK, 2).train(train, List.of(), 11).model());
    byte[] seedSecond = ModelCodec.write(new Trainer(TrainingProfile.SEED, Fixtures.CLOCK, 2).train(train, List.of(), 11).model());

    // Assert
    assertThat(second).isEqualTo(first);
    assertThat(seedSecond).isEqualTo(seedFirst);
  }

  @Test
  void predictionsAreCalibratedDistributionsWithSortedTopIntents() {
    // Arrange
    IntentModel model = new Trainer(TrainingProfile.SEED, Fixtures.CLOCK, 2).train(Fixtures.train(), List.of(), 3).model();

    // Act
    Prediction prediction = model.predict("my card has still not arrived", 3);
    double[] probabilities = model.probabilities("my card has still not arrived");
    Prediction all = model.predict("hello", 100);

    // Assert
    assertThat(prediction.intent()).isEqualTo("card_arrival");
    assertThat(prediction.topIntents()).hasSize(3);
    assertThat(prediction.topIntents().get(0).intent()).isEqualTo(prediction.intent());
    assertThat(prediction.topIntents().get(0).confidence()).isEqualTo(prediction.confidence());
    assertThat(prediction.topIntents()).extracting(Prediction.IntentScore::confidence)
        .isSortedAccordingTo((a, b) -> Double.compare(b, a));
    assertThat(Arrays.stream(probabilities).sum()).isCloseTo(1.0, within(1e-9));
    assertThat(Arrays.stream(probabilities).allMatch(p -> p >= 0 && p <= 1)).isTrue();
    assertThat(all.topIntents()).hasSize(model.intents().size());
  }

  @Test
  void aTextWithoutKnownFeaturesStillGetsAValidPrediction() {
    // Arrange
    IntentModel model = new Trainer(TrainingProfile.SEED, Fixtures.CLOCK, 2).train(Fixtures.train(), List.of(), 3).model();

    // Act
    Prediction empty = model.predict("", 2);
    Prediction unknown = model.predict("zzzz qqqq ☃", 2);

    // Assert
    assertThat(model.intents()).contains(empty.intent(), unknown.intent());
    assertThat(empty.confidence()).isBetween(0.0, 1.0);
  }

  @Test
  void aCorrectedSampleWeighsTwice() {
    // Arrange: two balanced intents, and one text labelled once with each; only the flag differs.
    List<TrainingSample> base = new java.util.ArrayList<>();
    String[] words = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};
    for (String w : words) {
      base.add(TrainingSample.of("alpha " + w, "x"));
      base.add(TrainingSample.of("beta " + w, "y"));
    }
    List<TrainingSample> validation = List.of(TrainingSample.of("alpha eleven", "x"), TrainingSample.of("beta eleven", "y"));
    List<TrainingSample> xCorrected = new java.util.ArrayList<>(base);
    xCorrected.add(new TrainingSample("gamma", "x", "", null, "", false, true, "live", null));
    xCorrected.add(new TrainingSample("gamma", "y", "", null, "", false, false, "live", null));
    List<TrainingSample> yCorrected = new java.util.ArrayList<>(base);
    yCorrected.add(new TrainingSample("gamma", "x", "", null, "", false, false, "live", null));
    yCorrected.add(new TrainingSample("gamma", "y", "", null, "", false, true, "live", null));
    Trainer trainer = new Trainer(Fixtures.smallDefault(false), Fixtures.CLOCK, 2);

    // Act
    Prediction whenX = trainer.train(xCorrected, validation, 1).model().predict("gamma", 2);
    Prediction whenY = trainer.train(yCorrected, validation, 1).model().predict("gamma", 2);

    // Assert
    assertThat(whenX.intent()).isEqualTo("x");
    assertThat(whenY.intent()).isEqualTo("y");
  }

  @Test
  void trainingNeedsTwoIntents() {
    // Arrange
    List<TrainingSample> one = List.of(TrainingSample.of("hello", "greeting"), TrainingSample.of("hi", "greeting"));

    // Act / Assert
    assertThatThrownBy(() -> new Trainer(TrainingProfile.DEFAULT).train(one, List.of(), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two intents");
  }

  @Test
  void anIntentWithOneSampleFallsBackToAnUncalibratedSoftmax() {
    // Arrange
    List<TrainingSample> samples = new java.util.ArrayList<>(Fixtures.train());
    samples.add(TrainingSample.of("what is the weather like", "weather"));

    // Act
    IntentModel model = new Trainer(TrainingProfile.SEED, Fixtures.CLOCK, 2).train(samples, List.of(), 3).model();

    // Assert
    assertThat(model.intents()).contains("weather");
    assertThat(model.metadata().trainingConfig()).contains("\"method\":\"none\"");
  }

  @Test
  void stratifiedFoldsFollowScikitLearnsAssignment() {
    // Arrange: classes first seen in the order 1, 0 with 3 and 4 samples, 2 folds.
    int[] labels = {1, 0, 1, 0, 0, 1, 0};

    // Act
    int[] folds = Trainer.stratifiedFolds(labels, 2);

    // Assert: StratifiedKFold(2).split gives test folds [0,0,0,0,1,1,1] for this y (checked with scikit-learn 1.2.1).
    assertThat(folds).containsExactly(0, 0, 0, 0, 1, 1, 1);
    assertThat(Trainer.stratifiedFolds(new int[] {1, 0, 1, 2, 0, 0, 1, 2, 2, 0, 1, 2, 0}, 3))
        .containsExactly(0, 0, 0, 0, 1, 1, 1, 0, 1, 2, 2, 2, 2);
  }
}
