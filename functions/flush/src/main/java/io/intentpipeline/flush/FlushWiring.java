package io.intentpipeline.flush;

import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.SqsClients;
import io.intentpipeline.config.Env;
import io.intentpipeline.ingest.FlushService;
import io.intentpipeline.ingest.RetrainTrigger;
import io.intentpipeline.interaction.AuditSample;
import io.intentpipeline.interaction.InteractionReader;
import io.intentpipeline.queue.RetrainQueue;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.InteractionStore;
import io.intentpipeline.storage.RetrainState;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The real dependencies of the flush function, built from its configuration. */
final class FlushWiring {
  private FlushWiring() {}

  /** See {@link FlushHandler#wiring(Env)}. */
  static FlushHandler.Wiring fromEnv(Env env) {
    String queueUrl = env.required("INTERACTIONS_QUEUE_URL");
    String retrainQueueUrl = env.required("RETRAIN_QUEUE_URL");
    int threshold = env.integer("RETRAIN_THRESHOLD", 100, 1, 1_000_000);
    int expiry = env.integer("RETRAIN_REQUEST_EXPIRY_SECONDS", 3600, 60, 7 * 24 * 3600);
    Duration budget = env.seconds("FLUSH_DRAIN_SECONDS", Duration.ofSeconds(20), 1, 900);
    var audit = new AuditSample(env.decimal("AUDIT_SHARE", AuditSample.DEFAULT_SHARE, 0, 1));
    Database database = new Database(Database.Settings.fromEnv(env), "flush");
    SqsClient sqs = SqsClients.create(AwsSettings.fromEnv(env));
    var trigger = new RetrainTrigger(new RetrainState(database), new RetrainQueue(sqs, retrainQueueUrl), threshold, expiry);
    var service = new FlushService(InteractionReader.system(), new InteractionStore(database, audit), trigger, Clock.systemUTC());
    return new FlushHandler.Wiring(service, sqs, queueUrl, budget);
  }

  /** The admin console's pipeline state for {@code env}: its own one-connection database pool. */
  static PipelineStats stats(Env env, SqsClient sqs) {
    String queueUrl = env.required("INTERACTIONS_QUEUE_URL");
    int threshold = env.integer("RETRAIN_THRESHOLD", 100, 1, 1_000_000);
    Database database = new Database(Database.Settings.fromEnv(env), "flush-stats");
    return new PipelineStats(database, sqs, queueUrl, threshold);
  }
}
