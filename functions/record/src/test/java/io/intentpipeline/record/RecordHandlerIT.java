package io.intentpipeline.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.interaction.Interaction;
import io.intentpipeline.interaction.InteractionMessages;
import io.intentpipeline.interaction.InteractionReader;
import io.intentpipeline.log.Log;
import io.intentpipeline.testing.Events;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.TestStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** The record function, driven by the sample events of events/ against a real queue. */
class RecordHandlerIT {
  static TestStack stack;
  static RecordHandler handler;

  @BeforeAll
  static void start() {
    stack = TestStack.create("record");
    handler = new RecordHandler(RecordHandler.service(stack.env()));
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @BeforeEach
  void emptyQueue() {
    queued();
  }

  /** The interactions now in the queue (removed from it). */
  static List<Interaction> queued() {
    List<Interaction> found = new ArrayList<>();
    while (true) {
      List<Message> batch = stack.sqs().receiveMessage(b -> b.queueUrl(stack.interactionsQueueUrl())
          .maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
      if (batch.isEmpty()) {
        return found;
      }
      for (Message m : batch) {
        found.add(InteractionMessages.decode(m.body(), InteractionReader.system()));
        stack.sqs().deleteMessage(b -> b.queueUrl(stack.interactionsQueueUrl()).receiptHandle(m.receiptHandle()));
      }
    }
  }

  static JsonNode call(RecordHandler h, APIGatewayV2HTTPEvent event) {
    return Invocations.invoke(h, event, APIGatewayV2HTTPEvent.class);
  }

  static APIGatewayV2HTTPEvent withBody(String file, String body) {
    APIGatewayV2HTTPEvent event = Events.load(file, APIGatewayV2HTTPEvent.class);
    event.setBody(body);
    return event;
  }

  @Test
  void oneInteractionIsQueuedAndAnsweredWithItsId() {
    APIGatewayV2HTTPEvent event = Events.load("record-interaction.json", APIGatewayV2HTTPEvent.class);

    JsonNode response = call(handler, event);

    assertThat(response.get("statusCode").asInt()).isEqualTo(202);
    JsonNode body = Invocations.body(response);
    assertThat(body.get("accepted").asInt()).isEqualTo(1);
    assertThat(body.get("interaction_ids").get(0).asText()).isEqualTo("orc-7f3a9c2e-0001");
    List<Interaction> queued = queued();
    assertThat(queued).hasSize(1);
    Interaction i = queued.get(0);
    assertThat(i.interactionId()).isEqualTo("orc-7f3a9c2e-0001");
    assertThat(i.userMessage()).isEqualTo("Where is my order? I bought a phone three days ago.");
    assertThat(i.detectedIntent()).isEqualTo("purchase_status");
    assertThat(i.confidenceScore()).isEqualTo(87);
    assertThat(i.responseSource()).isEqualTo("faq");
    assertThat(i.userId()).isEqualTo(UUID.fromString("c0ffee00-1234-4abc-9def-0123456789ab"));
    assertThat(i.topIntents()).hasSize(2);
    assertThat(i.occurredAt()).isEqualTo(Instant.parse("2026-11-27T14:04:58Z"));
  }

  @Test
  void anInvalidInteractionIs400NamingTheFieldAndNothingIsQueued() {
    APIGatewayV2HTTPEvent event = Events.load("record-interaction.invalid.json", APIGatewayV2HTTPEvent.class);

    JsonNode response = call(handler, event);

    assertThat(response.get("statusCode").asInt()).isEqualTo(400);
    JsonNode error = Invocations.body(response).get("error");
    assertThat(error.get("field").asText()).isEqualTo("confidence_score");
    assertThat(error.get("message").asText()).contains("0 to 100");
    assertThat(queued()).isEmpty();
  }

  @Test
  void aBatchIsQueuedInFullWithIdsAssignedWhereMissing() {
    APIGatewayV2HTTPEvent event = Events.load("record-batch.json", APIGatewayV2HTTPEvent.class);

    JsonNode response = call(handler, event);

    assertThat(response.get("statusCode").asInt()).isEqualTo(202);
    JsonNode ids = Invocations.body(response).get("interaction_ids");
    assertThat(ids).hasSize(3);
    assertThat(UUID.fromString(ids.get(0).asText())).isNotNull();
    assertThat(ids.get(1).asText()).isEqualTo("orc-7f3a9c2e-0003");
    assertThat(UUID.fromString(ids.get(2).asText())).isNotNull();
    Map<String, Interaction> byId = new HashMap<>();
    queued().forEach(i -> byId.put(i.interactionId(), i));
    assertThat(byId).containsOnlyKeys(ids.get(0).asText(), ids.get(1).asText(), ids.get(2).asText());
    assertThat(byId.get(ids.get(0).asText()).detectedIntent()).isEqualTo("refund_request");
    assertThat(byId.get("orc-7f3a9c2e-0003").escalated()).isTrue();
    assertThat(byId.get(ids.get(2).asText()).category()).isEqualTo("orders");
  }

  @Test
  void oneBadInteractionRefusesTheWholeBatch() {
    APIGatewayV2HTTPEvent event = Events.load("record-batch.invalid.json", APIGatewayV2HTTPEvent.class);

    JsonNode response = call(handler, event);

    assertThat(response.get("statusCode").asInt()).isEqualTo(400);
    assertThat(Invocations.body(response).get("error").get("field").asText()).isEqualTo("interactions[2].detected_intent");
    assertThat(queued()).isEmpty();
  }

  @Test
  void aBodyThatIsNotJsonIs400() {
    JsonNode notJson = call(handler, withBody("record-interaction.json", "{\"user_message\": "));
    JsonNode empty = call(handler, withBody("record-interaction.json", null));

    assertThat(notJson.get("statusCode").asInt()).isEqualTo(400);
    assertThat(Invocations.body(notJson).get("error").get("field").asText()).isEqualTo("body");
    assertThat(empty.get("statusCode").asInt()).isEqualTo(400);
    assertThat(queued()).isEmpty();
  }

  @Test
  void aBase64BodyIsDecoded() {
    APIGatewayV2HTTPEvent event = Events.load("record-interaction.json", APIGatewayV2HTTPEvent.class);
    event.setBody(Base64.getEncoder().encodeToString(event.getBody().getBytes(StandardCharsets.UTF_8)));
    event.setIsBase64Encoded(true);

    JsonNode response = call(handler, event);

    assertThat(response.get("statusCode").asInt()).isEqualTo(202);
    assertThat(queued()).extracting(Interaction::interactionId).containsExactly("orc-7f3a9c2e-0001");
  }

  @Test
  void anUnavailableQueueIs503WithTheIdsToRetryWith() {
    Map<String, String> env = new HashMap<>(stack.envVars());
    env.put("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:1");
    env.put("QUEUE_SEND_ATTEMPTS", "2");
    RecordHandler cut = new RecordHandler(RecordHandler.service(io.intentpipeline.config.Env.of(env)));
    APIGatewayV2HTTPEvent event = Events.load("record-batch.json", APIGatewayV2HTTPEvent.class);

    JsonNode response = call(cut, event);

    assertThat(response.get("statusCode").asInt()).isEqualTo(503);
    JsonNode body = Invocations.body(response);
    assertThat(body.get("error").get("code").asText()).isEqualTo("queue_unavailable");
    assertThat(body.get("interaction_ids")).hasSize(3);
    assertThat(body.get("interaction_ids").get(1).asText()).isEqualTo("orc-7f3a9c2e-0003");
  }

  @Test
  void otherRoutesAndMethodsAreRefused() {
    APIGatewayV2HTTPEvent get = Events.load("record-interaction.json", APIGatewayV2HTTPEvent.class);
    get.getRequestContext().getHttp().setMethod("GET");
    APIGatewayV2HTTPEvent elsewhere = Events.load("record-interaction.json", APIGatewayV2HTTPEvent.class);
    elsewhere.setRawPath("/ai/training/other");

    assertThat(call(handler, get).get("statusCode").asInt()).isEqualTo(405);
    assertThat(call(handler, elsewhere).get("statusCode").asInt()).isEqualTo(404);
    assertThat(queued()).isEmpty();
  }

  @Test
  void anSqsEventIsNotForThisFunction() {
    SQSEvent event = Events.load("flush-sqs.json", SQSEvent.class);

    assertThatThrownBy(() -> Invocations.invoke(handler, event, SQSEvent.class))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void logsNeverHoldTheUsersText() {
    var captured = new ByteArrayOutputStream();
    Log.to(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      call(handler, Events.load("record-interaction.json", APIGatewayV2HTTPEvent.class));
      call(handler, Events.load("record-batch.invalid.json", APIGatewayV2HTTPEvent.class));
    } finally {
      Log.to(System.out);
    }

    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(logs).contains("interactions_recorded").contains("interactions_refused");
    assertThat(logs).doesNotContain("Where is my order").doesNotContain("delivery address").doesNotContain("change address");
    queued();
  }
}
