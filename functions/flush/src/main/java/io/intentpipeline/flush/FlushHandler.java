package io.intentpipeline.flush;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.intentpipeline.config.Env;
import io.intentpipeline.ingest.FlushService;
import io.intentpipeline.lambda.LambdaEvent;
import io.intentpipeline.lambda.LambdaEvents;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The flush function: stores the batches of the interactions queue ({@link InteractionQueueConsumer})
 * and drains that queue on demand over the HTTP API ({@link FlushHttpRoutes}).
 */
public final class FlushHandler implements RequestStreamHandler {
  /** What the flush function works with. */
  public record Wiring(FlushService service, SqsClient sqs, String queueUrl, Duration drainBudget) {}

  private final Wiring wiring;
  private final InteractionQueueConsumer queue;
  private final java.util.Optional<PipelineStats> stats;

  /** For Lambda: reads the environment and builds the clients once per container. */
  public FlushHandler() {
    this(Env.system());
  }

  /** With the configuration of {@code env} instead of the process environment (the local stack). */
  public FlushHandler(Env env) {
    this(wiring(env), env);
  }

  private FlushHandler(Wiring wiring, Env env) {
    this(wiring, java.util.Optional.of(FlushWiring.stats(env, wiring.sqs())));
  }

  /** For tests: without the admin console's {@code GET /ai/training/stats} (404). */
  public FlushHandler(Wiring wiring) {
    this(wiring, java.util.Optional.empty());
  }

  /** With {@code GET /ai/training/stats} served by {@code stats}. */
  FlushHandler(Wiring wiring, PipelineStats stats) {
    this(wiring, java.util.Optional.of(stats));
  }

  private FlushHandler(Wiring wiring, java.util.Optional<PipelineStats> stats) {
    this.wiring = wiring;
    this.queue = new InteractionQueueConsumer(wiring.service());
    this.stats = stats;
  }

  /**
   * The wiring for {@code env}: the database ({@code DATABASE_URL}, ...), AWS settings,
   * {@code INTERACTIONS_QUEUE_URL}, {@code RETRAIN_QUEUE_URL}, {@code RETRAIN_THRESHOLD}
   * (default 100), {@code RETRAIN_REQUEST_EXPIRY_SECONDS} (default 3600),
   * {@code FLUSH_DRAIN_SECONDS} (default 20) and {@code AUDIT_SHARE} (the share of live
   * interactions audited, 0-1, default 0.02).
   */
  public static Wiring wiring(Env env) {
    return FlushWiring.fromEnv(env);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    LambdaEvent event = LambdaEvents.read(input);
    if (event instanceof LambdaEvent.Sqs sqs) {
      LambdaEvents.write(queue.storeBatch(sqs.event()), output);
    } else if (event instanceof LambdaEvent.Http http) {
      LambdaEvents.write(FlushHttpRoutes.router(wiring, stats, context).handle(http.event()), output);
    } else {
      throw new IllegalArgumentException("The flush function serves SQS batches and HTTP API requests, got "
          + event.getClass().getSimpleName());
    }
  }
}
