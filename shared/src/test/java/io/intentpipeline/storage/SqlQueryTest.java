package io.intentpipeline.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlQueryTest {
  @Test
  void collectsFragmentsAndTheirValuesInOrder() {
    SqlQuery query = SqlQuery.builder().append("SELECT 1 WHERE a = ?", "x").append(" AND b < ? LIMIT ?", 2, 3).build();

    assertThat(query.sql()).isEqualTo("SELECT 1 WHERE a = ? AND b < ? LIMIT ?");
    assertThat(query.params()).containsExactly("x", 2, 3);
  }

  @Test
  void aFragmentMustGetOneValuePerPlaceholder() {
    assertThatThrownBy(() -> SqlQuery.builder().append("a = ? AND b = ?", "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
