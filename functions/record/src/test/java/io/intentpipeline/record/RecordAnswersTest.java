package io.intentpipeline.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.http.ApiError;
import io.intentpipeline.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The record function's answers, byte for byte. */
class RecordAnswersTest {
  @Test
  void acceptedAndNotQueued() {
    List<String> ids = List.of("a", "b");
    assertThat(Json.write(new RecordHttpRoutes.Accepted(2, ids)))
        .isEqualTo("{\"accepted\":2,\"interaction_ids\":[\"a\",\"b\"]}");
    assertThat(Json.write(new RecordHttpRoutes.NotQueued(new ApiError("queue_unavailable", "retry"), ids)))
        .isEqualTo("{\"error\":{\"code\":\"queue_unavailable\",\"message\":\"retry\"},\"interaction_ids\":[\"a\",\"b\"]}");
  }
}
