package io.intentpipeline.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.interaction.Interaction;
import io.intentpipeline.interaction.InteractionMessages;
import io.intentpipeline.interaction.InteractionReader;
import io.intentpipeline.testing.Events;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.TestStack;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Issue 19's defects of record's request body, on the sample event of events/ against a real
 * queue: bytes that are not UTF-8, a repeated key and malformed JSON are refused with a 400 that
 * says where and what without repeating the text, and nothing reaches the queue.
 */
class RecordRequestBodyIT {
  static TestStack stack;
  static RecordHandler handler;

  @BeforeAll
  static void start() {
    stack = TestStack.create("recordbody");
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
  private static List<Interaction> queued() {
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

  private static JsonNode call(APIGatewayV2HTTPEvent event) {
    return Invocations.invoke(handler, event, APIGatewayV2HTTPEvent.class);
  }

  private static APIGatewayV2HTTPEvent event(byte[] body) {
    APIGatewayV2HTTPEvent event = Events.load("record-interaction.json", APIGatewayV2HTTPEvent.class);
    // API Gateway (and the local stack) passes a body that is not UTF-8 base64-encoded.
    event.setBody(Base64.getEncoder().encodeToString(body));
    event.setIsBase64Encoded(true);
    return event;
  }

  private static String sampleBody() {
    return Events.load("record-interaction.json", APIGatewayV2HTTPEvent.class).getBody();
  }

  @Test
  void bytesThatAreNotUtf8AreRefusedNotStoredAsReplacementCharacters() {
    // Arrange: the sample body with a Latin-1 'é' (one byte 0xE9) in the user's message
    byte[] utf8 = sampleBody().replace("Where is my order?", "Où est ma commande?").getBytes(StandardCharsets.UTF_8);
    byte[] latin1 = sampleBody().replace("Where is my order?", "Où est ma commande?").getBytes(StandardCharsets.ISO_8859_1);

    // Act
    JsonNode refused = call(event(latin1));
    JsonNode accepted = call(event(utf8));

    // Assert
    assertThat(refused.get("statusCode").asInt()).isEqualTo(400);
    JsonNode error = Invocations.body(refused).get("error");
    assertThat(error.get("field").asText()).isEqualTo("body");
    assertThat(error.get("message").asText()).contains("not valid UTF-8").contains("offset " + (sampleBody().indexOf("Where") + 1));
    assertThat(accepted.get("statusCode").asInt()).isEqualTo(202);
    assertThat(queued()).singleElement()
        .satisfies(i -> assertThat(i.userMessage()).startsWith("Où est ma commande?").doesNotContain("\uFFFD"));
  }

  @Test
  void aRepeatedKeyIsRefusedNamingItAndNothingIsQueued() {
    String body = sampleBody().replace("\"detected_intent\": \"purchase_status\"",
        "\"detected_intent\": \"purchase_status\", \"detected_intent\": \"refund_request\"");
    String nested = "{\"interactions\": [" + sampleBody() + ", "
        + sampleBody().replace("orc-7f3a9c2e-0001", "orc-7f3a9c2e-0002").replace("\"source\": \"live\"",
            "\"source\": \"live\", \"source\": \"import\"") + "]}";

    JsonNode refused = call(event(body.getBytes(StandardCharsets.UTF_8)));
    JsonNode refusedInBatch = call(event(nested.getBytes(StandardCharsets.UTF_8)));

    assertThat(refused.get("statusCode").asInt()).isEqualTo(400);
    assertThat(Invocations.body(refused).get("error").get("field").asText()).isEqualTo("detected_intent");
    assertThat(Invocations.body(refused).get("error").get("message").asText()).contains("appears twice");
    assertThat(refusedInBatch.get("statusCode").asInt()).isEqualTo(400);
    assertThat(Invocations.body(refusedInBatch).get("error").get("field").asText()).isEqualTo("interactions[1].source");
    assertThat(queued()).isEmpty();
  }

  @Test
  void malformedJsonIsRefusedSayingWhereWithoutEchoingTheText() {
    String body = "{\"user_message\": SECRET123, \"detected_intent\": \"x\"}";
    String tooLong = "{\"confidence_score\": 1" + "0".repeat(1500) + "}";

    JsonNode refused = call(event(body.getBytes(StandardCharsets.UTF_8)));
    JsonNode refusedLong = call(event(tooLong.getBytes(StandardCharsets.UTF_8)));

    assertThat(refused.get("statusCode").asInt()).isEqualTo(400);
    assertThat(refused.get("body").asText()).contains("unexpected character at line 1, column 18")
        .doesNotContain("SECRET123").doesNotContain("Unrecognized token");
    assertThat(refusedLong.get("statusCode").asInt()).isEqualTo(400);
    assertThat(refusedLong.get("body").asText()).contains("a number longer than 1000 characters")
        .doesNotContain("StreamReadConstraints").doesNotContain("0000000000");
    assertThat(queued()).isEmpty();
  }
}
