package io.intentpipeline.record;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.intentpipeline.http.ApiError;
import io.intentpipeline.http.ApiResponses;
import io.intentpipeline.http.HttpRequest;
import io.intentpipeline.http.Router;
import io.intentpipeline.ingest.RecordService;
import io.intentpipeline.interaction.InvalidInteractionException;
import io.intentpipeline.log.Log;
import io.intentpipeline.queue.QueueUnavailableException;
import java.util.List;

/**
 * {@code POST /ai/training/interactions}: checks all of one interaction or
 * {@code {"interactions": [...]}}, sends it to the interactions queue and answers 202 with the
 * interaction ids (400 naming the field when anything is wrong, 503 with the ids when the queue
 * stays unavailable).
 */
final class RecordHttpRoutes {
  /** The 202 answer. */
  record Accepted(int accepted, @JsonProperty("interaction_ids") List<String> interactionIds) {}

  /** The 503 answer: the ids to retry with. */
  record NotQueued(ApiError error, @JsonProperty("interaction_ids") List<String> interactionIds) {}

  private RecordHttpRoutes() {}

  /** The route, served with {@code service}. */
  static Router router(RecordService service) {
    return new Router().route("POST", "/ai/training/interactions", request -> record(service, request));
  }

  private static APIGatewayV2HTTPResponse record(RecordService service, HttpRequest request) {
    RecordService.Prepared prepared;
    try {
      prepared = service.prepare(request.jsonBody());
    } catch (InvalidInteractionException e) {
      Log.info("interactions_refused", "request_id", request.requestId(), "field", e.field());
      throw e;
    }
    List<String> ids = prepared.interactionIds();
    try {
      service.send(prepared);
    } catch (QueueUnavailableException e) {
      Log.error("interactions_not_queued", e, "request_id", request.requestId(), "interactions", ids.size());
      return ApiResponses.json(503, new NotQueued(new ApiError("queue_unavailable",
          "The queue is unavailable; retry later with the same interaction ids "
              + "(those below were assigned to interactions sent without one), which makes the retry harmless"),
          ids));
    }
    Log.info("interactions_recorded", "request_id", request.requestId(), "interactions", ids.size(),
        "redacted", prepared.redacted());
    return ApiResponses.json(202, new Accepted(ids.size(), ids));
  }
}
