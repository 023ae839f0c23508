package io.intentpipeline.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.intentpipeline.validation.InvalidRequestException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The project's mapper: how it refuses bad JSON and how it writes numbers. */
class JsonTest {
  private static InvalidRequestException refused(String body) {
    return catchThrowableOfType(InvalidRequestException.class, () -> Json.parseBody(body));
  }

  @Test
  void malformedJsonSaysWhereAndWhatWithoutEchoingTheInput() {
    // Arrange: bodies whose text a parser would be tempted to quote back
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("{\"user_message\": SECRET123}", "unexpected character at line 1, column 18");
    bodies.put("{\"a\": 1}\nSECRET123", "unexpected character at line 2, column 1");
    bodies.put("{\"a\": 1}\n{\"SECRET123\": 2}", "unexpected text after the JSON value at line 2, column");
    bodies.put("{\"user_message\": \"SECRET123", "the JSON ends too early");
    bodies.put("{\"n\": 1" + "9".repeat(1200) + "}", "a number longer than 1000 characters");
    bodies.put("[".repeat(1200) + "]".repeat(1200), "nested deeper than 1000 levels");

    bodies.forEach((body, expected) -> {
      // Act
      InvalidRequestException e = refused(body);

      // Assert
      assertThat(e.field()).isEqualTo("body");
      assertThat(e.getMessage()).startsWith("Request body is not valid JSON: ").contains(expected)
          .doesNotContain("SECRET123").doesNotContain("9999").doesNotContainIgnoringCase("StreamReadConstraints")
          .doesNotContainIgnoringCase("jackson").doesNotContain("`");
    });
  }

  @Test
  void aRepeatedKeyIsRefusedNamingItsPathWhereverItIs() {
    InvalidRequestException top = refused("{\"user_message\": \"a\", \"user_message\": \"b\"}");
    InvalidRequestException nested = refused("{\"interactions\": [{\"x\": 1}, {\"detected_intent\": \"a\",\n \"detected_intent\": \"b\"}]}");

    assertThat(top.field()).isEqualTo("user_message");
    assertThat(top.getMessage()).contains("appears twice").contains("line 1");
    assertThat(nested.field()).isEqualTo("interactions[1].detected_intent");
    assertThat(nested.getMessage()).contains("line 2");
  }

  @Test
  void numbersAreWrittenInPlainNotation() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("limit", new BigDecimal("70").stripTrailingZeros());
    values.put("rate", Json.parseBody("{\"r\": 20.0}").get("r"));
    values.put("small", 0.00001);
    values.put("large", 12345678912.5);
    values.put("list", List.of(1.0E-7f));

    String json = Json.write(values);

    assertThat(json).doesNotContain("E").doesNotContain("e-")
        .contains("\"limit\":70").contains("\"rate\":20").contains("\"small\":0.00001")
        .contains("\"large\":12345678912.5");
    assertThat(JsonText.write(Map.of("c", 1.0E-5))).isEqualTo("{\"c\":0.00001}");
    assertThat(JsonNumbers.plain(3.0E10)).isEqualTo("30000000000.0");
    assertThat(JsonNumbers.plain(0.25)).isEqualTo("0.25");
  }
}
