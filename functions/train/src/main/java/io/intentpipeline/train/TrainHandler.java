package io.intentpipeline.train;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.intentpipeline.config.Env;
import io.intentpipeline.http.Router;
import io.intentpipeline.lambda.LambdaEvent;
import io.intentpipeline.lambda.LambdaEvents;
import io.intentpipeline.pipeline.TrainingPipeline;
import io.intentpipeline.pipeline.TrainingService;
import io.intentpipeline.queue.RetrainQueue;
import io.intentpipeline.storage.Database;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;

/**
 * The train function: one training run at a time, whatever starts it: the HTTP API
 * ({@link TrainHttpRoutes}), the retrain queue ({@link RetrainQueueConsumer}), the nightly schedule
 * ({@link ScheduledRun}) and an operator's direct invocation ({@link OperatorInvocation}).
 */
public final class TrainHandler implements RequestStreamHandler {
  /** What the function works with. */
  public record Wiring(TrainingService service, RetrainQueue queue, Database.Settings databaseSettings, Clock clock) {}

  private final Router routes;
  private final RetrainQueueConsumer queue;
  private final ScheduledRun schedule;
  private final OperatorInvocation operator;

  /** For Lambda: reads the environment and builds the clients once per container. */
  public TrainHandler() {
    this(Env.system());
  }

  /** For the local stack: the configuration of {@code env}, with the admin console's model routes. */
  public TrainHandler(Env env) {
    this(wiring(env), TrainWiring.modelAdmin(env));
  }

  /** For tests: the runs, without the model routes ({@link ModelHttpRoutes}: 404). */
  public TrainHandler(Wiring wiring) {
    this(wiring, TrainHttpRoutes.router(wiring));
  }

  /** With the admin console's model routes served by {@code models}. */
  TrainHandler(Wiring wiring, ModelAdmin models) {
    this(wiring, ModelHttpRoutes.addTo(TrainHttpRoutes.router(wiring), models));
  }

  private TrainHandler(Wiring wiring, Router routes) {
    RunNow runNow = new RunNow(wiring.service());
    this.routes = routes;
    this.queue = new RetrainQueueConsumer(wiring.service());
    this.schedule = new ScheduledRun(runNow);
    this.operator = new OperatorInvocation(runNow, wiring.databaseSettings());
  }

  /**
   * The wiring for {@code env}: the database ({@code DATABASE_URL}, ...), AWS settings,
   * {@code MODEL_BUCKET}, {@code RETRAIN_QUEUE_URL} and the training settings
   * ({@code TrainingSettings.fromEnv}).
   */
  public static Wiring wiring(Env env) {
    return TrainWiring.fromEnv(env);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    LambdaEvent event = LambdaEvents.read(input);
    TrainingPipeline.TimeBudget budget = context == null ? TrainingPipeline.TimeBudget.UNLIMITED
        : () -> Duration.ofMillis(context.getRemainingTimeInMillis());
    if (event instanceof LambdaEvent.Http http) {
      LambdaEvents.write(routes.handle(http.event()), output);
    } else if (event instanceof LambdaEvent.Sqs sqs) {
      LambdaEvents.write(queue.consume(sqs.event(), budget), output);
    } else if (event instanceof LambdaEvent.Scheduled scheduled) {
      LambdaEvents.write(schedule.run(scheduled.detail(), budget), output);
    } else if (event instanceof LambdaEvent.Direct direct) {
      LambdaEvents.write(operator.handle(direct.payload(), budget), output);
    }
  }
}
