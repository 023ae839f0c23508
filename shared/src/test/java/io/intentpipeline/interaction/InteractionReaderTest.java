package io.intentpipeline.interaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class InteractionReaderTest {
  private static final Instant NOW = Instant.parse("2026-11-27T14:05:00.123456789Z");
  private final AtomicInteger counter = new AtomicInteger();
  private final InteractionReader reader =
      new InteractionReader(Clock.fixed(NOW, ZoneOffset.UTC), () -> "generated-" + counter.incrementAndGet());

  private static ObjectNode minimal() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("user_message", "Where is my order?");
    node.put("detected_intent", "purchase_status");
    node.put("confidence_score", 87);
    return node;
  }

  private static ObjectNode parse(String json) {
    return (ObjectNode) Json.parseBody(json);
  }

  private InvalidInteractionException refusal(JsonNode body) {
    try {
      reader.readRequest(body);
    } catch (InvalidInteractionException e) {
      return e;
    }
    throw new AssertionError("expected the body to be refused: " + body);
  }

  @Test
  void readsEveryFieldOfAFullInteraction() {
    ObjectNode body = parse("""
        {"interaction_id":"orc-1","user_message":"Where is my order?","detected_intent":"purchase_status",
         "confidence_score":87,"ai_response":"It shipped.","escalated":true,"response_source":"faq",
         "category":"orders","conversation_id":"3f1c2a9e-5b7d-4e21-9c3a-8d2f6b1e4a70",
         "message_id":"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d","user_id":"C0FFEE00-1234-4ABC-9DEF-0123456789AB",
         "top_intents":[{"intent":"purchase_status","confidence":0.87},{"intent":"refund_request","confidence":0.08}],
         "occurred_at":"2026-11-27T15:04:58.5+01:00","source":"imported"}
        """);

    Interaction i = reader.readRequest(body).get(0);

    assertThat(i.interactionId()).isEqualTo("orc-1");
    assertThat(i.userMessage()).isEqualTo("Where is my order?");
    assertThat(i.detectedIntent()).isEqualTo("purchase_status");
    assertThat(i.confidenceScore()).isEqualTo(87);
    assertThat(i.aiResponse()).isEqualTo("It shipped.");
    assertThat(i.escalated()).isTrue();
    assertThat(i.responseSource()).isEqualTo("faq");
    assertThat(i.category()).isEqualTo("orders");
    assertThat(i.conversationId()).isEqualTo(UUID.fromString("3f1c2a9e-5b7d-4e21-9c3a-8d2f6b1e4a70"));
    assertThat(i.messageId()).isEqualTo(UUID.fromString("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"));
    assertThat(i.userId()).isEqualTo(UUID.fromString("c0ffee00-1234-4abc-9def-0123456789ab"));
    assertThat(i.topIntents()).containsExactly(new TopIntent("purchase_status", 0.87), new TopIntent("refund_request", 0.08));
    assertThat(i.intentMargin()).hasValueSatisfying(m -> assertThat(m).isCloseTo(0.79, org.assertj.core.data.Offset.offset(1e-9)));
    assertThat(i.occurredAt()).isEqualTo(Instant.parse("2026-11-27T14:04:58.5Z"));
    assertThat(i.source()).isEqualTo("imported");
  }

  @Test
  void assignsIdAndTimeAndDefaultsWhenAbsent() {
    Interaction i = reader.readRequest(minimal()).get(0);

    assertThat(i.interactionId()).isEqualTo("generated-1");
    assertThat(i.occurredAt()).isEqualTo(Instant.parse("2026-11-27T14:05:00.123456Z"));
    assertThat(i.escalated()).isFalse();
    assertThat(i.source()).isEqualTo("live");
    assertThat(i.aiResponse()).isNull();
    assertThat(i.topIntents()).isEmpty();
    assertThat(i.intentMargin()).isEmpty();
  }

  @Test
  void jsonNullMeansAbsentForOptionalFields() {
    ObjectNode body = minimal();
    body.putNull("ai_response");
    body.putNull("escalated");
    body.putNull("top_intents");
    body.putNull("interaction_id");

    Interaction i = reader.readRequest(body).get(0);

    assertThat(i.aiResponse()).isNull();
    assertThat(i.escalated()).isFalse();
    assertThat(i.interactionId()).isEqualTo("generated-1");
  }

  @ParameterizedTest(name = "{0} = {1} is refused")
  @CsvSource(delimiter = '|', value = {
      "user_message|null",
      "user_message|\"   \"",
      "user_message|42",
      "detected_intent|null",
      "detected_intent|\"has space\"",
      "detected_intent|\"_leading_underscore\"",
      "detected_intent|\"\"",
      "detected_intent|[\"purchase_status\"]",
      "confidence_score|null",
      "confidence_score|101",
      "confidence_score|-1",
      "confidence_score|87.5",
      "confidence_score|87.0",
      "confidence_score|\"87\"",
      "confidence_score|true",
      "confidence_score|99999999999",
      "escalated|\"true\"",
      "escalated|1",
      "response_source|\"FAQ\"",
      "response_source|\"faq source\"",
      "category|17",
      "conversation_id|\"not-a-uuid\"",
      "message_id|\"3f1c2a9e5b7d4e219c3a8d2f6b1e4a70\"",
      "user_id|12",
      "interaction_id|\"\"",
      "interaction_id|\"has space\"",
      "interaction_id|\"-leading-dash\"",
      "interaction_id|\"semi;colon\"",
      "occurred_at|\"yesterday\"",
      "occurred_at|\"2026-11-27T14:05:00\"",
      "occurred_at|\"1999-12-31T23:59:59Z\"",
      "occurred_at|\"2026-11-29T14:05:00Z\"",
      "source|\"web\"",
      "top_intents|{}",
      "top_intents|[1]",
      "top_intents|[{\"intent\":\"a\"}]",
      "top_intents|[{\"intent\":\"a\",\"confidence\":1.5}]",
      "top_intents|[{\"intent\":\"a b\",\"confidence\":0.5}]",
  })
  void refusesAWrongFieldNamingIt(String field, String json) {
    ObjectNode body = minimal();
    body.set(field, Json.parseBody("{\"x\":" + json + "}").get("x"));

    InvalidInteractionException e = refusal(body);

    assertThat(e.field()).startsWith(field);
    assertThat(e.getMessage()).contains(field);
  }

  @Test
  void namesTheNestedFieldOfATopIntent() {
    ObjectNode body = minimal();
    body.set("top_intents", Json.parseBody("[{\"intent\":\"a\",\"confidence\":0.5},{\"intent\":\"b\",\"confidence\":-0.1}]"));

    assertThat(refusal(body).field()).isEqualTo("top_intents[1].confidence");
  }

  @Test
  void refusesMoreThanTwentyTopIntents() {
    ObjectNode body = minimal();
    ArrayNode top = body.putArray("top_intents");
    for (int k = 0; k < 21; k++) {
      top.addObject().put("intent", "i" + k).put("confidence", 0.01);
    }

    assertThat(refusal(body).field()).isEqualTo("top_intents");
  }

  @Test
  void refusesUnknownFieldsSoThatTyposLoseNothingSilently() {
    ObjectNode body = minimal();
    body.put("confidence", 87);

    InvalidInteractionException e = refusal(body);

    assertThat(e.field()).isEqualTo("confidence");
    assertThat(e.getMessage()).contains("unknown field").contains("confidence_score");
  }

  @Test
  void refusesTheNulCharacterAnywhere() {
    ObjectNode body = minimal();
    body.put("ai_response", "fine\u0000not fine");

    InvalidInteractionException e = refusal(body);

    assertThat(e.field()).isEqualTo("ai_response");
    assertThat(e.getMessage()).contains("NUL");
  }

  @Test
  void refusesLoneSurrogatesButAcceptsPairs() {
    ObjectNode high = minimal();
    high.put("user_message", "broken \uD83D end");
    ObjectNode low = minimal();
    low.put("category", "\uDE00");
    ObjectNode highAtEnd = minimal();
    highAtEnd.put("user_message", "end \uD83D");
    ObjectNode pair = minimal();
    pair.put("user_message", "smile \uD83D\uDE00");

    assertThat(refusal(high).field()).isEqualTo("user_message");
    assertThat(refusal(low).field()).isEqualTo("category");
    assertThat(refusal(highAtEnd).getMessage()).contains("lone surrogate");
    assertThat(reader.readRequest(pair).get(0).userMessage()).isEqualTo("smile \uD83D\uDE00");
  }

  @Test
  void refusesTheNoncharactersSqsWouldRefuse() {
    ObjectNode body = minimal();
    body.put("user_message", "odd \uFFFF");

    assertThat(refusal(body).field()).isEqualTo("user_message");
  }

  @Test
  void lengthLimitsCountCharactersAsPostgresqlDoes() {
    String emoji = "\uD83D\uDE00";
    ObjectNode atLimit = minimal();
    atLimit.put("user_message", emoji.repeat(InteractionReader.MAX_USER_MESSAGE));
    ObjectNode overLimit = minimal();
    overLimit.put("user_message", "a".repeat(InteractionReader.MAX_USER_MESSAGE + 1));
    ObjectNode longAnswer = minimal();
    longAnswer.put("ai_response", "b".repeat(InteractionReader.MAX_AI_RESPONSE + 1));
    ObjectNode longCategory = minimal();
    longCategory.put("category", "c".repeat(101));

    assertThat(reader.readRequest(atLimit)).hasSize(1);
    assertThat(refusal(overLimit).getMessage()).contains("at most 10000 characters");
    assertThat(refusal(longAnswer).field()).isEqualTo("ai_response");
    assertThat(refusal(longCategory).field()).isEqualTo("category");
  }

  @Test
  void readsABatchInOrderAndNamesTheIndexOfABadOne() {
    ObjectNode batch = Json.MAPPER.createObjectNode();
    ArrayNode items = batch.putArray("interactions");
    for (int k = 0; k < 5; k++) {
      items.add(minimal().put("interaction_id", "id-" + k));
    }
    List<Interaction> read = reader.readRequest(batch);
    ((ObjectNode) items.get(3)).put("confidence_score", 300);

    InvalidInteractionException e = refusal(batch);

    assertThat(read).extracting(Interaction::interactionId).containsExactly("id-0", "id-1", "id-2", "id-3", "id-4");
    assertThat(e.field()).isEqualTo("interactions[3].confidence_score");
    assertThat(e.getMessage()).startsWith("interactions[3].confidence_score must be");
  }

  @Test
  void batchSizeIsOneToFiveHundred() {
    ObjectNode empty = parse("{\"interactions\":[]}");
    ObjectNode full = Json.MAPPER.createObjectNode();
    ArrayNode items = full.putArray("interactions");
    for (int k = 0; k < InteractionReader.MAX_BATCH; k++) {
      items.add(minimal());
    }
    List<Interaction> fiveHundred = reader.readRequest(full);
    items.add(minimal());

    assertThat(refusal(empty).field()).isEqualTo("interactions");
    assertThat(fiveHundred).hasSize(500);
    assertThat(refusal(full).getMessage()).contains("1 to 500");
  }

  @Test
  void refusesMalformedBatchShapes() {
    assertThat(refusal(parse("{\"interactions\":{}}")).field()).isEqualTo("interactions");
    assertThat(refusal(parse("{\"interactions\":[1]}")).field()).isEqualTo("interactions[0]");
    assertThat(refusal(parse("{\"interactions\":[],\"extra\":1}")).field()).isEqualTo("extra");
    assertThat(refusal(Json.parseBody("[1,2]")).field()).isEqualTo("body");
    assertThat(refusal(Json.parseBody("\"text\"")).field()).isEqualTo("body");
  }

  @Test
  void completeInteractionsNeedTheirIdAndTime() {
    ObjectNode noId = minimal().put("occurred_at", "2026-11-27T14:05:00Z");
    ObjectNode noTime = minimal().put("interaction_id", "x");

    assertThatThrownBy(() -> reader.readComplete(noId, java.util.Set.of()))
        .isInstanceOfSatisfying(InvalidInteractionException.class, e -> assertThat(e.field()).isEqualTo("interaction_id"));
    assertThatThrownBy(() -> reader.readComplete(noTime, java.util.Set.of()))
        .isInstanceOfSatisfying(InvalidInteractionException.class, e -> assertThat(e.field()).isEqualTo("occurred_at"));
  }

  @Test
  void uuidTextIsEightFourFourFourTwelveHexDigits() {
    assertThat(InteractionReader.isUuidText("3f1c2a9e-5b7d-4e21-9c3a-8d2f6b1e4a70")).isTrue();
    assertThat(InteractionReader.isUuidText("3F1C2A9E-5B7D-4E21-9C3A-8D2F6B1E4A70")).isTrue();
    assertThat(InteractionReader.isUuidText("3f1c2a9e-5b7d-4e21-9c3a-8d2f6b1e4a7")).isFalse();
    assertThat(InteractionReader.isUuidText("3f1c2a9e-5b7d-4e21-9c3a-8d2f6b1e4a7g")).isFalse();
    assertThat(InteractionReader.isUuidText("3f1c2a9e05b7d-4e21-9c3a-8d2f6b1e4a70")).isFalse();
    assertThat(InteractionReader.isUuidText("3f1c2a9e-5b7d-4e21-9c3a-8d2f6b1e4a70".replace('a', '\uFF41'))).isFalse();
    assertThat(InteractionReader.isUuidText("3f1c2a9e-5b7d-4e21-9c3a-8d2f6b1e4\u0661\u0662")).isFalse();
  }

  @Test
  void errorMessagesNeverRepeatTheValue() {
    ObjectNode body = minimal();
    body.put("detected_intent", "secret personal words");

    assertThat(refusal(body).getMessage()).doesNotContain("secret");
  }
}
