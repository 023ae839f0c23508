package io.intentpipeline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.http.QueryParams;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The query of {@code GET /ai/training/runs}. */
class TrainingRunsFilterTest {
  private static TrainingRuns.Filter filter(Map<String, String> query) {
    return TrainingRuns.Filter.from(QueryParams.of(query, TrainingRuns.Filter.PARAMETERS));
  }

  @Test
  void readsStatusAndRunId() {
    String id = "3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8a9b";
    assertThat(filter(Map.of())).isEqualTo(new TrainingRuns.Filter(Optional.empty(), Optional.empty()));
    assertThat(filter(Map.of("status", "failed", "run_id", id.toUpperCase())))
        .isEqualTo(new TrainingRuns.Filter(Optional.of("failed"), Optional.of(UUID.fromString(id))));
  }

  @Test
  void aRunIdIsACanonicalUuid() {
    for (String bad : new String[] {"nope", "1-1-1-1-1", "3f2b6c1e8d4a4f7e9b1c2a5d6e7f8a9b"}) {
      assertThatThrownBy(() -> filter(Map.of("run_id", bad)))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage("run_id must be a UUID such as 3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8a9b")
          .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("run_id");
    }
  }

  @Test
  void aStatusIsOneOfTheRunStatuses() {
    assertThatThrownBy(() -> filter(Map.of("status", "done")))
        .isInstanceOf(InvalidRequestException.class)
        .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("status");
  }
}
