package io.intentpipeline.flush;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.ingest.FlushService;
import io.intentpipeline.json.Json;
import org.junit.jupiter.api.Test;

/** The drain's answer, byte for byte. */
class FlushAnswersTest {
  @Test
  void aDrain() {
    assertThat(Json.write(new FlushService.DrainResult(7, 5, 1, 1, 2, true, false)))
        .isEqualTo("{\"received\":7,\"stored\":5,\"duplicates\":1,\"failed\":1,\"batches\":2,"
            + "\"queue_empty\":true,\"retrain_requested\":false}");
  }
}
