package io.intentpipeline.train;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.S3Clients;
import io.intentpipeline.aws.SqsClients;
import io.intentpipeline.config.Env;
import io.intentpipeline.http.ApiException;
import io.intentpipeline.http.ApiResponses;
import io.intentpipeline.http.DatabaseCalls;
import io.intentpipeline.http.HttpRequest;
import io.intentpipeline.json.Json;
import io.intentpipeline.http.PageRequest;
import io.intentpipeline.http.QueryParams;
import io.intentpipeline.http.Router;
import io.intentpipeline.lambda.InvocationInput;
import io.intentpipeline.lambda.LambdaEvent;
import io.intentpipeline.lambda.LambdaEvents;
import io.intentpipeline.log.Log;
import io.intentpipeline.pipeline.RetrainMessage;
import io.intentpipeline.pipeline.RunOptions;
import io.intentpipeline.pipeline.RunOutcome;
import io.intentpipeline.pipeline.RunRequest;
import io.intentpipeline.pipeline.RunType;
import io.intentpipeline.pipeline.TrainingPipeline;
import io.intentpipeline.pipeline.TrainingRuns;
import io.intentpipeline.pipeline.TrainingService;
import io.intentpipeline.pipeline.TrainingSettings;
import io.intentpipeline.pipeline.Trigger;
import io.intentpipeline.queue.QueueUnavailableException;
import io.intentpipeline.queue.RetrainQueue;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.Migrations;
import io.intentpipeline.storage.S3ModelStore;
import io.intentpipeline.validation.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The train function: one training run at a time, whatever starts it.
 *
 * <ul>
 *   <li>the nightly EventBridge schedule (its input's {@code detail} may carry {@link RunOptions}; the
 *       run type defaults to {@code incremental}): runs now and answers the outcome;
 *   <li>the retrain queue (the flush function's automatic requests, and the runs queued by the API):
 *       runs each message's request; a malformed message is reported in {@code batchItemFailures};
 *   <li>{@code POST /ai/training/run}: validates, answers 409 when a run is in progress, else queues
 *       the run on the retrain queue and answers 202 with its id at once (a run takes longer than
 *       API Gateway's 30 s);
 *   <li>{@code GET /ai/training/runs}: the runs, newest first, paginated;
 *   <li>direct invocations: {@code {"action": "migrate"}} applies the database migrations (at deploy
 *       time), {@code {"action": "run", ...options}} runs now, as an operator.
 * </ul>
 */
public final class TrainHandler implements RequestStreamHandler {
  /** What the function works with. */
  public record Wiring(TrainingService service, RetrainQueue queue, Database.Settings databaseSettings, Clock clock) {}

  private static final Set<String> RUNS_PARAMETERS = Set.of("limit", "cursor", "status", "run_id");

  private final Wiring wiring;
  private final Router router;

  /** For Lambda: reads the environment and builds the clients once per container. */
  public TrainHandler() {
    this(Env.system());
  }

  /** For the local stack: the configuration of {@code env}. */
  public TrainHandler(Env env) {
    this(wiring(env));
  }

  /** For tests. */
  public TrainHandler(Wiring wiring) {
    this.wiring = wiring;
    this.router = new Router()
        .route("POST", "/ai/training/run", this::requestRun)
        .route("GET", "/ai/training/runs", this::listRuns);
  }

  /**
   * The wiring for {@code env}: the database ({@code DATABASE_URL}, ...), AWS settings,
   * {@code MODEL_BUCKET}, {@code RETRAIN_QUEUE_URL} and the training settings
   * ({@link TrainingSettings#fromEnv}).
   */
  public static Wiring wiring(Env env) {
    Database.Settings databaseSettings = Database.Settings.fromEnv(env);
    String bucket = env.required("MODEL_BUCKET");
    String queueUrl = env.required("RETRAIN_QUEUE_URL");
    TrainingSettings settings = TrainingSettings.fromEnv(env);
    AwsSettings aws = AwsSettings.fromEnv(env);
    Database database = new Database(databaseSettings, "train-function");
    S3ModelStore store = new S3ModelStore(S3Clients.create(aws), bucket);
    Clock clock = Clock.systemUTC();
    TrainingPipeline pipeline = new TrainingPipeline(database, store, store, settings, clock,
        (runId, stage) -> Log.info("training_stage", "run_id", runId, "stage", stage),
        Runtime.getRuntime().availableProcessors());
    return new Wiring(new TrainingService(database, pipeline, clock),
        new RetrainQueue(SqsClients.create(aws), queueUrl), databaseSettings, clock);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    LambdaEvent event = LambdaEvents.read(input);
    if (event instanceof LambdaEvent.Http http) {
      LambdaEvents.write(router.handle(http.event()), output);
    } else if (event instanceof LambdaEvent.Sqs sqs) {
      LambdaEvents.write(consume(sqs.event(), budget(context)), output);
    } else if (event instanceof LambdaEvent.Scheduled scheduled) {
      RunOptions options = options(scheduled.detail(), "detail.", RunType.INCREMENTAL, Set.of());
      LambdaEvents.write(runNow(options, Trigger.SCHEDULE, budget(context)).toJson(), output);
    } else if (event instanceof LambdaEvent.Direct direct) {
      LambdaEvents.write(direct(direct.payload(), budget(context)), output);
    }
  }

  private static TrainingPipeline.TimeBudget budget(Context context) {
    return context == null ? TrainingPipeline.TimeBudget.UNLIMITED
        : () -> Duration.ofMillis(context.getRemainingTimeInMillis());
  }

  /** Options of a schedule's detail or a direct payload; bad input fails the invocation naming the field. */
  private static RunOptions options(JsonNode node, String prefix, RunType defaultType, Set<String> alsoAllowed) {
    return InvocationInput.read("training_trigger_rejected",
        () -> RunOptions.fromJson(node, prefix, defaultType, alsoAllowed));
  }

  private RunOutcome runNow(RunOptions options, Trigger trigger, TrainingPipeline.TimeBudget budget) {
    RunRequest request = wiring.service().request(options, trigger, Optional.empty(), Optional.empty());
    try {
      return wiring.service().trigger(request, budget);
    } catch (SQLException e) {
      // Failing the invocation lets EventBridge retry it later.
      Log.error("training_trigger_failed", "triggered_by", trigger.dbName(), "sqlstate", e.getSQLState());
      throw new IllegalStateException("The database is unavailable (SQLSTATE " + e.getSQLState() + "); nothing ran", e);
    }
  }

  private JsonNode direct(JsonNode payload, TrainingPipeline.TimeBudget budget) {
    String action = payload.path("action").asText("");
    switch (action) {
      case "migrate" -> {
        int applied = Migrations.migrate(wiring.databaseSettings());
        Log.info("migrations_applied", "applied", applied);
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("action", "migrate");
        answer.put("applied", applied);
        return answer;
      }
      case "run" -> {
        RunOptions options = options(payload, "", RunType.FULL, Set.of("action"));
        return runNow(options, Trigger.CLI, budget).toJson();
      }
      default -> throw new IllegalArgumentException(
          "The train function's direct invocations are {\"action\": \"migrate\"} and {\"action\": \"run\", ...}; got action '"
              + (action.length() > 40 ? action.substring(0, 40) : action) + "'");
    }
  }

  /**
   * Each message is one request, run in turn (the event source mapping delivers one at a time).
   * A malformed message is a batch item failure (after the queue's receive limit it moves to the
   * dead-letter queue); an unreachable database fails the invocation, so every message comes back.
   */
  private SQSBatchResponse consume(SQSEvent event, TrainingPipeline.TimeBudget budget) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage message : event.getRecords()) {
      RetrainMessage request;
      try {
        request = RetrainMessage.parse(message.getBody());
      } catch (IllegalArgumentException e) {
        Log.error("retrain_message_rejected", "message_id", message.getMessageId(), "reason", e.getMessage());
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
        continue;
      }
      RunRequest run = request instanceof RetrainMessage.ApiRun api
          ? wiring.service().request(api.options(), Trigger.API, Optional.of(api.runId()), Optional.of(api.requestedAt()))
          : wiring.service().request(RunOptions.DEFAULTS, Trigger.QUEUE, Optional.empty(), Optional.of(request.requestedAt()));
      try {
        RunOutcome outcome = wiring.service().trigger(run, budget);
        Log.info("retrain_message_done", "message_id", message.getMessageId(), "run_id", outcome.runId(),
            "status", outcome.status());
      } catch (SQLException e) {
        Log.error("retrain_message_failed", "message_id", message.getMessageId(), "sqlstate", e.getSQLState());
        throw new IllegalStateException("The database is unavailable (SQLSTATE " + e.getSQLState()
            + "); the message stays in the queue", e);
      }
    }
    return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
  }

  /** {@code POST /ai/training/run}: 202 with the queued run's id, or 409 when a run is in progress. */
  private APIGatewayV2HTTPResponse requestRun(HttpRequest request) {
    QueryParams.of(request, Set.of());
    JsonNode body = request.body().isBlank() ? null : request.jsonBody();
    RunOptions options = RunOptions.fromJson(body, "", RunType.FULL, Set.of());
    if (DatabaseCalls.call(() -> wiring.service().runInProgress())) {
      Optional<TrainingRuns.RunRef> running = DatabaseCalls.call(() -> wiring.service().runningRun());
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("code", "run_in_progress");
      error.put("message", "skipped: " + TrainingService.IN_PROGRESS + "; try again when it has finished");
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("error", error);
      answer.put("status", "skipped");
      running.ifPresent(r -> answer.put("running_run", Map.of("run_id", r.id().toString(), "run_name", r.name(),
          "started_at", r.startedAt().toString())));
      return ApiResponses.json(409, answer);
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
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("status", "queued");
    answer.put("run_id", runId.toString());
    answer.put("run_name", options.runName().orElseThrow());
    answer.put("run_type", options.runType().dbName());
    answer.put("requested_at", requestedAt.toString());
    answer.put("status_url", "/ai/training/runs?run_id=" + runId);
    APIGatewayV2HTTPResponse response = ApiResponses.json(202, answer);
    response.getHeaders().put("location", "/ai/training/runs?run_id=" + runId);
    return response;
  }

  /** {@code GET /ai/training/runs}: {@code limit}, {@code cursor}, {@code status}, {@code run_id}. */
  private APIGatewayV2HTTPResponse listRuns(HttpRequest request) {
    QueryParams query = QueryParams.of(request, RUNS_PARAMETERS);
    Optional<String> status = query.choice("status", Set.copyOf(TrainingRuns.Filter.STATUSES));
    Optional<UUID> runId = query.string("run_id").map(raw -> {
      try {
        UUID id = UUID.fromString(raw);
        if (!id.toString().equalsIgnoreCase(raw)) {
          throw new IllegalArgumentException(raw);
        }
        return id;
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("run_id", "run_id must be a UUID such as 3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8a9b");
      }
    });
    PageRequest page = PageRequest.from(query);
    var filter = new TrainingRuns.Filter(status, runId);
    return ApiResponses.json(200, DatabaseCalls.call(() -> wiring.service().runs(filter, page)));
  }
}
