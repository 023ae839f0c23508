package io.intentpipeline.queue;

import io.intentpipeline.json.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The retrain queue, which the train function consumes. A request is one message, version 1:
 * {@code {"v":1,"reason":"new_samples","requested_at":"...","new_samples":100,"threshold":100}}
 * ({@code new_samples} is at least {@code threshold}: counting stops there). The train function
 * also queues the runs asked for through its API here ({@code "reason":"api"}, see
 * {@code io.intentpipeline.pipeline.RetrainMessage}).
 */
public final class RetrainQueue {
  private final SqsClient sqs;
  private final String queueUrl;

  /** Sends to the queue at {@code queueUrl}. */
  public RetrainQueue(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  /** Sends a message already in one of the queue's formats; throws {@link QueueUnavailableException} when SQS refuses it. */
  public void send(String messageBody) {
    try {
      sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(messageBody));
    } catch (SdkException e) {
      throw new QueueUnavailableException("the message could not be sent to the retrain queue ("
          + e.getClass().getSimpleName() + ")", e);
    }
  }

  /** Sends one retrain request; throws {@link QueueUnavailableException} when SQS refuses it. */
  public void request(Instant requestedAt, int newSamples, int threshold) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("v", 1);
    body.put("reason", "new_samples");
    body.put("requested_at", requestedAt.toString());
    body.put("new_samples", newSamples);
    body.put("threshold", threshold);
    try {
      sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(Json.write(body)));
    } catch (SdkException e) {
      throw new QueueUnavailableException("the retrain request could not be sent (" + e.getClass().getSimpleName() + ")", e);
    }
  }
}
