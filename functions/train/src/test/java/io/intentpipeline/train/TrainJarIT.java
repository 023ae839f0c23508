package io.intentpipeline.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.storage.ModelStore;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.ShadedJar;
import io.intentpipeline.testing.SyntheticIntents;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TrainingRows;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The deployable jar alone, in a fresh JVM: migrates, trains and deploys, queues an API run, lists runs. */
class TrainJarIT {
  static TestStack stack;

  @BeforeAll
  static void start() {
    stack = TestStack.create("trainjar");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void theShadedJarTrainsWithNothingElseOnItsClassPath() throws Exception {
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, new SyntheticIntents(3, 0.1, 1).rows(20));
    }
    ShadedJar jar = ShadedJar.of("train-function");

    List<String> responses = jar.invoke(TrainHandler.class.getName(), stack.envVars(), List.of(
        Invocations.eventText("train-migrate.json"),
        "{\"action\": \"run\", \"run_name\": \"from-the-jar\"}",
        Invocations.eventText("train-run.json"),
        Invocations.eventText("train-runs.json")));

    assertThat(Json.parseBody(responses.get(0)).path("applied").asInt()).as(responses.get(0)).isZero();
    JsonNode run = Json.parseBody(responses.get(1));
    assertThat(run.path("status").asText()).as(responses.get(1)).isEqualTo("completed");
    assertThat(run.path("deployed").asBoolean()).isTrue();
    assertThat(Json.parseBody(responses.get(2)).path("statusCode").asInt()).as(responses.get(2)).isEqualTo(202);
    JsonNode listed = Json.parseBody(Json.parseBody(responses.get(3)).path("body").asText());
    assertThat(listed.path("items").get(0).path("run_name").asText()).isEqualTo("from-the-jar");
    assertThat(stack.s3().headObject(b -> b.bucket(stack.bucket()).key(ModelStore.LATEST_KEY)).contentLength()).isPositive();
    assertThat(stack.s3().getObjectAsBytes(b -> b.bucket(stack.bucket()).key("reports/" + run.path("run_id").asText()
        + ".html")).asUtf8String()).contains("<svg id=\"confusion\"");
    assertThat(stack.sqs().receiveMessage(b -> b.queueUrl(stack.retrainQueueUrl()).waitTimeSeconds(1)).messages()).hasSize(1);
    assertThat(jar.size()).as("jar size in bytes").isLessThan(20_000_000L);
  }
}
