package io.intentpipeline.reliability.faults;

import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.S3Clients;
import io.intentpipeline.aws.SqsClients;
import io.intentpipeline.config.Env;
import io.intentpipeline.json.Json;
import io.intentpipeline.log.Log;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.pipeline.TrainingPipeline;
import io.intentpipeline.pipeline.TrainingService;
import io.intentpipeline.pipeline.TrainingSettings;
import io.intentpipeline.queue.RetrainQueue;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.ModelStore;
import io.intentpipeline.storage.S3ModelStore;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.SyntheticIntents;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TrainingRows;
import io.intentpipeline.train.TrainHandler;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import com.fasterxml.jackson.databind.JsonNode;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Train function containers for the faults tests: built from the environment exactly as
 * {@link TrainHandler#wiring} builds them, except that the test may watch the stages of a run
 * (to act in the middle of one) and give the S3 client.
 */
final class TrainContainers {
  private TrainContainers() {}

  /** A container with the function's own wiring. */
  static TrainHandler plain(Env env) {
    return new TrainHandler(env);
  }

  /** A container whose runs tell {@code listener} when each stage starts. */
  static TrainHandler watched(Env env, TrainingPipeline.StageListener listener) {
    return watched(env, listener, S3Clients.create(AwsSettings.fromEnv(env)));
  }

  /** The same, with S3 reached through {@code s3}. */
  static TrainHandler watched(Env env, TrainingPipeline.StageListener listener, S3Client s3) {
    Database.Settings databaseSettings = Database.Settings.fromEnv(env);
    AwsSettings aws = AwsSettings.fromEnv(env);
    Database database = new Database(databaseSettings, "train-function");
    S3ModelStore store = new S3ModelStore(s3, env.required("MODEL_BUCKET"));
    Clock clock = Clock.systemUTC();
    TrainingPipeline pipeline = new TrainingPipeline(database, store, store, TrainingSettings.fromEnv(env), clock,
        (runId, stage) -> {
          Log.info("training_stage", "run_id", runId, "stage", stage);
          listener.stageStarted(runId, stage);
        }, Runtime.getRuntime().availableProcessors());
    return new TrainHandler(new TrainHandler.Wiring(new TrainingService(database, pipeline, clock),
        new RetrainQueue(SqsClients.create(aws), env.required("RETRAIN_QUEUE_URL")), databaseSettings, clock));
  }

  /** Runs a full training now, as an operator's direct invocation does; returns the outcome. */
  static JsonNode runNow(TrainHandler train) {
    return Json.parseBody(Invocations.invoke(train, "{\"action\": \"run\", \"run_type\": \"full\"}"));
  }

  /** Inserts synthetic samples, {@code perIntent} for each of 3 intents. */
  static void samples(TestStack stack, int perIntent, long seed) throws SQLException {
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, new SyntheticIntents(3, 0.1, seed).rows(perIntent));
    }
  }

  /** Empties the tables, the bucket and the retrain queue. */
  static void clear(TestStack stack) throws SQLException {
    try (Connection c = stack.connect()) {
      TrainingRows.clear(c);
    }
    for (S3Object o : stack.s3().listObjectsV2(b -> b.bucket(stack.bucket())).contents()) {
      stack.s3().deleteObject(b -> b.bucket(stack.bucket()).key(o.key()));
    }
    stack.sqs().purgeQueue(b -> b.queueUrl(stack.retrainQueueUrl()));
  }

  /** The bytes of latest, or null when there is none. */
  static byte[] latest(TestStack stack) {
    try {
      return stack.s3().getObjectAsBytes(b -> b.bucket(stack.bucket()).key(ModelStore.LATEST_KEY)).asByteArray();
    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
      return null;
    }
  }

  /** The timestamped model keys in the bucket, sorted. */
  static List<String> versionKeys(TestStack stack) {
    return stack.s3().listObjectsV2(b -> b.bucket(stack.bucket()).prefix("models/")).contents().stream()
        .map(S3Object::key).filter(k -> !k.equals(ModelStore.LATEST_KEY)).sorted().toList();
  }

  /** The model version written in a model file's metadata (the file must decode). */
  static String version(byte[] model) {
    try {
      return ModelCodec.read(model).metadata().modelVersion();
    } catch (io.intentpipeline.ml.ModelFormatException e) {
      throw new AssertionError("not a valid model: " + e.getMessage(), e);
    }
  }

  /** The run row {@code id}: status, error message, deployed. */
  static String[] run(TestStack stack, UUID id) throws SQLException {
    try (Connection c = stack.connect();
         var s = c.prepareStatement("SELECT status, coalesce(error_message, ''), coalesce(deployed, false)::text"
             + " FROM ai_training_runs WHERE id = ?")) {
      s.setObject(1, id);
      try (var rs = s.executeQuery()) {
        return rs.next() ? new String[] {rs.getString(1), rs.getString(2), rs.getString(3)} : null;
      }
    }
  }
}
