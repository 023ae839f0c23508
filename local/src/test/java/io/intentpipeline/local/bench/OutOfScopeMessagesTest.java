package io.intentpipeline.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The out-of-scope messages of the actions benchmark: two halves phrased apart, the same for a seed. */
class OutOfScopeMessagesTest {
  @Test
  void theTrainingAndTestHalvesShareNoMessageNorTemplate() {
    // Act
    List<String> train = OutOfScopeMessages.train(288, 42);
    List<String> test = OutOfScopeMessages.test(288, 42);

    // Assert: a few hundred each, distinct, no test message among the training ones, and no
    // test message built from a training template (its text minus the filler differs)
    assertThat(train).hasSize(288).doesNotHaveDuplicates();
    assertThat(test).hasSize(288).doesNotHaveDuplicates();
    assertThat(test).doesNotContainAnyElementsOf(train);
    Set<String> trainShapes = new HashSet<>();
    for (String m : train) {
      trainShapes.add(m.substring(0, Math.min(12, m.length())));
    }
    long sameStart = test.stream().filter(m -> trainShapes.contains(m.substring(0, Math.min(12, m.length())))).count();
    assertThat(sameStart).as("test messages starting like a training one").isLessThan(test.size() / 4);
    assertThat(OutOfScopeMessages.train(288, 42)).isEqualTo(train);
    assertThat(OutOfScopeMessages.train(50, 7)).hasSize(50).isNotEqualTo(train.subList(0, 50));
  }
}
