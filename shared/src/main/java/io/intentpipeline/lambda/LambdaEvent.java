package io.intentpipeline.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One Lambda invocation, by source. A function serves all of its triggers (its HTTP routes, its
 * queue, its schedules) from one handler, which switches over these.
 */
public sealed interface LambdaEvent {
  /** An API Gateway HTTP API request (payload format 2.0). */
  record Http(APIGatewayV2HTTPEvent event) implements LambdaEvent {}

  /** A batch of SQS messages from an event source mapping. */
  record Sqs(SQSEvent event) implements LambdaEvent {}

  /**
   * An EventBridge schedule. {@code detail} is the target's input detail, e.g.
   * {@code {"period_type": "daily"}}; {@code name} identifies the schedule; {@code time} is the
   * event's time as sent (when the schedule fired), empty when the event has none.
   */
  record Scheduled(String name, JsonNode detail, String time) implements LambdaEvent {}

  /** Anything else: a direct invocation ({@code aws lambda invoke}) with a JSON payload. */
  record Direct(JsonNode payload) implements LambdaEvent {}
}
