package io.intentpipeline.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentpipeline.http.ApiException;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageCursorTest {
  @Test
  void roundTripsTheKeyForTheSameScope() {
    String cursor = PageCursor.encode("errors|a", List.of("2026-03-01T00:00:00Z", "id-1"));

    assertThat(PageCursor.decode(cursor, "errors|a", 2)).containsExactly("2026-03-01T00:00:00Z", "id-1");
    assertThat(cursor).matches("[A-Za-z0-9_-]+");
  }

  @Test
  void refusesACursorOfOtherFilters() {
    String cursor = PageCursor.encode("errors|a", List.of("x", "y"));

    assertThatThrownBy(() -> PageCursor.decode(cursor, "errors|b", 2))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(ApiException.badRequest(e).status()).isEqualTo(400);
          assertThat(e.field()).isEqualTo("cursor");
          assertThat(e.getMessage()).contains("other filters");
        });
  }

  @Test
  void refusesGarbageAndWrongShapes() {
    for (String bad : List.of("not a cursor!", "e30", PageCursor.encode("s", List.of("only-one")))) {
      assertThatThrownBy(() -> PageCursor.decode(bad, "s", 2))
          .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
    }
  }
}
