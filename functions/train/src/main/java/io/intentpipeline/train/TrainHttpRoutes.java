package io.intentpipeline.train;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.http.ApiError;
import io.intentpipeline.http.ApiException;
import io.intentpipeline.http.ApiResponses;
import io.intentpipeline.http.DatabaseCalls;
import io.intentpipeline.http.HttpRequest;
import io.intentpipeline.http.PageRequest;
import io.intentpipeline.http.QueryParams;
import io.intentpipeline.http.Router;
import io.intentpipeline.log.Log;
import io.intentpipeline.pipeline.RetrainMessage;
import io.intentpipeline.pipeline.RunOptions;
import io.intentpipeline.pipeline.RunRequest;
import io.intentpipeline.pipeline.RunType;
import io.intentpipeline.pipeline.TrainingRuns;
import io.intentpipeline.pipeline.TrainingService;
import io.intentpipeline.queue.QueueUnavailableException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The HTTP API: {@code POST /ai/training/run} validates, answers 409 when a run is in progress, else
 * queues the run on the retrain queue and answers 202 with its id at once (a run takes longer than
 * API Gateway's 30 s); {@code GET /ai/training/runs} lists the runs, newest first, paginated.
 */
final class TrainHttpRoutes {
  /** The 202 answer: the queued run, and where to follow it. */
  record RunQueued(
      String status,
      @JsonProperty("run_id") UUID runId,
      @JsonProperty("run_name") String runName,
      @JsonProperty("run_type") String runType,
      @JsonProperty("requested_at") String requestedAt,
      @JsonProperty("status_url") String statusUrl) {}

  /** The 409 answer; {@code runningRun} is null (left out) when the running row is not found. */
  record RunInProgress(
      ApiError error,
      String status,
      @JsonProperty("running_run") @JsonInclude(JsonInclude.Include.NON_NULL) RunningRun runningRun) {}

  /** The run that holds the training lock. */
  record RunningRun(
      @JsonProperty("run_id") UUID runId,
      @JsonProperty("run_name") String runName,
      @JsonProperty("started_at") String startedAt) {}

  private TrainHttpRoutes() {}

  /** The routes, served with {@code wiring}. */
  static Router router(TrainHandler.Wiring wiring) {
    return new Router()
        .route("POST", "/ai/training/run", request -> requestRun(wiring, request))
        .route("GET", "/ai/training/runs", request -> {
          QueryParams query = QueryParams.of(request, TrainingRuns.Filter.PARAMETERS);
          var filter = TrainingRuns.Filter.from(query);
          var page = PageRequest.from(query);
          return ApiResponses.json(200, DatabaseCalls.call(() -> wiring.service().runs(filter, page)));
        });
  }

  private static APIGatewayV2HTTPResponse requestRun(TrainHandler.Wiring wiring, HttpRequest request) {
    QueryParams.of(request, Set.of());
    JsonNode body = request.body().isBlank() ? null : request.jsonBody();
    RunOptions options = RunOptions.fromJson(body, "", RunType.FULL, Set.of());
    TrainingService service = wiring.service();
    if (DatabaseCalls.call(service::runInProgress)) {
      Optional<TrainingRuns.RunRef> running = DatabaseCalls.call(service::runningRun);
      return ApiResponses.json(409, new RunInProgress(
          new ApiError("run_in_progress", "skipped: " + TrainingService.IN_PROGRESS + "; try again when it has finished"),
          "skipped",
          running.map(r -> new RunningRun(r.id(), r.name(), r.startedAt().toString())).orElse(null)));
    }
    Instant requestedAt = wiring.clock().instant();
    UUID runId = UUID.randomUUID();
    if (options.runName().isEmpty()) {
      options = options.withRunName(RunRequest.defaultName(requestedAt));
    }
    try {
      wiring.queue().send(new RetrainMessage.ApiRun(runId, requestedAt, options).toJson());
    } catch (QueueUnavailableException e) {
      Log.error("training_request_not_queued", e, "request_id", request.requestId());
      throw ApiException.unavailable("queue_unavailable", "The retrain queue is unavailable; nothing was queued. Retry later.");
    }
    Log.info("training_requested", "run_id", runId, "run_type", options.runType().dbName(),
        "request_id", request.requestId());
    String statusUrl = "/ai/training/runs?run_id=" + runId;
    APIGatewayV2HTTPResponse response = ApiResponses.json(202, new RunQueued("queued", runId,
        options.runName().orElseThrow(), options.runType().dbName(), requestedAt.toString(), statusUrl));
    response.getHeaders().put("location", statusUrl);
    return response;
  }
}
