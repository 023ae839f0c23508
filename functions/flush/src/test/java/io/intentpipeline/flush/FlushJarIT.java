package io.intentpipeline.flush;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.testing.Events;
import io.intentpipeline.testing.ShadedJar;
import io.intentpipeline.testing.TestStack;
import java.nio.file.Files;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The deployable jar alone, in a fresh JVM, stores SQS batches and drains the queue into PostgreSQL. */
class FlushJarIT {
  static TestStack stack;

  @BeforeAll
  static void start() {
    stack = TestStack.create("flushjar");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void theShadedJarStoresBatchesAndDrainsTheQueueWithNothingElseOnItsClassPath() throws Exception {
    ShadedJar jar = ShadedJar.of("flush-function");
    for (String id : List.of("jar-1", "jar-2")) {
      stack.sqs().sendMessage(b -> b.queueUrl(stack.interactionsQueueUrl()).messageBody(FlushHandlerIT.message(id)));
    }
    String batch = Files.readString(Events.projectRoot().resolve("events/flush-sqs.invalid.json"));
    String drain = Files.readString(Events.projectRoot().resolve("events/flush-api.json"));

    List<String> responses = jar.invoke(FlushHandler.class.getName(), stack.envVars(), List.of(batch, drain));

    JsonNode batchResponse = Json.parseBody(responses.get(0));
    JsonNode drainResponse = Json.parseBody(responses.get(1));
    assertThat(batchResponse.get("batchItemFailures")).as(responses.get(0)).hasSize(2);
    assertThat(drainResponse.get("statusCode").asInt()).as(responses.get(1)).isEqualTo(200);
    assertThat(Json.parseBody(drainResponse.get("body").asText()).get("stored").asInt()).isEqualTo(2);
    try (var c = stack.connect(); var s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT string_agg(interaction_id, ',' ORDER BY interaction_id) FROM ai_training_data")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("jar-1,jar-2,sqs-sample-0001,sqs-sample-0003");
    }
    assertThat(jar.size()).as("jar size in bytes").isLessThan(20_000_000L);
  }
}
