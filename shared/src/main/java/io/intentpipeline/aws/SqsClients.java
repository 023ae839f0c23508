package io.intentpipeline.aws;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Builds the SQS client: url-connection HTTP client, explicit region and credentials. */
public final class SqsClients {
  private SqsClients() {}

  /** A client for {@code settings}, pointed at the emulator when one is configured. */
  public static SqsClient create(AwsSettings settings) {
    SqsClientBuilder builder = SqsClient.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .region(settings.region())
        .credentialsProvider(settings.credentials());
    settings.endpoint("SQS").ifPresent(builder::endpointOverride);
    return builder.build();
  }

  /**
   * Creates queue {@code name} with {@code attributes} and, when {@code deadLetterAfter > 0}, a
   * dead-letter queue {@code name-dlq} that receives a message after that many receives.
   * Existing queues are kept. Returns the queue URL. For the local stack and tests; in AWS the
   * template creates the queues.
   */
  public static String ensureQueue(SqsClient sqs, String name, Map<String, String> attributes, int deadLetterAfter) {
    var attrs = new HashMap<QueueAttributeName, String>();
    attributes.forEach((k, v) -> attrs.put(QueueAttributeName.fromValue(k), v));
    if (deadLetterAfter > 0) {
      String dlqUrl = sqs.createQueue(b -> b.queueName(name + "-dlq")
          .attributes(Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600")))
          .queueUrl();
      String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl)
              .attributeNames(QueueAttributeName.QUEUE_ARN))
          .attributes().get(QueueAttributeName.QUEUE_ARN);
      attrs.put(QueueAttributeName.REDRIVE_POLICY,
          "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + deadLetterAfter + "\"}");
    }
    return sqs.createQueue(b -> b.queueName(name).attributes(attrs)).queueUrl();
  }
}
