package io.intentpipeline.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.http.ApiException;
import io.intentpipeline.json.Json;
import io.intentpipeline.testing.Events;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.intentpipeline.validation.InvalidRequestException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryParamsTest {
  private static QueryParams params(Map<String, String> query, String... allowed) {
    var event = Events.fromJson("""
        {"version":"2.0","rawPath":"/x","queryStringParameters":%s,
         "requestContext":{"http":{"method":"GET","path":"/x"}}}
        """.formatted(Json.write(query)), APIGatewayV2HTTPEvent.class);
    return QueryParams.of(new HttpRequest(event), Set.of(allowed));
  }

  @Test
  void unknownParameterIsA400NamingIt() {
    assertThatThrownBy(() -> params(Map.of("intnet", "x"), "intent"))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(ApiException.badRequest(e).status()).isEqualTo(400);
          assertThat(e.field()).isEqualTo("intnet");
        });
  }

  @Test
  void integersAreCheckedAgainstTheirRange() {
    var query = params(Map.of("hours", "24", "limit", "0", "n", "x"), "hours", "limit", "n");

    assertThat(query.integer("hours", 1, 1, 100)).isEqualTo(24);
    assertThat(query.integer("absent", 7, 1, 100)).isEqualTo(7);
    assertThatThrownBy(() -> query.integer("limit", 50, 1, 200))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("limit"));
    assertThatThrownBy(() -> query.integer("n", 50, 1, 200))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("n"));
  }

  @Test
  void instantsAcceptOffsetsAndDates() {
    var query = params(Map.of("a", "2026-03-01T13:00:00+01:00", "b", "2026-03-01", "c", "yesterday"), "a", "b", "c");

    assertThat(query.instant("a")).contains(Instant.parse("2026-03-01T12:00:00Z"));
    assertThat(query.instant("b")).contains(Instant.parse("2026-03-01T00:00:00Z"));
    assertThatThrownBy(() -> query.instant("c"))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("c"));
  }

  @Test
  void intentsMustBeIntentNames() {
    var query = params(Map.of("ok", "reverted_card_payment?", "bad", "card arrival"), "ok", "bad");

    assertThat(query.intent("ok")).contains("reverted_card_payment?");
    assertThatThrownBy(() -> query.intent("bad"))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("bad"));
  }
}
