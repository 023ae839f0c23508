package io.intentpipeline.local.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.interaction.InteractionReader;
import io.intentpipeline.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveTrafficTest {
  private static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

  private final List<LiveTraffic.Interaction> traffic =
      LiveTraffic.of(DemoDataset.load(), 0.1, 42, NOW, Duration.ofHours(2));

  @Test
  void everySampleBecomesOneInteractionTheRecordApiAccepts() {
    // Arrange
    InteractionReader reader = InteractionReader.system();

    // Act / Assert
    assertThat(traffic).hasSize(748);
    assertThat(new HashSet<>(traffic.stream().map(LiveTraffic.Interaction::id).toList())).hasSize(748);
    for (LiveTraffic.Interaction interaction : traffic) {
      JsonNode body = Json.MAPPER.valueToTree(interaction.body());
      assertThat(reader.readRequest(body).get(0).interactionId()).isEqualTo(interaction.id());
      Instant at = Instant.parse(body.path("occurred_at").asText());
      assertThat(at).isBetween(NOW.minus(Duration.ofHours(2)), NOW);
    }
  }

  @Test
  void theBotIsWrongOnAboutTheShareAskedAndThenUnsure() {
    // Act
    List<LiveTraffic.Interaction> wrong = traffic.stream().filter(LiveTraffic.Interaction::botWasWrong).toList();

    // Assert
    assertThat(wrong.size()).isBetween(50, 100);
    for (LiveTraffic.Interaction interaction : wrong) {
      assertThat(interaction.body().get("detected_intent")).isNotEqualTo(interaction.trueIntent());
      assertThat((Integer) interaction.body().get("confidence_score")).isLessThan(46);
    }
    traffic.stream().filter(i -> !i.botWasWrong()).forEach(i -> {
      assertThat(i.body().get("detected_intent")).isEqualTo(i.trueIntent());
      assertThat((Integer) i.body().get("confidence_score")).isGreaterThanOrEqualTo(55);
    });
  }

  @Test
  void theSameSeedGivesTheSameTraffic() {
    // Act
    var again = LiveTraffic.of(DemoDataset.load(), 0.1, 42, NOW, Duration.ofHours(2));

    // Assert
    assertThat(again).isEqualTo(traffic);
  }
}
