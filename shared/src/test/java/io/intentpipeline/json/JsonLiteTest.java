package io.intentpipeline.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.http.ApiException;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonLiteTest {
  @Test
  void readsEveryKindOfValueInDocumentOrder() {
    // Arrange
    String json = " {\"s\": \"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00\", \"i\": -42, \"d\": 2.5e-3, \"t\": true, \"f\": false,"
        + " \"n\": null, \"a\": [1, \"x\", [], {}], \"o\": {\"k\": 0}} ";

    // Act
    Map<String, Object> object = JsonLite.parseObject(json);

    // Assert
    assertThat(object).containsOnlyKeys("s", "i", "d", "t", "f", "n", "a", "o");
    assertThat(List.copyOf(object.keySet())).containsExactly("s", "i", "d", "t", "f", "n", "a", "o");
    assertThat(object.get("s")).isEqualTo("a\"b\\c/d\n\u00e9\ud83d\ude00");
    assertThat(object.get("i")).isEqualTo(-42L);
    assertThat(object.get("d")).isEqualTo(0.0025);
    assertThat(object.get("t")).isEqualTo(Boolean.TRUE);
    assertThat(object.get("f")).isEqualTo(Boolean.FALSE);
    assertThat(object).containsEntry("n", null);
    assertThat(object.get("a")).isEqualTo(List.of(1L, "x", List.of(), Map.of()));
    assertThat(object.get("o")).isEqualTo(Map.of("k", 0L));
  }

  @Test
  void refusesWhatRfc8259RefusesWithA400OnTheBody() {
    // Arrange
    List<String> bad = List.of("", "  ", "{", "{\"a\": 1,}", "{\"a\" 1}", "{a: 1}", "{\"a\": 01}", "{\"a\": 1.}",
        "{\"a\": .5}", "{\"a\": +1}", "{\"a\": NaN}", "{\"a\": tru}", "{\"a\": \"x\ty\"}", "{\"a\": \"\\x\"}",
        "{\"a\": \"\\u12\"}", "{\"a\": \"open}", "{\"a\": 1} {}", "{\"a\": [1 2]}", "{'a': 1}", "{\"a\": 1e}");

    for (String json : bad) {
      // Act + Assert
      assertThatThrownBy(() -> JsonLite.parseObject(json)).as(json).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
        assertThat(ApiException.badRequest(e).status()).isEqualTo(400);
        assertThat(e.field()).isEqualTo("body");
      });
    }
  }

  @Test
  void aRepeatedKeyIsRefusedNamingIt() {
    assertThatThrownBy(() -> JsonLite.parseObject("{\"text\": \"a\", \"text\": \"b\"}"))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("text"));
  }

  @Test
  void nestingDeeperThanTheLimitIsRefusedWithoutOverflowingTheStack() {
    // Arrange
    String deep = "{\"a\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";

    // Act + Assert
    assertThatThrownBy(() -> JsonLite.parseObject(deep)).isInstanceOfSatisfying(InvalidRequestException.class,
        e -> assertThat(e.getMessage()).contains("nested deeper than " + JsonLite.MAX_DEPTH));
  }

  @Test
  void errorsSayWhereButNeverRepeatTheText() {
    assertThatThrownBy(() -> JsonLite.parseObject("{\"text\": \"my secret card number\" oops}"))
        .hasMessageContaining("at character").hasMessageNotContaining("secret");
  }

  @Test
  void quotedStringsReadBackAsThemselvesAsJacksonReadsThem() throws Exception {
    // Arrange: seeded random strings over the characters that need care.
    Random random = new Random(20261127);
    char[] alphabet = {'a', 'Z', ' ', '"', '\\', '/', '\n', '\r', '\t', '\b', '\f', '\u0000', '\u001f', '\u007f',
        '\u00e9', '\u2028', '\u2029', '\ud83d', '\ude00', '\uffff'};

    for (int n = 0; n < 2_000; n++) {
      StringBuilder s = new StringBuilder();
      for (int i = random.nextInt(20); i > 0; i--) {
        s.append(alphabet[random.nextInt(alphabet.length)]);
      }
      StringBuilder out = new StringBuilder();

      // Act
      JsonStrings.quote(out, s.toString());

      // Assert
      JsonNode jackson = Json.MAPPER.readTree(out.toString());
      assertThat(jackson.textValue()).isEqualTo(s.toString());
      assertThat(JsonLite.parse(out.toString())).isEqualTo(s.toString());
    }
  }

  @Test
  void largeIntegersAndFractionsBecomeDoubles() {
    assertThat(JsonLite.parse("123456789012345678")).isEqualTo(123456789012345678L);
    assertThat(JsonLite.parse("12345678901234567890")).isEqualTo(1.2345678901234567e19);
    assertThat(JsonLite.parse("3.0")).isEqualTo(3.0);
    assertThat(JsonLite.parse("-0")).isEqualTo(0L);
  }
}
