package io.intentpipeline.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.lambda.LambdaEvent;
import io.intentpipeline.lambda.LambdaEvents;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduledEventsTest {
  private static final Instant FIRED = Instant.parse("2026-03-02T14:05:00Z");

  @Test
  void theProjectSnapshotTransformerGivesAScheduledEventWithItsPeriodType() throws Exception {
    // Arrange
    var hourly = StackTemplate.read(io.intentpipeline.testing.Events.projectRoot().resolve("template.yaml"))
        .schedules().stream().filter(s -> s.name().equals("SnapshotHourlySchedule")).findFirst().orElseThrow();

    // Act
    String payload = ScheduledEvents.payload(hourly, FIRED);

    // Assert
    JsonNode node = Json.MAPPER.readTree(payload);
    assertThat(node.path("time").asText()).isEqualTo("2026-03-02T14:05:00Z");
    assertThat(node.path("detail").path("period_type").asText()).isEqualTo("hourly");
    LambdaEvent event = LambdaEvents.classify(node);
    assertThat(event).isInstanceOf(LambdaEvent.Scheduled.class);
  }

  @Test
  void placeholdersInsideStringsTakeTheTextAndOutsideTheJson() throws Exception {
    // Arrange
    var event = ScheduledEvents.event("rule-1", FIRED);

    // Act
    String result = ScheduledEvents.transform("rule-1", event, Map.of("t", "$.time", "r", "$.resources[0]",
        "missing", "$.detail.nothing"), "{\"at\": <t>, \"text\": \"fired at <t> by <aws.events.rule-name>\","
        + " \"rule\": <r>, \"none\": <missing>, \"keep\": \"<not-a-key>\"}");

    // Assert
    assertThat(Json.MAPPER.readTree(result)).isEqualTo(Json.MAPPER.readTree(
        "{\"at\": \"2026-03-02T14:05:00Z\", \"text\": \"fired at 2026-03-02T14:05:00Z by rule-1\","
            + " \"rule\": \"arn:aws:events:us-east-1:000000000000:rule/rule-1\", \"none\": null,"
            + " \"keep\": \"<not-a-key>\"}"));
  }

  @Test
  void constantInputAndInputPathReplaceTheEvent() throws Exception {
    // Arrange
    var constant = new StackTemplate.ScheduleSpec("r", "rate(1 hour)", "F",
        new StackTemplate.Input(StackTemplate.Input.Kind.CONSTANT, "{\"period_type\": \"daily\"}", null, Map.of(), null),
        true, false);
    var path = new StackTemplate.ScheduleSpec("r", "rate(1 hour)", "F",
        new StackTemplate.Input(StackTemplate.Input.Kind.PATH, null, "$.detail-type", Map.of(), null), true, false);

    // Act / Assert
    assertThat(Json.MAPPER.readTree(ScheduledEvents.payload(constant, FIRED)).path("period_type").asText()).isEqualTo("daily");
    assertThat(ScheduledEvents.payload(path, FIRED)).isEqualTo("\"Scheduled Event\"");
  }
}
