package io.intentpipeline.record;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.SqsClients;
import io.intentpipeline.config.Env;
import io.intentpipeline.http.ApiResponses;
import io.intentpipeline.http.HttpRequest;
import io.intentpipeline.http.Router;
import io.intentpipeline.ingest.RecordService;
import io.intentpipeline.interaction.InteractionReader;
import io.intentpipeline.interaction.InvalidInteractionException;
import io.intentpipeline.lambda.LambdaEvent;
import io.intentpipeline.lambda.LambdaEvents;
import io.intentpipeline.log.Log;
import io.intentpipeline.queue.InteractionPublisher;
import io.intentpipeline.queue.QueueUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record function: {@code POST /ai/training/interactions} takes one interaction or
 * {@code {"interactions": [...]}}, checks all of it, sends it to the interactions queue and
 * answers 202 with the interaction ids (400 naming the field when anything is wrong, 503 with
 * the ids when the queue stays unavailable).
 */
public final class RecordHandler implements RequestStreamHandler {
  private final Router router;
  private final RecordService service;

  /** For Lambda: reads the environment and builds the SQS client once per container. */
  public RecordHandler() {
    this(Env.system());
  }

  /** With the configuration of {@code env} instead of the process environment (the local stack). */
  public RecordHandler(Env env) {
    this(service(env));
  }

  /** For tests and the local stack. */
  public RecordHandler(RecordService service) {
    this.service = service;
    this.router = new Router().route("POST", "/ai/training/interactions", this::record);
  }

  /**
   * The service for {@code env}: AWS settings, {@code INTERACTIONS_QUEUE_URL} (required) and
   * {@code QUEUE_SEND_ATTEMPTS} (default 3).
   */
  public static RecordService service(Env env) {
    String queueUrl = env.required("INTERACTIONS_QUEUE_URL");
    int attempts = env.integer("QUEUE_SEND_ATTEMPTS", 3, 1, 10);
    var publisher = new InteractionPublisher(SqsClients.create(AwsSettings.fromEnv(env)), queueUrl,
        attempts, Duration.ofMillis(100));
    return new RecordService(InteractionReader.system(), publisher);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    LambdaEvent event = LambdaEvents.read(input);
    if (!(event instanceof LambdaEvent.Http http)) {
      throw new IllegalArgumentException("The record function serves HTTP API requests only, got "
          + event.getClass().getSimpleName());
    }
    LambdaEvents.write(router.handle(http.event()), output);
  }

  private APIGatewayV2HTTPResponse record(HttpRequest request) {
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
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("code", "queue_unavailable");
      error.put("message", "The queue is unavailable; retry later with the same interaction ids "
          + "(those below were assigned to interactions sent without one), which makes the retry harmless");
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", error);
      body.put("interaction_ids", ids);
      return ApiResponses.json(503, body);
    }
    Log.info("interactions_recorded", "request_id", request.requestId(), "interactions", ids.size());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accepted", ids.size());
    body.put("interaction_ids", ids);
    return ApiResponses.json(202, body);
  }
}
