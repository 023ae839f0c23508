package io.intentpipeline.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.privacy.Redactor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The redaction target of issue 19: recall and precision at least 0.99 per kind on 10,000 generated messages. */
class RedactionCorpusTest {
  @Test
  void standardRedactorFindsEachKindWithRecallAndPrecisionOfAtLeast099() {
    // Arrange
    List<PersonalDataCorpus.Message> corpus = new PersonalDataCorpus(19).messages(10_000);
    Redactor redactor = Redactor.standard();

    // Act
    RedactionScore score = RedactionScore.of(corpus, redactor::apply);

    // Assert
    System.out.print(score.table());
    for (int k = 0; k < 4; k++) {
      assertThat(score.support(k)).as("values of %s", PersonalDataCorpus.KINDS.get(k)).isGreaterThan(1000);
      assertThat(score.recall(k)).as("recall of %s", PersonalDataCorpus.KINDS.get(k)).isGreaterThanOrEqualTo(0.99);
      assertThat(score.precision(k)).as("precision of %s", PersonalDataCorpus.KINDS.get(k)).isGreaterThanOrEqualTo(0.99);
    }
  }

  @Test
  void corpusHoldsMessagesWithoutPersonalDataAndLookAlikes() {
    // Arrange, Act
    List<PersonalDataCorpus.Message> corpus = new PersonalDataCorpus(19).messages(10_000);

    // Assert: a good share is free of personal data, so precision is tested on plain text too.
    long plain = corpus.stream().filter(m -> m.values().isEmpty()).count();
    assertThat(plain).isBetween(1_000L, 9_000L);
    assertThat(corpus).allSatisfy(m -> assertThat(m.text()).isNotBlank());
  }
}
