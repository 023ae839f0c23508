package io.intentpipeline.record;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.SqsClients;
import io.intentpipeline.config.Env;
import io.intentpipeline.http.Router;
import io.intentpipeline.ingest.RecordService;
import io.intentpipeline.interaction.InteractionReader;
import io.intentpipeline.lambda.LambdaEvent;
import io.intentpipeline.lambda.LambdaEvents;
import io.intentpipeline.privacy.Redactor;
import io.intentpipeline.queue.InteractionPublisher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/** The record function: interactions over the HTTP API ({@link RecordHttpRoutes}) onto the interactions queue. */
public final class RecordHandler implements RequestStreamHandler {
  private final Router routes;

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
    this.routes = RecordHttpRoutes.router(service);
  }

  /**
   * The service for {@code env}: AWS settings, {@code INTERACTIONS_QUEUE_URL} (required) and
   * {@code QUEUE_SEND_ATTEMPTS} (default 3), the redaction settings ({@link Redactor#fromEnv}).
   */
  public static RecordService service(Env env) {
    String queueUrl = env.required("INTERACTIONS_QUEUE_URL");
    int attempts = env.integer("QUEUE_SEND_ATTEMPTS", 3, 1, 10);
    var publisher = new InteractionPublisher(SqsClients.create(AwsSettings.fromEnv(env)), queueUrl,
        attempts, Duration.ofMillis(100));
    return new RecordService(InteractionReader.system(), publisher, Redactor.fromEnv(env));
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    LambdaEvent event = LambdaEvents.read(input);
    if (!(event instanceof LambdaEvent.Http http)) {
      throw new IllegalArgumentException("The record function serves HTTP API requests only, got "
          + event.getClass().getSimpleName());
    }
    LambdaEvents.write(routes.handle(http.event()), output);
  }
}
