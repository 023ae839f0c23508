package io.intentpipeline.local.deploy;

import static io.intentpipeline.local.deploy.SamTemplate.list;
import static io.intentpipeline.local.deploy.SamTemplate.logicalId;
import static io.intentpipeline.local.deploy.SamTemplate.map;
import static io.intentpipeline.local.deploy.SamTemplate.properties;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.config.Env;
import io.intentpipeline.correction.CorrectionHandler;
import io.intentpipeline.flush.FlushHandler;
import io.intentpipeline.json.Json;
import io.intentpipeline.predict.PredictHandler;
import io.intentpipeline.record.RecordHandler;
import io.intentpipeline.review.ReviewOrder;
import io.intentpipeline.review.ReviewService;
import io.intentpipeline.snapshot.SnapshotHandler;
import io.intentpipeline.storage.Database;
import io.intentpipeline.testing.Events;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.SyntheticIntents;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TrainingRows;
import io.intentpipeline.train.TrainHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file in events/, driven through the handler the template wires it to: an HTTP API event
 * by its route, an SQS batch by its queue's mapping, a scheduled event by the rule that sends
 * that detail, a direct invocation by its file name's prefix (it has no source in the template).
 * A sample must succeed (2xx, no batch item failure, an answer); its bad twin
 * ({@code <name>.invalid.json}) must be refused clearly (4xx, batch item failures, or an
 * IllegalArgumentException naming what is wrong), never with a 500. The handlers are built from
 * one test stack's environment (PostgreSQL, ElasticMQ, S3Proxy) as their Lambda constructors
 * build them from Lambda's.
 */
class AllEventsIT {
  /** The sample row correction-submit.json corrects. */
  private static final UUID CORRECTED_SAMPLE = UUID.fromString("0b8f2f4e-6a35-4c1e-9d3a-5f0e7c2b9a41");
  /** The correction correction-undo.json undoes, and the row it corrected. */
  private static final UUID UNDONE_CORRECTION = UUID.fromString("3a6e9d2c-4b1f-4c8e-a7d5-6f0b2e9c1d84");
  private static final UUID UNDONE_SAMPLE = UUID.fromString("9c4d1e7a-2b3f-4a5c-8d6e-0f1a2b3c4d5e");
  /** The version train-model-rollback.json rolls back to. */
  private static final String OLDER_MODEL = "intent_classifier_20000101_000000";
  /** The run whose report train-runs-report.json asks for. */
  private static final String REPORT_RUN = "5d0c6a3e-7b1f-4e2a-9c8d-1f2e3a4b5c6d";

  /** How each handler class of the template is built from an environment (its no-arg constructor's wiring). */
  private static final Map<String, Function<Env, RequestStreamHandler>> FACTORIES = Map.of(
      RecordHandler.class.getName(), env -> new RecordHandler(RecordHandler.service(env)),
      FlushHandler.class.getName(), FlushHandler::new,
      CorrectionHandler.class.getName(), env -> new CorrectionHandler(
          new ReviewService(new Database(Database.Settings.fromEnv(env), "events-it")), ReviewOrder.fromEnv(env)),
      PredictHandler.class.getName(), env -> new PredictHandler(PredictHandler.latestModel(env)),
      SnapshotHandler.class.getName(), SnapshotHandler::new,
      TrainHandler.class.getName(), TrainHandler::new);

  private static TestStack stack;
  private static SamTemplate template;
  private static Path events;
  private static final Map<String, RequestStreamHandler> handlers = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    stack = TestStack.create("all-events");
    template = SamTemplate.read(Events.projectRoot().resolve("template.yaml"));
    events = Events.projectRoot().resolve("events");
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, new SyntheticIntents(6, 0.05, 11).rows(25));
      TrainingRows.insert(c, List.of(TrainingRows.Row.detected("card_linking").id(CORRECTED_SAMPLE).confidence(41)));
    }
    Env env = stack.env();
    template.functions().forEach((id, props) -> {
      String handler = String.valueOf(props.get("Handler"));
      String type = handler.substring(0, handler.indexOf("::"));
      assertThat(FACTORIES).as("a factory for " + type).containsKey(type);
      handlers.put(id, FACTORIES.get(type).apply(env));
    });
    // A deployed model, so that the predict samples have something to answer with.
    JsonNode run = Json.MAPPER.readTree(Invocations.invoke(handlers.get("TrainFunction"),
        "{\"action\": \"run\", \"run_name\": \"events_it_first_model\"}"));
    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("completed");
    assertThat(run.path("deployed").asBoolean()).as(run.toString()).isTrue();
    // An older model to roll back to (train-model-rollback.json): the deployed one under another version.
    String bucket = env.required("MODEL_BUCKET");
    var model = io.intentpipeline.ml.ModelCodec.read(stack.s3().getObjectAsBytes(b -> b.bucket(bucket)
        .key(io.intentpipeline.storage.ModelStore.LATEST_KEY)).asByteArray());
    model = model.withMetadata(model.metadata().withRun(model.metadata().runId(), OLDER_MODEL));
    byte[] older = io.intentpipeline.ml.ModelCodec.write(model);
    stack.s3().putObject(b -> b.bucket(bucket).key(io.intentpipeline.storage.ModelStore.versionKey(OLDER_MODEL)),
        software.amazon.awssdk.core.sync.RequestBody.fromBytes(older));
    // A run with a report at the id train-runs-report.json asks for: a copy of the first run's row.
    try (Connection c = stack.connect(); var s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE report_run AS SELECT * FROM ai_training_runs WHERE run_name = 'events_it_first_model'");
      s.execute("UPDATE report_run SET id = '" + REPORT_RUN + "', run_name = 'events_it_report_run', status = 'failed',"
          + " deployed = FALSE, error_message = 'a copy of the first run for the report sample'");
      s.execute("INSERT INTO ai_training_runs SELECT * FROM report_run");
    }
    // A recorded correction at the id correction-undo.json undoes (a fixture: its id is set), made
    // after the run above (an undo of a row a run used since its correction is refused).
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, List.of(TrainingRows.Row.detected("card_linking").id(UNDONE_SAMPLE).confidence(38)));
      try (var s = c.createStatement()) {
        s.execute("SELECT submit_intent_correction('" + UNDONE_SAMPLE + "', 'card_arrival')");
        s.execute("UPDATE ai_intent_corrections SET id = '" + UNDONE_CORRECTION + "' WHERE training_data_id = '"
            + UNDONE_SAMPLE + "'");
      }
    }
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  /** A sample and the function it goes to, and why. */
  record Wired(String file, String function, String source) {}

  @Test
  void everyRouteQueueScheduleAndFunctionHasASampleAndEverySampleATwin() throws IOException {
    // Arrange
    List<String> files = files();
    Map<String, Wired> wired = new TreeMap<>();
    for (String file : files) {
      if (!file.endsWith(".invalid.json")) {
        wired.put(file, wire(file));
      }
    }

    // Act
    Set<String> routes = new TreeSet<>();
    Set<String> sources = new TreeSet<>();
    Set<String> functions = new TreeSet<>();
    wired.values().forEach(w -> {
      (w.source().startsWith("route ") ? routes : sources).add(w.source());
      functions.add(w.function());
    });

    // Assert
    for (String file : files) {
      String twin = file.endsWith(".invalid.json") ? file.replace(".invalid.json", ".json")
          : file.replace(".json", ".invalid.json");
      assertThat(files).as(file + " has its twin").contains(twin);
    }
    template.routes().forEach(r -> assertThat(routes).as("a sample of " + r.key()).contains("route " + r.key()));
    template.queueSources().forEach(q -> assertThat(sources).as("a sample of " + q.queue()).contains("queue " + q.queue()));
    template.ofType("AWS::Events::Rule").forEach(rule -> assertThat(sources).as("a sample of " + rule).contains("rule " + rule));
    assertThat(functions).isEqualTo(template.functions().keySet().stream().collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
    wired.values().stream().filter(w -> w.source().equals("direct invocation")).forEach(w ->
        assertThat(w.function()).as(w.file()).isIn(template.functions().keySet()));
  }

  @TestFactory
  Stream<DynamicTest> eachSampleSucceedsAndEachTwinIsRefusedClearly() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String file : files()) {
      if (file.endsWith(".invalid.json")) {
        continue;
      }
      String twin = file.replace(".json", ".invalid.json");
      tests.add(DynamicTest.dynamicTest(file, () -> {
        // Arrange
        Wired wired = wire(file);
        RequestStreamHandler handler = handlers.get(wired.function());
        JsonNode good = Json.MAPPER.readTree(Files.readString(events.resolve(file)));
        JsonNode bad = Json.MAPPER.readTree(Files.readString(events.resolve(twin)));

        // Act
        Outcome success = invoke(handler, good);
        Outcome refusal = invoke(handler, bad);

        // Assert
        String where = file + " -> " + wired.function() + " (" + wired.source() + ")";
        if (good.has("requestContext")) {
          assertThat(success.status()).as(where + ": " + success.text()).isBetween(200, 299);
          assertThat(refusal.status()).as(twin + ": " + refusal.text()).isBetween(400, 499);
          assertThat(refusal.answer().path("error").path("message").asText()).as(twin).isNotBlank();
        } else if (good.has("Records")) {
          assertThat(success.answer().path("batchItemFailures")).as(where + ": " + success.text()).isEmpty();
          assertThat(refusal.answer().path("batchItemFailures").size()).as(twin + ": " + refusal.text())
              .isBetween(1, bad.path("Records").size());
        } else {
          assertThat(success.error()).as(where).isNull();
          assertThat(success.text()).as(where).isNotBlank();
          // A training run answers its outcome: a failed run would be a failure told as an answer.
          assertThat(success.answer().path("status").asText("none")).as(where + ": " + success.text()).isNotEqualTo("failed");
          assertThat(refusal.error()).as(twin + " fails its invocation: " + refusal.text())
              .isInstanceOf(IllegalArgumentException.class);
          assertThat(refusal.error().getMessage()).as(twin + " names what is wrong").containsAnyOf("(field ", "action");
        }
      }));
    }
    return tests.stream();
  }

  /** What an invocation gave: the response text and its JSON, the HTTP status if any, or what it threw. */
  private record Outcome(String text, JsonNode answer, int status, RuntimeException error) {}

  private static Outcome invoke(RequestStreamHandler handler, JsonNode event) throws IOException {
    String text;
    try {
      text = Invocations.invoke(handler, Json.write(event));
    } catch (RuntimeException e) {
      return new Outcome(e.toString(), Json.MAPPER.missingNode(), 0, e);
    }
    JsonNode answer = Json.MAPPER.readTree(text);
    if (answer.has("statusCode")) {
      String body = answer.path("body").asText("");
      return new Outcome(text, body.isEmpty() ? Json.MAPPER.missingNode() : Json.MAPPER.readTree(body),
          answer.path("statusCode").asInt(), null);
    }
    return new Outcome(text, answer, 0, null);
  }

  private static List<String> files() throws IOException {
    try (Stream<Path> list = Files.list(events)) {
      return list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
    }
  }

  /** The function the template wires the sample {@code file} to, and through what. */
  private static Wired wire(String file) throws IOException {
    JsonNode event = Json.MAPPER.readTree(Files.readString(events.resolve(file)));
    Wired wired;
    if (event.has("requestContext")) {
      String key = event.path("requestContext").path("http").path("method").asText() + " " + event.path("rawPath").asText();
      SamTemplate.Route route = template.routes().stream().filter(r -> r.key().equals(key)).findFirst()
          .orElseThrow(() -> new AssertionError(file + ": no route " + key + " in template.yaml"));
      wired = new Wired(file, route.function(), "route " + key);
    } else if (event.has("Records")) {
      String arn = event.path("Records").path(0).path("eventSourceARN").asText();
      String queueName = arn.substring(arn.lastIndexOf(':') + 1).toLowerCase(java.util.Locale.ROOT);
      SamTemplate.QueueSource source = template.queueSources().stream()
          .filter(q -> queueName.endsWith(q.queue().replace("Queue", "").toLowerCase(java.util.Locale.ROOT)))
          .findFirst().orElseThrow(() -> new AssertionError(file + ": no mapping of a queue named like " + arn));
      wired = new Wired(file, source.function(), "queue " + source.queue());
    } else if ("aws.events".equals(event.path("source").asText())) {
      wired = null;
      for (String rule : template.ofType("AWS::Events::Rule")) {
        Map<String, Object> target = map(list(properties(template.resource(rule)).get("Targets")).get(0));
        String input = String.valueOf(map(target.get("InputTransformer")).get("InputTemplate")).replace("<time>", "\"-\"");
        if (Json.MAPPER.readTree(input).path("detail").equals(event.path("detail"))) {
          wired = new Wired(file, logicalId(target.get("Arn")), "rule " + rule);
        }
      }
      if (wired == null) {
        throw new AssertionError(file + ": no rule of template.yaml sends the detail " + event.path("detail"));
      }
    } else {
      String prefix = file.substring(0, file.indexOf('-'));
      wired = new Wired(file, Character.toUpperCase(prefix.charAt(0)) + prefix.substring(1) + "Function",
          "direct invocation");
    }
    assertThat(file).as("a sample's name starts with its function's").startsWith(
        wired.function().replace("Function", "").toLowerCase(java.util.Locale.ROOT) + "-");
    return wired;
  }
}
