package io.intentpipeline.testing;

import io.intentpipeline.aws.AwsSettings;
import io.intentpipeline.aws.S3Clients;
import io.intentpipeline.aws.SqsClients;
import io.intentpipeline.config.Env;
import io.intentpipeline.embedded.EmbeddedS3;
import io.intentpipeline.embedded.EmbeddedSqs;
import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.Migrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Real servers for one test class: a fresh migrated PostgreSQL database, and its own queues and
 * bucket on the JVM's embedded SQS (ElasticMQ) and S3 (S3Proxy) servers, reached through the real
 * AWS SDK clients. {@link #env()} gives the variables a function reads, pointing at all of it.
 *
 * <p>The servers start once per JVM; the database is dropped on {@link #close()}.
 */
public final class TestStack implements AutoCloseable {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedSqs sqsServer;
  private static EmbeddedS3 s3Server;

  private final FreshDatabase database;
  private final Database.Settings dbSettings;
  private final AwsSettings aws;
  private final S3Client s3;
  private final SqsClient sqs;
  private final String bucket;
  private final String interactionsQueueUrl;
  private final String interactionsDlqUrl;
  private final String retrainQueueUrl;

  private TestStack(String label, int deadLetterAfter) {
    startServers();
    this.database = PostgresServer.shared().createDatabase(label);
    this.dbSettings = new Database.Settings(database.jdbcUrl(), database.user(), database.password(), 4);
    Migrations.migrate(dbSettings);
    this.aws = AwsSettings.fromEnv(Env.of(Map.of(
        "AWS_REGION", "us-east-1",
        "AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY,
        "AWS_ENDPOINT_URL_S3", s3Server.endpoint().toString(),
        "AWS_ENDPOINT_URL_SQS", sqsServer.endpoint().toString())));
    this.s3 = S3Clients.create(aws);
    this.sqs = SqsClients.create(aws);
    String suffix = label.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "")
        + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    if (suffix.length() > 40) {
      suffix = suffix.substring(suffix.length() - 40);
    }
    this.bucket = "models-" + suffix.replaceAll("^-+", "");
    S3Clients.ensureBucket(s3, bucket);
    String interactions = "interactions-" + suffix;
    this.interactionsQueueUrl = SqsClients.ensureQueue(sqs, interactions, Map.of("VisibilityTimeout", "30"), deadLetterAfter);
    this.interactionsDlqUrl = deadLetterAfter > 0
        ? sqs.getQueueUrl(b -> b.queueName(interactions + "-dlq")).queueUrl()
        : null;
    this.retrainQueueUrl = SqsClients.ensureQueue(sqs, "retrain-" + suffix, Map.of("VisibilityTimeout", "30"), 0);
  }

  /** A stack whose interactions queue sends a message to its DLQ after 5 receives. */
  public static TestStack create(String label) {
    return new TestStack(label, 5);
  }

  /** A stack whose interactions queue sends a message to its DLQ after {@code deadLetterAfter} receives. */
  public static TestStack create(String label, int deadLetterAfter) {
    return new TestStack(label, deadLetterAfter);
  }

  private static synchronized void startServers() {
    if (sqsServer == null) {
      sqsServer = EmbeddedSqs.start(0);
      s3Server = EmbeddedS3.inMemory(0);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        sqsServer.close();
        s3Server.close();
      }));
    }
  }

  /** The environment a function reads, pointing at this stack. */
  public Map<String, String> envVars() {
    Map<String, String> vars = new HashMap<>();
    vars.put("AWS_REGION", "us-east-1");
    vars.put("AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY);
    vars.put("AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY);
    vars.put("AWS_ENDPOINT_URL_S3", s3Server.endpoint().toString());
    vars.put("AWS_ENDPOINT_URL_SQS", sqsServer.endpoint().toString());
    vars.put("DATABASE_URL", database.jdbcUrl());
    if (database.user() != null) {
      vars.put("DATABASE_USER", database.user());
    }
    if (database.password() != null) {
      vars.put("DATABASE_PASSWORD", database.password());
    }
    vars.put("MODEL_BUCKET", bucket);
    vars.put("INTERACTIONS_QUEUE_URL", interactionsQueueUrl);
    vars.put("RETRAIN_QUEUE_URL", retrainQueueUrl);
    return vars;
  }

  /** {@link #envVars()} as an {@link Env}. */
  public Env env() {
    return Env.of(envVars());
  }

  public Database.Settings databaseSettings() {
    return dbSettings;
  }

  /** A new connection to the test database; the caller closes it. */
  public Connection connect() throws SQLException {
    return database.connect();
  }

  public AwsSettings aws() {
    return aws;
  }

  public S3Client s3() {
    return s3;
  }

  public SqsClient sqs() {
    return sqs;
  }

  public String bucket() {
    return bucket;
  }

  public String interactionsQueueUrl() {
    return interactionsQueueUrl;
  }

  public String interactionsDlqUrl() {
    return interactionsDlqUrl;
  }

  public String retrainQueueUrl() {
    return retrainQueueUrl;
  }

  @Override
  public void close() {
    s3.close();
    sqs.close();
    database.close();
  }
}
