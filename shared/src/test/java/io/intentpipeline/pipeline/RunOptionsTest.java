package io.intentpipeline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.json.Json;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A run's answer_target_accuracy: a number from 0.5 to 1, else a 400 naming it. */
class RunOptionsTest {
  private static RunOptions read(String json) throws Exception {
    return RunOptions.fromJson(Json.MAPPER.readTree(json), "", RunType.FULL, Set.of());
  }

  @Test
  void theAnswerTargetIsOptionalAndGoesBackOutAsItCameIn() throws Exception {
    assertThat(read("{}").answerTargetAccuracy()).isEmpty();
    assertThat(read("{\"answer_target_accuracy\": 0.95}").answerTargetAccuracy()).isEqualTo(Optional.of(0.95));
    assertThat(read("{\"answer_target_accuracy\": 1}").answerTargetAccuracy()).isEqualTo(Optional.of(1.0));
    assertThat(read("{\"answer_target_accuracy\": 0.95}").toJson().path("answer_target_accuracy").asDouble())
        .isEqualTo(0.95);
    RunRequest request = RunRequest.of(read("{}"), Trigger.API, TrainingSettings.DEFAULTS, java.time.Instant.EPOCH,
        Optional.empty(), Optional.empty());
    assertThat(request.answerTargetAccuracy()).isEqualTo(0.97);
  }

  @Test
  void aTargetOutsideHalfToOneOrNotANumberIsRefusedNamingIt() {
    for (String bad : new String[] {"0.4", "1.01", "\"0.9\"", "true", "-1"}) {
      assertThatThrownBy(() -> read("{\"answer_target_accuracy\": " + bad + "}"))
          .isInstanceOfSatisfying(InvalidRequestException.class,
              e -> assertThat(e.field()).isEqualTo("answer_target_accuracy"))
          .hasMessageContaining("from 0.5 to 1");
    }
  }
}
