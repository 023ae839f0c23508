package io.intentpipeline.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.http.ApiError;
import io.intentpipeline.json.Json;
import io.intentpipeline.lambda.LambdaEvents;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The train function's answers, byte for byte: field names, order, and what is left out. */
class TrainAnswersTest {
  private static final UUID RUN = UUID.fromString("3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8a9b");

  @Test
  void aQueuedRun() {
    assertThat(Json.write(new TrainHttpRoutes.RunQueued("queued", RUN, "api-1", "full", "2026-03-01T00:00:00Z",
        "/ai/training/runs?run_id=" + RUN)))
        .isEqualTo("{\"status\":\"queued\",\"run_id\":\"" + RUN + "\",\"run_name\":\"api-1\",\"run_type\":\"full\","
            + "\"requested_at\":\"2026-03-01T00:00:00Z\",\"status_url\":\"/ai/training/runs?run_id=" + RUN + "\"}");
  }

  @Test
  void aRunInProgressNamesTheRunningRunOnlyWhenFound() {
    ApiError error = new ApiError("run_in_progress", "skipped");
    assertThat(Json.write(new TrainHttpRoutes.RunInProgress(error, "skipped",
        new TrainHttpRoutes.RunningRun(RUN, "nightly", "2026-03-01T00:00:00Z"))))
        .isEqualTo("{\"error\":{\"code\":\"run_in_progress\",\"message\":\"skipped\"},\"status\":\"skipped\","
            + "\"running_run\":{\"run_id\":\"" + RUN + "\",\"run_name\":\"nightly\",\"started_at\":\"2026-03-01T00:00:00Z\"}}");
    assertThat(Json.write(new TrainHttpRoutes.RunInProgress(error, "skipped", null)))
        .isEqualTo("{\"error\":{\"code\":\"run_in_progress\",\"message\":\"skipped\"},\"status\":\"skipped\"}");
  }

  @Test
  void migrated() throws Exception {
    var out = new ByteArrayOutputStream();
    LambdaEvents.write(new OperatorInvocation.Migrated("migrate", 3), out);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"action\":\"migrate\",\"applied\":3}");
  }
}
