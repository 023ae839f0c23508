package io.intentpipeline.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentpipeline.ingest.RecordService;
import io.intentpipeline.interaction.Interaction;
import io.intentpipeline.interaction.InteractionMessages;
import io.intentpipeline.interaction.InteractionReader;
import io.intentpipeline.testing.InMemoryInteractionQueue;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.Invocations.HttpResult;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The whole record function on the sample events of events/, with the in-memory interactions
 * queue in place of SQS: what the caller gets back and what reached the queue.
 */
class RecordFunctionalTest {
  private final InMemoryInteractionQueue queue = new InMemoryInteractionQueue();
  private final RecordHandler handler = new RecordHandler(new RecordService(InteractionReader.system(), queue));

  private List<Interaction> queued() {
    return queue.drain().stream().map(body -> InteractionMessages.decode(body, InteractionReader.system())).toList();
  }

  @Test
  void oneInteractionIsQueuedAndAnsweredWithItsId() {
    HttpResult response = Invocations.httpFile(handler, "record-interaction.json");

    assertThat(response.status()).isEqualTo(202);
    assertThat(response.body().get("accepted").asInt()).isEqualTo(1);
    assertThat(response.body().get("interaction_ids").get(0).asText()).isEqualTo("orc-7f3a9c2e-0001");
    List<Interaction> queued = queued();
    assertThat(queued).extracting(Interaction::interactionId).containsExactly("orc-7f3a9c2e-0001");
    assertThat(queued.get(0).detectedIntent()).isEqualTo("purchase_status");
    assertThat(queued.get(0).confidenceScore()).isEqualTo(87);
  }

  @Test
  void aBatchIsQueuedInRequestOrderWithIdsAssignedWhereMissing() {
    HttpResult response = Invocations.httpFile(handler, "record-batch.json");

    assertThat(response.status()).isEqualTo(202);
    assertThat(response.body().get("accepted").asInt()).isEqualTo(3);
    var ids = response.body().get("interaction_ids");
    assertThat(UUID.fromString(ids.get(0).asText())).isNotNull();
    assertThat(ids.get(1).asText()).isEqualTo("orc-7f3a9c2e-0003");
    assertThat(queued()).extracting(Interaction::interactionId)
        .containsExactly(ids.get(0).asText(), ids.get(1).asText(), ids.get(2).asText());
  }

  @Test
  void theBadTwinsAre400NamingTheFieldAndNothingIsQueued() {
    Map<String, String> fields = Map.of("record-interaction.invalid.json", "confidence_score",
        "record-batch.invalid.json", "interactions[2].detected_intent");

    assertThat(fields).allSatisfy((file, field) -> {
      HttpResult refused = Invocations.httpFile(handler, file);
      assertThat(refused.status()).as(file).isEqualTo(400);
      assertThat(refused.errorField()).as(file).isEqualTo(field);
    });
    assertThat(queued()).isEmpty();
  }

  @Test
  void anUnavailableQueueIs503WithTheIdsToRetryWith() {
    queue.unavailable(true);

    HttpResult response = Invocations.httpFile(handler, "record-batch.json");

    assertThat(response.status()).isEqualTo(503);
    assertThat(response.body().get("error").get("code").asText()).isEqualTo("queue_unavailable");
    assertThat(response.body().get("interaction_ids")).hasSize(3);
    assertThat(response.body().get("interaction_ids").get(1).asText()).isEqualTo("orc-7f3a9c2e-0003");
    assertThat(queued()).isEmpty();
  }

  @Test
  void personalDataIsReplacedBeforeTheInteractionReachesTheQueue() {
    // Arrange
    String body = """
        {"interaction_id": "pd-1", "detected_intent": "card_payment_not_recognised", "confidence_score": 64,
         "user_message": "card 4111 1111 1111 1111 was charged, mail me at jane.doe@example.com",
         "ai_response": "We will call you on +44 20 7946 0958 about DE89 3704 0044 0532 0130 00"}
        """;

    // Act
    HttpResult response = Invocations.http(handler, "POST", "/ai/training/interactions", Map.of(), body);

    // Assert
    assertThat(response.status()).isEqualTo(202);
    List<String> raw = queue.drain();
    assertThat(raw).hasSize(1);
    assertThat(raw.get(0)).doesNotContain("4111", "jane.doe", "7946", "3704");
    Interaction queued = InteractionMessages.decode(raw.get(0), InteractionReader.system());
    assertThat(queued.userMessage()).isEqualTo("card [CARD] was charged, mail me at [EMAIL]");
    assertThat(queued.aiResponse()).isEqualTo("We will call you on [PHONE] about [IBAN]");
    assertThat(queued.redactedKinds()).containsExactly("card", "iban", "email", "phone");
  }

  @Test
  void withRedactionOffTheTextIsQueuedAsSent() {
    // Arrange
    RecordHandler unredacted = new RecordHandler(new RecordService(InteractionReader.system(), queue,
        io.intentpipeline.privacy.Redactor.off()));
    String body = "{\"detected_intent\": \"x\", \"confidence_score\": 1, \"user_message\": \"mail jane@example.com\"}";

    // Act
    HttpResult response = Invocations.http(unredacted, "POST", "/ai/training/interactions", Map.of(), body);

    // Assert
    assertThat(response.status()).isEqualTo(202);
    Interaction queued = queued().get(0);
    assertThat(queued.userMessage()).isEqualTo("mail jane@example.com");
    assertThat(queued.redactedKinds()).isEmpty();
  }
}
