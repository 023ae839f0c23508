package io.intentpipeline.flush;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.SqsClients;
import io.intentpipeline.config.Env;
import io.intentpipeline.http.ApiException;
import io.intentpipeline.http.ApiResponses;
import io.intentpipeline.http.HttpRequest;
import io.intentpipeline.http.Router;
import io.intentpipeline.ingest.FlushService;
import io.intentpipeline.ingest.RetrainTrigger;
import io.intentpipeline.interaction.InteractionReader;
import io.intentpipeline.lambda.LambdaEvent;
import io.intentpipeline.lambda.LambdaEvents;
import io.intentpipeline.log.Log;
import io.intentpipeline.queue.QueueUnavailableException;
import io.intentpipeline.queue.RetrainQueue;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.InteractionStore;
import io.intentpipeline.storage.RetrainState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The flush function. From the interactions queue's event source mapping: stores the batch and
 * answers {@code batchItemFailures} naming the poison messages only; when the database is
 * unavailable it fails the whole invocation, so every message stays in the queue.
 * {@code POST /ai/training/flush}: drains the queue now and answers the counts.
 */
public final class FlushHandler implements RequestStreamHandler {
  /** What the flush function works with. */
  public record Wiring(FlushService service, SqsClient sqs, String queueUrl, Duration drainBudget) {}

  private final Wiring wiring;

  /** For Lambda: reads the environment and builds the clients once per container. */
  public FlushHandler() {
    this(Env.system());
  }

  /** With the configuration of {@code env} instead of the process environment (the local stack). */
  public FlushHandler(Env env) {
    this(wiring(env));
  }

  /** For tests and the local stack. */
  public FlushHandler(Wiring wiring) {
    this.wiring = wiring;
  }

  /**
   * The wiring for {@code env}: the database ({@code DATABASE_URL}, ...), AWS settings,
   * {@code INTERACTIONS_QUEUE_URL}, {@code RETRAIN_QUEUE_URL}, {@code RETRAIN_THRESHOLD}
   * (default 100), {@code RETRAIN_REQUEST_EXPIRY_SECONDS} (default 3600) and
   * {@code FLUSH_DRAIN_SECONDS} (default 20).
   */
  public static Wiring wiring(Env env) {
    String queueUrl = env.required("INTERACTIONS_QUEUE_URL");
    String retrainQueueUrl = env.required("RETRAIN_QUEUE_URL");
    int threshold = env.integer("RETRAIN_THRESHOLD", 100, 1, 1_000_000);
    int expiry = env.integer("RETRAIN_REQUEST_EXPIRY_SECONDS", 3600, 60, 7 * 24 * 3600);
    Duration budget = env.seconds("FLUSH_DRAIN_SECONDS", Duration.ofSeconds(20), 1, 900);
    Database database = new Database(Database.Settings.fromEnv(env), "flush");
    SqsClient sqs = SqsClients.create(AwsSettings.fromEnv(env));
    var trigger = new RetrainTrigger(new RetrainState(database), new RetrainQueue(sqs, retrainQueueUrl), threshold, expiry);
    var service = new FlushService(InteractionReader.system(), new InteractionStore(database), trigger, Clock.systemUTC());
    return new Wiring(service, sqs, queueUrl, budget);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    LambdaEvent event = LambdaEvents.read(input);
    if (event instanceof LambdaEvent.Sqs sqs) {
      LambdaEvents.write(storeBatch(sqs.event()), output);
    } else if (event instanceof LambdaEvent.Http http) {
      LambdaEvents.write(router(context).handle(http.event()), output);
    } else {
      throw new IllegalArgumentException("The flush function serves SQS batches and HTTP API requests, got "
          + event.getClass().getSimpleName());
    }
  }

  /** The routes, bound to this invocation's {@code context} (null outside Lambda) for its time budget. */
  Router router(Context context) {
    return new Router().route("POST", "/ai/training/flush", request -> drain(request, context));
  }

  private SQSBatchResponse storeBatch(SQSEvent event) {
    List<FlushService.QueuedMessage> messages = event.getRecords().stream()
        .map(m -> new FlushService.QueuedMessage(m.getMessageId(), m.getBody()))
        .toList();
    FlushService.BatchResult result;
    try {
      result = wiring.service().storeBatch(messages);
    } catch (SQLException e) {
      // Failing the invocation leaves every message in the queue; SQS delivers them again.
      Log.error("batch_not_stored", "messages", messages.size(), "sqlstate", e.getSQLState());
      throw new IllegalStateException("The database is unavailable (SQLSTATE " + e.getSQLState()
          + "); the batch stays in the queue", e);
    }
    return SQSBatchResponse.builder()
        .withBatchItemFailures(result.failedMessageIds().stream()
            .map(SQSBatchResponse.BatchItemFailure::new)
            .toList())
        .build();
  }

  private APIGatewayV2HTTPResponse drain(HttpRequest request, Context context) {
    Duration budget = wiring.drainBudget();
    if (context != null) {
      // Leave time to answer before Lambda's own timeout.
      Duration left = Duration.ofMillis(context.getRemainingTimeInMillis()).minusSeconds(3);
      if (left.compareTo(budget) < 0) {
        budget = left.isNegative() ? Duration.ZERO : left;
      }
    }
    FlushService.DrainResult result;
    try {
      result = wiring.service().drain(wiring.sqs(), wiring.queueUrl(), budget);
    } catch (SQLException e) {
      Log.error("drain_failed", "request_id", request.requestId(), "sqlstate", e.getSQLState());
      throw ApiException.unavailable("database_unavailable",
          "The database is unavailable; the messages stay in the queue. Retry later.");
    } catch (QueueUnavailableException e) {
      Log.error("drain_failed", e, "request_id", request.requestId());
      throw ApiException.unavailable("queue_unavailable", "The interactions queue is unavailable. Retry later.");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("received", result.received());
    body.put("stored", result.stored());
    body.put("duplicates", result.duplicates());
    body.put("failed", result.failed());
    body.put("batches", result.batches());
    body.put("queue_empty", result.queueEmpty());
    body.put("retrain_requested", result.retrainRequested());
    return ApiResponses.json(200, body);
  }
}
