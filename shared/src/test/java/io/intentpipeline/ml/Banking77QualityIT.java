package io.intentpipeline.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.intentpipeline.dataset.CsvFormat;
import io.intentpipeline.dataset.DatasetFiles;
import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.dataset.TrainingSample;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The profiles on BANKING77 (train.csv -> test.csv), as `./pipeline train` runs them. Skipped without the data. */
class Banking77QualityIT {
  private static List<TrainingSample> train;
  private static List<TrainingSample> test;

  @BeforeAll
  static void load() throws Exception {
    assumeTrue(Fixtures.banking77Present(), "BANKING77 not found under " + Fixtures.banking77().toAbsolutePath()
        + " (set -Ddatasets.dir): skipping the quality test");
    train = DatasetFiles.read(Fixtures.banking77().resolve("train.csv"), CsvFormat.Columns.auto());
    test = DatasetFiles.read(Fixtures.banking77().resolve("test.csv"), CsvFormat.Columns.auto());
  }

  @Test
  void theDefaultProfileMeetsItsTargets() {
    // Arrange: the validation split is taken from train.csv, as ./pipeline train --test does.
    DatasetSplitter.Split split = DatasetSplitter.split(train, 0.15, 0.0, 42);

    // Act
    Trainer.Result result = new Trainer(TrainingProfile.DEFAULT).train(split.train(), split.validation(), 42);
    Evaluation evaluation = Evaluator.evaluate(result.model(), test);

    // Assert
    assertThat(evaluation.accuracy()).isGreaterThanOrEqualTo(0.915);
    assertThat(evaluation.f1Macro()).isGreaterThanOrEqualTo(0.915);
    assertThat(evaluation.ece()).isLessThanOrEqualTo(0.03);
    assertThat(ModelCodec.write(result.model()).length).isLessThanOrEqualTo(8 * 1024 * 1024);
  }

  @Test
  void theSeedProfileStaysWithinAPointOfScikitLearn() {
    // Act
    IntentModel model = new Trainer(TrainingProfile.SEED).train(train, List.of(), 42).model();
    Evaluation evaluation = Evaluator.evaluate(model, test);

    // Assert: scikit-learn 1.2.1 with the original stack scores macro F1 0.8788 on this split.
    assertThat(evaluation.f1Macro()).isBetween(0.8788 - 0.01, 0.8788 + 0.01);
  }
}
