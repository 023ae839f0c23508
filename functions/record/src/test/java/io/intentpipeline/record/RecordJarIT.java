package io.intentpipeline.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.testing.Events;
import io.intentpipeline.testing.ShadedJar;
import io.intentpipeline.testing.TestStack;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The deployable jar alone, in a fresh JVM, records interactions into the real queue. */
class RecordJarIT {
  static TestStack stack;

  @BeforeAll
  static void start() {
    stack = TestStack.create("recordjar");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void theShadedJarServesTheRouteWithNothingElseOnItsClassPath() throws Exception {
    ShadedJar jar = ShadedJar.of("record-function");
    String good = Files.readString(Events.projectRoot().resolve("events/record-batch.json"));
    String bad = Files.readString(Events.projectRoot().resolve("events/record-interaction.invalid.json"));

    List<String> responses = jar.invoke(RecordHandler.class.getName(), stack.envVars(), List.of(good, bad));

    JsonNode accepted = Json.parseBody(responses.get(0));
    JsonNode refused = Json.parseBody(responses.get(1));
    assertThat(accepted.get("statusCode").asInt()).as(responses.get(0)).isEqualTo(202);
    assertThat(refused.get("statusCode").asInt()).isEqualTo(400);
    var queued = stack.sqs().receiveMessage(b -> b.queueUrl(stack.interactionsQueueUrl()).maxNumberOfMessages(10)
        .waitTimeSeconds(1)).messages();
    assertThat(queued).hasSize(3);
    assertThat(jar.size()).as("jar size in bytes").isLessThan(20_000_000L);
  }
}
