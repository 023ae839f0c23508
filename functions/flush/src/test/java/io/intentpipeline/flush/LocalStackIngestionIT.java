package io.intentpipeline.flush;

import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.SqsClients;
import io.intentpipeline.config.Env;
import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.Migrations;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The end-to-end ingestion scenario against LocalStack's SQS (Testcontainers) instead of
 * ElasticMQ. Skipped where Docker is not available; {@link IngestionEndToEndIT} runs the same
 * scenario everywhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackIngestionIT {
  @Container
  static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:3.8"))
      .withServices(LocalStackContainer.Service.SQS);

  @Test
  void everyGoodInteractionIsStoredOnceAndEveryPoisonMessageEndsInTheDeadLetterQueue() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_REGION", LOCALSTACK.getRegion());
    env.put("AWS_ACCESS_KEY_ID", LOCALSTACK.getAccessKey());
    env.put("AWS_SECRET_ACCESS_KEY", LOCALSTACK.getSecretKey());
    env.put("AWS_ENDPOINT_URL_SQS", LOCALSTACK.getEndpoint().toString());
    try (FreshDatabase database = PostgresServer.shared().createDatabase("localstack");
         SqsClient sqs = SqsClients.create(AwsSettings.fromEnv(Env.of(env)))) {
      var settings = new Database.Settings(database.jdbcUrl(), database.user(), database.password(), 1);
      Migrations.migrate(settings);
      String queue = SqsClients.ensureQueue(sqs, "interactions", Map.of("VisibilityTimeout", "30"),
          IngestionScenario.RECEIVES_BEFORE_DLQ);
      String dlq = sqs.getQueueUrl(b -> b.queueName("interactions-dlq")).queueUrl();
      String retrain = SqsClients.ensureQueue(sqs, "retrain", Map.of(), 0);
      env.put("DATABASE_URL", database.jdbcUrl());
      if (database.user() != null) {
        env.put("DATABASE_USER", database.user());
      }
      if (database.password() != null) {
        env.put("DATABASE_PASSWORD", database.password());
      }
      env.put("INTERACTIONS_QUEUE_URL", queue);
      env.put("RETRAIN_QUEUE_URL", retrain);

      new IngestionScenario(new IngestionScenario.Target(env, sqs, queue, dlq, retrain, settings)).run();
    }
  }
}
