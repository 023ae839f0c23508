package io.intentpipeline.snapshot;

import io.intentpipeline.http.ApiException;
import io.intentpipeline.http.ApiResponses;
import io.intentpipeline.http.DatabaseCalls;
import io.intentpipeline.http.QueryParams;
import io.intentpipeline.http.Router;
import io.intentpipeline.log.Log;
import io.intentpipeline.privacy.Erasure;
import io.intentpipeline.storage.StorageUnavailableException;
import java.util.Set;

/**
 * {@code POST /ai/training/erasure} with {@code {"user_id": "<uuid>"}} or {@code
 * {"conversation_id": "<uuid>"}}: erases that end user's or conversation's data
 * ({@link Erasure}; docs/PRIVACY.md). 200 when complete, 202 when the rows are gone and a running
 * training run may still write them to a snapshot (call again later: it is idempotent), 503 when
 * the database or S3 is unavailable (the erasure is recorded as far as it went; retry).
 */
final class PrivacyHttpRoutes {
  private PrivacyHttpRoutes() {}

  /** Adds the route to {@code router}. */
  static Router addTo(Router router, Erasure erasure) {
    return router.route("POST", "/ai/training/erasure", request -> {
      QueryParams.of(request, Set.of());
      Erasure.Request erasureRequest = Erasure.Request.fromJson(request.jsonBody());
      Erasure.Outcome outcome;
      try {
        outcome = DatabaseCalls.call(() -> erasure.erase(erasureRequest));
      } catch (StorageUnavailableException e) {
        Log.error("erasure_incomplete", e, "request_id", request.requestId());
        throw ApiException.unavailable("storage_unavailable", e.getMessage());
      }
      return ApiResponses.json(outcome.complete() ? 200 : 202, outcome);
    });
  }
}
