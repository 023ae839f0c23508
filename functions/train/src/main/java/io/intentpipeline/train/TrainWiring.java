package io.intentpipeline.train;

import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.S3Clients;
import io.intentpipeline.aws.SqsClients;
import io.intentpipeline.config.Env;
import io.intentpipeline.log.Log;
import io.intentpipeline.pipeline.TrainingPipeline;
import io.intentpipeline.pipeline.TrainingService;
import io.intentpipeline.pipeline.TrainingSettings;
import io.intentpipeline.queue.RetrainQueue;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.S3ModelStore;
import java.time.Clock;

/** The real dependencies of the train function, built from its configuration. */
final class TrainWiring {
  private TrainWiring() {}

  /** See {@link TrainHandler#wiring(Env)}. */
  static TrainHandler.Wiring fromEnv(Env env) {
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
    return new TrainHandler.Wiring(new TrainingService(database, pipeline, clock),
        new RetrainQueue(SqsClients.create(aws), queueUrl), databaseSettings, clock);
  }

  /**
   * The admin console's model routes for {@code env}: its own database pool of one connection and
   * S3 clients built on first use (a cold start for a training run pays for neither).
   */
  static ModelAdmin modelAdmin(Env env) {
    Database.Settings databaseSettings = Database.Settings.fromEnv(env);
    String bucket = env.required("MODEL_BUCKET");
    AwsSettings aws = AwsSettings.fromEnv(env);
    Database database = new Database(databaseSettings, "train-function-admin");
    Clock clock = Clock.systemUTC();
    return new ModelAdmin(S3Clients.onFirstUse(() -> S3Clients.create(aws)),
        S3Clients.onFirstUse(() -> S3Clients.presigner(aws)), bucket, database, clock);
  }
}
