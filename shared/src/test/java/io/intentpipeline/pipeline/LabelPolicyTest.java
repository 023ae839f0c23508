package io.intentpipeline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LabelPolicyTest {
  @Test
  void trustedLeavesTheBotsLabelsOutOnceHumansLabelledFivePerIntent() {
    assertThat(LabelPolicy.TRUSTED.resolve(384, 77, 20)).isEqualTo(LabelPolicy.SEED);
    assertThat(LabelPolicy.TRUSTED.resolve(385, 77, 20)).isEqualTo(LabelPolicy.HUMAN_ONLY);
    // Never below the run's own minimum of samples.
    assertThat(LabelPolicy.TRUSTED.resolve(19, 2, 20)).isEqualTo(LabelPolicy.SEED);
    assertThat(LabelPolicy.TRUSTED.resolve(0, 0, 20)).isEqualTo(LabelPolicy.SEED);
    assertThat(LabelPolicy.CONFIDENT.resolve(0, 77, 20)).isEqualTo(LabelPolicy.CONFIDENT);
  }

  @Test
  void thePoliciesSetTheDatasetsFilters() {
    assertThat(LabelPolicy.CONFIDENT.minConfidence(40, 90)).isEqualTo(90);
    assertThat(LabelPolicy.CONFIDENT.minConfidence(95, 90)).isEqualTo(95);
    assertThat(LabelPolicy.SEED.minConfidence(40, 90)).isEqualTo(40);
    assertThat(LabelPolicy.HUMAN_ONLY.onlyReviewed(false)).isTrue();
    assertThat(LabelPolicy.TRUSTED.onlyReviewed(false)).isFalse();
  }

  @Test
  void anUnknownNameListsTheAcceptedOnes() {
    assertThat(LabelPolicy.parse("human_only")).isEqualTo(LabelPolicy.HUMAN_ONLY);
    assertThatThrownBy(() -> LabelPolicy.parse("gold"))
        .hasMessage("label_policy must be one of seed, human_only, confident, trusted, got 'gold'");
  }
}
