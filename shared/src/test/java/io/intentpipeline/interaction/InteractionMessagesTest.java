package io.intentpipeline.interaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InteractionMessagesTest {
  private final InteractionReader reader = InteractionReader.system();

  static Interaction full(String id) {
    return new Interaction(id, "Wo ist meine Bestellung? \uD83D\uDCE6 \"quoted\" \\ back\nslash", "purchase_status", 87,
        "Sie wurde gestern versandt.", true, "faq", "orders",
        UUID.fromString("3f1c2a9e-5b7d-4e21-9c3a-8d2f6b1e4a70"), UUID.fromString("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"),
        UUID.fromString("c0ffee00-1234-4abc-9def-0123456789ab"),
        List.of(new TopIntent("purchase_status", 0.87), new TopIntent("refund_request", 0.125)),
        Instant.parse("2026-11-27T14:04:58.123456Z"), "live");
  }

  private InvalidInteractionException poison(String body) {
    try {
      InteractionMessages.decode(body, reader);
    } catch (InvalidInteractionException e) {
      return e;
    }
    throw new AssertionError("expected poison: " + body);
  }

  @Test
  void roundTripKeepsEveryField() {
    Interaction original = full("orc-1");

    String body = InteractionMessages.encode(original);
    Interaction decoded = InteractionMessages.decode(body, reader);

    assertThat(body).startsWith("{\"v\":1,");
    assertThat(decoded).isEqualTo(original);
  }

  @Test
  void roundTripKeepsAnInteractionWithOnlyRequiredFields() {
    Interaction minimal = new Interaction("orc-2", "hi", "greeting", 0, null, false, null, null, null, null, null,
        List.of(), Instant.parse("2026-01-01T00:00:00Z"), "synthetic");

    assertThat(InteractionMessages.decode(InteractionMessages.encode(minimal), reader)).isEqualTo(minimal);
  }

  @Test
  void poisonMessagesAreRefusedNamingWhatIsWrong() {
    String good = InteractionMessages.encode(full("orc-3"));

    assertThat(poison("").field()).isEqualTo("body");
    assertThat(poison("not json").field()).isEqualTo("body");
    assertThat(poison("[1]").field()).isEqualTo("body");
    assertThat(poison(good.replace("\"v\":1", "\"v\":2")).field()).isEqualTo("v");
    assertThat(poison(good.replace("\"v\":1,", "")).field()).isEqualTo("v");
    assertThat(poison(good.replace("\"confidence_score\":87", "\"confidence_score\":870")).field())
        .isEqualTo("confidence_score");
    assertThat(poison(good.replace("\"interaction_id\":\"orc-3\",", "")).field()).isEqualTo("interaction_id");
    assertThat(poison(good.replace("Wo ist", "Wo\\u0000ist")).field()).isEqualTo("user_message");
    assertThat(poison(good.replace("Wo ist", "Wo\\ud800ist")).field()).isEqualTo("user_message");
    assertThat(poison(good.replace("\"source\":\"live\"", "\"source\":\"live\",\"extra\":1")).field()).isEqualTo("extra");
  }

  @Test
  void utf8LengthMatchesTheEncoderOnRandomText() {
    Random random = new Random(20261127);
    for (int trial = 0; trial < 2000; trial++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(40);
      for (int k = 0; k < length; k++) {
        int kind = random.nextInt(4);
        int codePoint = switch (kind) {
          case 0 -> random.nextInt(0x80);
          case 1 -> 0x80 + random.nextInt(0x800 - 0x80);
          case 2 -> 0xE000 + random.nextInt(0xFFFD - 0xE000);
          default -> 0x10000 + random.nextInt(0x10FFFF - 0x10000);
        };
        text.appendCodePoint(codePoint);
      }
      String s = text.toString();

      assertThat(InteractionMessages.utf8Length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void encodedBodiesAreAtMostTheSqsLimitForTheLongestPlainTexts() {
    Interaction longest = new Interaction("orc-4", "\uD83D\uDE00".repeat(InteractionReader.MAX_USER_MESSAGE),
        "greeting", 50, "\uD83D\uDE00".repeat(InteractionReader.MAX_AI_RESPONSE), false, null, null, null, null, null,
        List.of(), Instant.parse("2026-01-01T00:00:00Z"), "live");

    int bytes = InteractionMessages.utf8Length(InteractionMessages.encode(longest));

    assertThat(bytes).isLessThanOrEqualTo(InteractionMessages.MAX_BYTES);
    assertThatThrownBy(() -> InteractionMessages.decode("{\"v\":1}", reader)).isInstanceOf(InvalidInteractionException.class);
  }
}
