package io.intentpipeline.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.storage.Database;
import io.intentpipeline.testing.Events;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The local stack on a template of its own (local/src/test/resources/stack/test-template.yaml):
 * what it serves comes from the template alone, handlers fail and time out as in Lambda, event
 * sources report partial failures, stopping drains the queues, and S3 objects survive a restart.
 */
class LocalStackLifecycleIT {
  private static FreshDatabase database;
  private static Database.Settings settings;

  @BeforeAll
  static void createDatabase() {
    database = PostgresServer.shared().createDatabase("lifecycle");
    settings = new Database.Settings(database.jdbcUrl(), database.user(), database.password(), 2);
  }

  @AfterAll
  static void dropDatabase() {
    database.close();
  }

  private static Path testTemplate() {
    return Events.projectRoot().resolve("local/src/test/resources/stack/test-template.yaml");
  }

  /** Free ports, the test template, fast schedules; shortened windows and visibility timeouts, if given. */
  private static LocalStack.Options options(Path dataDir, Optional<Duration> maxWindow, Optional<Duration> maxVisibility) {
    return new LocalStack.Options(testTemplate(), dataDir, 0, 0, 0, LocalStack.Schedules.FAST, Duration.ofSeconds(2),
        maxWindow, maxVisibility, Map.of("Greeting", "bonjour"), Map.of(), 2, Duration.ofSeconds(20));
  }

  /** {@link #options} with 1 s batching windows and 2 s visibility timeouts. */
  private static LocalStack.Options fast(Path dataDir) {
    return options(dataDir, Optional.of(Duration.ofSeconds(1)), Optional.of(Duration.ofSeconds(2)));
  }

  private static List<String> bodiesReceived(String marker) {
    List<String> bodies = new ArrayList<>();
    for (JsonNode payload : RecordingHandler.RECEIVED) {
      payload.path("Records").forEach(r -> {
        if (r.path("body").asText().contains(marker)) {
          bodies.add(r.path("body").asText());
        }
      });
    }
    return bodies;
  }

  private static int messages(LocalStack stack, String queue, QueueAttributeName attribute) {
    return Integer.parseInt(stack.sqs().getQueueAttributes(b -> b.queueUrl(stack.queueUrl(queue))
        .attributeNames(attribute)).attributes().get(attribute));
  }

  @Test
  void servesWhatTheTemplateDeclaresWithTheHandlersItNames(@TempDir Path dataDir) {
    try (LocalStack stack = LocalStack.start(fast(dataDir), settings)) {
      Api api = new Api(stack.apiUrl());

      // Act
      Api.Answer hello = api.get("/hello/ana?x=1&x=2");
      Api.Answer failing = api.post("/fail", "{}");
      long start = System.nanoTime();
      Api.Answer slow = api.get("/slow");
      long slowMillis = (System.nanoTime() - start) / 1_000_000;
      start = System.nanoTime();
      Api.Answer patient = api.get("/patient");
      long patientMillis = (System.nanoTime() - start) / 1_000_000;
      Api.Answer helloAgain = api.get("/hello/bo");

      // Assert: the typed handler got the event, its context and the template's environment.
      assertThat(stack.routes()).containsOnlyKeys("GET /hello/{name}", "GET /slow", "GET /patient", "POST /fail");
      assertThat(hello.status()).as(hello.text()).isEqualTo(200);
      JsonNode body = hello.json();
      assertThat(body.path("greeting").asText()).isEqualTo("bonjour from us-east-1");
      assertThat(body.path("name").asText()).isEqualTo("ana");
      assertThat(body.path("route_key").asText()).isEqualTo("GET /hello/{name}");
      assertThat(body.path("query").asText()).isEqualTo("{x=1,2}");
      assertThat(body.path("remaining_ms").asInt()).isBetween(1, 5000);
      assertThat(stack.environment("GreetingFunction").required("BUCKET")).isEqualTo("intent-pipeline-local-files");
      // Failures and timeouts answer as API Gateway does, and the function still serves afterwards.
      assertThat(failing.status()).isEqualTo(500);
      assertThat(failing.json().path("message").asText()).isEqualTo("Internal Server Error");
      assertThat(slow.status()).isEqualTo(503);
      assertThat(slowMillis).as("the function's 1 s timeout").isBetween(900L, 4000L);
      assertThat(patient.status()).isEqualTo(503);
      assertThat(patientMillis).as("the route's 1.5 s integration timeout").isBetween(1400L, 4500L);
      assertThat(helloAgain.status()).isEqualTo(200);
    }
  }

  @Test
  void eventSourceReportsPartialFailuresAndSchedulesDeliverTheirInput(@TempDir Path dataDir) {
    try (LocalStack stack = LocalStack.start(fast(dataDir), settings)) {
      // Arrange
      String queue = stack.queueUrl("Work");
      for (String body : List.of("partial-ok-1", "partial-ok-2", "partial-fail-3")) {
        stack.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(body));
      }

      // Act
      Api.await("the failed message in the dead-letter queue", Duration.ofSeconds(60),
          () -> messages(stack, "DeadLetters", QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES) == 1);

      // Assert: the good ones were delivered once, the failed one twice (maxReceiveCount 2).
      List<String> delivered = bodiesReceived("partial-");
      assertThat(delivered).filteredOn(b -> b.contains("ok")).containsExactlyInAnyOrder("partial-ok-1", "partial-ok-2");
      assertThat(delivered).filteredOn(b -> b.contains("fail")).containsExactly("partial-fail-3", "partial-fail-3");
      Api.await("the schedule's constant input", Duration.ofSeconds(20),
          () -> RecordingHandler.RECEIVED.stream().anyMatch(p -> p.path("tick").asBoolean(false)));
    }
  }

  @Test
  void stoppingDeliversOrKeepsWhatTheQueuesHoldAndObjectsSurviveARestart(@TempDir Path dataDir) {
    // Arrange: a stack whose event source gathers for 20 s (the template's window; visibility 30 s).
    LocalStack stack = LocalStack.start(options(dataDir, Optional.empty(), Optional.empty()), settings);
    String queue = stack.queueUrl("Work");
    for (int i = 0; i < 3; i++) {
      String body = "held-" + i;
      stack.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(body));
    }
    Api.await("the poller holding the messages", Duration.ofSeconds(10),
        () -> messages(stack, "Work", QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE) == 3);
    for (int i = 3; i < 5; i++) {
      String body = "held-" + i;
      stack.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(body));
    }
    for (String body : List.of("waiting-1", "waiting-2")) {
      stack.sqs().sendMessage(b -> b.queueUrl(stack.queueUrl("DeadLetters")).messageBody(body));
    }
    String bucket = stack.buckets().get("Files");
    stack.s3().putObject(b -> b.bucket(bucket).key("models/kept.txt"), RequestBody.fromString("kept"));

    // Act
    long start = System.nanoTime();
    stack.close();
    long stopMillis = (System.nanoTime() - start) / 1_000_000;

    // Assert: everything held or queued was delivered, well before the window would have ended.
    assertThat(bodiesReceived("held-")).containsExactlyInAnyOrder("held-0", "held-1", "held-2", "held-3", "held-4");
    assertThat(stack.drainReport().kept()).isEqualTo(Map.of("DeadLetters", 2));
    assertThat(stopMillis).isLessThan(15_000);

    // Act: start again on the same data folder.
    try (LocalStack again = LocalStack.start(options(dataDir, Optional.empty(), Optional.empty()), settings)) {
      String text = again.s3().getObjectAsBytes(b -> b.bucket(bucket).key("models/kept.txt")).asUtf8String();
      var waiting = again.sqs().receiveMessage(b -> b.queueUrl(again.queueUrl("DeadLetters")).maxNumberOfMessages(10))
          .messages();

      // Assert: the object is there, and the messages no function consumed were put back.
      assertThat(text).isEqualTo("kept");
      assertThat(waiting).extracting(m -> m.body()).containsExactlyInAnyOrder("waiting-1", "waiting-2");
    }
  }

  @Test
  void refusesToStartWhenAHandlerCannotBeBuiltNamingTheFunction(@TempDir Path dataDir) throws Exception {
    // Arrange: a template whose function needs a variable it does not declare.
    Path template = dataDir.resolve("broken.yaml");
    java.nio.file.Files.writeString(template, """
        Resources:
          GreetingFunction:
            Type: AWS::Serverless::Function
            Properties:
              Handler: io.intentpipeline.local.stack.GreetingHandler::handleRequest
        """);
    LocalStack.Options options = options(dataDir, Optional.empty(), Optional.empty()).withTemplate(template);

    // Act / Assert
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalStack.start(options, settings))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("GreetingFunction cannot start")
        .hasMessageContaining("GREETING");
  }
}
