package io.intentpipeline.flush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.config.Env;
import io.intentpipeline.interaction.Interaction;
import io.intentpipeline.interaction.InteractionMessages;
import io.intentpipeline.testing.Events;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.TestStack;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The flush function, driven by the sample events of events/ against a real database and queues. */
class FlushHandlerIT {
  static TestStack stack;
  static FlushHandler handler;

  @BeforeAll
  static void start() {
    stack = TestStack.create("flush");
    handler = new FlushHandler(FlushHandler.wiring(stack.env().with(Map.of("RETRAIN_THRESHOLD", "5"))));
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @BeforeEach
  void reset() throws SQLException {
    sql("TRUNCATE ai_training_data CASCADE");
    sql("UPDATE ai_retrain_state SET requested_at = NULL");
    // Purging also removes messages another test left in flight.
    stack.sqs().purgeQueue(b -> b.queueUrl(stack.interactionsQueueUrl()));
    stack.sqs().purgeQueue(b -> b.queueUrl(stack.retrainQueueUrl()));
  }

  static void sql(String statement) throws SQLException {
    try (var c = stack.connect(); var s = c.createStatement()) {
      s.execute(statement);
    }
  }

  static List<String> storedIds() throws SQLException {
    List<String> ids = new ArrayList<>();
    try (var c = stack.connect(); var s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT interaction_id FROM ai_training_data ORDER BY interaction_id")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  static List<String> drain(String queueUrl) {
    List<String> bodies = new ArrayList<>();
    while (true) {
      List<Message> batch = stack.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
          .waitTimeSeconds(0)).messages();
      if (batch.isEmpty()) {
        return bodies;
      }
      for (Message m : batch) {
        bodies.add(m.body());
        stack.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
      }
    }
  }

  static List<String> failures(JsonNode response) {
    List<String> ids = new ArrayList<>();
    response.get("batchItemFailures").forEach(f -> ids.add(f.get("itemIdentifier").asText()));
    return ids;
  }

  static String message(String id) {
    return InteractionMessages.encode(new Interaction(id, "message " + id, "greeting", 90, null, false, null, null,
        null, null, null, List.of(), Instant.parse("2026-11-27T14:05:00Z"), "live"));
  }

  static void send(String body) {
    stack.sqs().sendMessage(b -> b.queueUrl(stack.interactionsQueueUrl()).messageBody(body));
  }

  @Test
  void aBatchIsStoredAndARedeliveryStoresNothingNew() throws Exception {
    SQSEvent event = Events.load("flush-sqs.json", SQSEvent.class);

    JsonNode first = Invocations.invoke(handler, event, SQSEvent.class);
    JsonNode redelivered = Invocations.invoke(handler, event, SQSEvent.class);

    assertThat(failures(first)).isEmpty();
    assertThat(failures(redelivered)).isEmpty();
    assertThat(storedIds()).containsExactly("sqs-sample-0001", "sqs-sample-0002", "sqs-sample-0003");
  }

  @Test
  void poisonMessagesAreTheOnlyFailuresAndTheRestIsStored() throws Exception {
    SQSEvent event = Events.load("flush-sqs.invalid.json", SQSEvent.class);

    JsonNode response = Invocations.invoke(handler, event, SQSEvent.class);

    assertThat(failures(response)).containsExactly("6f2c1a4e-4444-4c1e-9a57-3b1d2e4f5a64", "6f2c1a4e-5555-4c1e-9a57-3b1d2e4f5a65");
    assertThat(storedIds()).containsExactly("sqs-sample-0001", "sqs-sample-0003");
  }

  @Test
  void anUnavailableDatabaseFailsTheWholeInvocationSoNothingLeavesTheQueue() throws Exception {
    Map<String, String> env = new HashMap<>(stack.envVars());
    env.put("DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/nowhere");
    FlushHandler down = new FlushHandler(FlushHandler.wiring(Env.of(env)));
    SQSEvent event = Events.load("flush-sqs.json", SQSEvent.class);

    assertThatThrownBy(() -> Invocations.invoke(down, event, SQSEvent.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("stays in the queue");
    assertThat(storedIds()).isEmpty();
  }

  @Test
  void theFlushRouteDrainsTheQueueAndLeavesPoisonForTheDeadLetterQueue() throws Exception {
    for (int k = 0; k < 23; k++) {
      send(message("drain-" + k));
    }
    send(message("drain-3"));
    send("{\"v\":1,\"interaction_id\":\"broken\"}");
    APIGatewayV2HTTPEvent event = Events.load("flush-api.json", APIGatewayV2HTTPEvent.class);

    JsonNode response = Invocations.invoke(handler, event, APIGatewayV2HTTPEvent.class);

    assertThat(response.get("statusCode").asInt()).isEqualTo(200);
    JsonNode body = Invocations.body(response);
    assertThat(body.get("received").asInt()).isEqualTo(25);
    assertThat(body.get("stored").asInt()).isEqualTo(23);
    assertThat(body.get("duplicates").asInt()).isEqualTo(1);
    assertThat(body.get("failed").asInt()).isEqualTo(1);
    assertThat(body.get("queue_empty").asBoolean()).isTrue();
    assertThat(storedIds()).hasSize(23).doesNotContain("broken");
    var attributes = stack.sqs().getQueueAttributes(b -> b.queueUrl(stack.interactionsQueueUrl())
        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
    assertThat(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).isEqualTo("0");
    assertThat(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).isEqualTo("1");
  }

  @Test
  void theFlushRouteAnswers503WhenTheDatabaseIsDownAndDeletesNothing() throws Exception {
    Map<String, String> env = new HashMap<>(stack.envVars());
    env.put("DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/nowhere");
    FlushHandler down = new FlushHandler(FlushHandler.wiring(Env.of(env)));
    send(message("kept-1"));
    send(message("kept-2"));

    JsonNode response = Invocations.invoke(down, Events.load("flush-api.json", APIGatewayV2HTTPEvent.class),
        APIGatewayV2HTTPEvent.class);

    assertThat(response.get("statusCode").asInt()).isEqualTo(503);
    assertThat(Invocations.body(response).get("error").get("code").asText()).isEqualTo("database_unavailable");
    var attributes = stack.sqs().getQueueAttributes(b -> b.queueUrl(stack.interactionsQueueUrl())
        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
    int remaining = Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    assertThat(remaining).isEqualTo(2);
  }

  @Test
  void theFlushRouteAcceptsOnlyPost() {
    APIGatewayV2HTTPEvent event = Events.load("flush-api.invalid.json", APIGatewayV2HTTPEvent.class);

    JsonNode response = Invocations.invoke(handler, event, APIGatewayV2HTTPEvent.class);

    assertThat(response.get("statusCode").asInt()).isEqualTo(405);
    assertThat(response.get("headers").get("allow").asText()).isEqualTo("POST");
  }

  @Test
  void crossingTheThresholdSendsOneRetrainRequestNotOnePerFlush() throws Exception {
    for (int k = 0; k < 4; k++) {
      send(message("t-" + k));
    }
    JsonNode below = Invocations.body(Invocations.invoke(handler,
        Events.load("flush-api.json", APIGatewayV2HTTPEvent.class), APIGatewayV2HTTPEvent.class));
    List<String> afterBelow = drain(stack.retrainQueueUrl());
    for (int k = 4; k < 6; k++) {
      send(message("t-" + k));
    }
    JsonNode crossing = Invocations.body(Invocations.invoke(handler,
        Events.load("flush-api.json", APIGatewayV2HTTPEvent.class), APIGatewayV2HTTPEvent.class));
    for (int k = 6; k < 20; k++) {
      send(message("t-" + k));
    }
    JsonNode beyond = Invocations.body(Invocations.invoke(handler,
        Events.load("flush-api.json", APIGatewayV2HTTPEvent.class), APIGatewayV2HTTPEvent.class));
    List<String> requests = drain(stack.retrainQueueUrl());

    assertThat(below.get("retrain_requested").asBoolean()).isFalse();
    assertThat(afterBelow).isEmpty();
    assertThat(crossing.get("retrain_requested").asBoolean()).isTrue();
    assertThat(beyond.get("retrain_requested").asBoolean()).isFalse();
    assertThat(requests).hasSize(1);
    JsonNode request = io.intentpipeline.json.Json.parseBody(requests.get(0));
    assertThat(request.get("v").asInt()).isEqualTo(1);
    assertThat(request.get("reason").asText()).isEqualTo("new_samples");
    assertThat(request.get("new_samples").asInt()).isEqualTo(5);
    assertThat(request.get("threshold").asInt()).isEqualTo(5);
  }
}
