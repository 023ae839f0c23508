package io.intentpipeline.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The vectorizer against what scikit-learn 1.2.1 made of the same corpus (bench/make_tfidf_parity.py). */
class TfidfParityTest {
  @ParameterizedTest
  @CsvSource({
      "seed, WORD, 1, 3, 2, false, 1, 6",
      "words_1char, WORD, 1, 2, 1, true, 2, 0",
      "char_wb, CHAR_WB, 1, 5, 1, true, 1, 0"})
  void termsIdfAndVectorsMatchScikitLearn(String name, FeatureBlock.Kind kind, int minN, int maxN, int minToken,
      boolean sublinear, int minDf, int maxFeatures) throws Exception {
    // Arrange
    JsonNode expected = Json.MAPPER.readTree(Fixtures.resource("/ml/tfidf-parity.json"));
    List<String> corpus = new ArrayList<>();
    expected.get("corpus").forEach(t -> corpus.add(t.asText()));
    JsonNode want = expected.get("cases").get(name);

    // Act
    Vectorizer v = VectorizerFitter.fit(corpus, new FeatureBlock[] {new FeatureBlock(kind, minN, maxN, minToken)},
        sublinear, minDf, maxFeatures);

    // Assert
    List<String> terms = new ArrayList<>();
    for (int i = 0; i < v.featureCount(); i++) {
      terms.add(v.vocabulary(0).term(i));
    }
    List<String> wantTerms = new ArrayList<>();
    want.get("terms").forEach(t -> wantTerms.add(t.asText()));
    assertThat(terms).isEqualTo(wantTerms);
    for (int i = 0; i < terms.size(); i++) {
      assertThat(v.idf(i)).isCloseTo(want.get("idf").get(i).asDouble(), within(1e-12));
    }
    Vectorizer.Features work = v.newFeatures();
    for (int d = 0; d < corpus.size(); d++) {
      Vectorizer.SparseVector row = v.vector(corpus.get(d), work);
      Map<String, Double> got = new HashMap<>();
      for (int k = 0; k < row.indices().length; k++) {
        got.put(terms.get(row.indices()[k]), row.values()[k]);
      }
      JsonNode wantRow = want.get("rows").get(d);
      assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(() -> wantRow.fieldNames());
      wantRow.fields().forEachRemaining(e -> assertThat(got.get(e.getKey())).isCloseTo(e.getValue().asDouble(), within(1e-12)));
    }
  }
}
