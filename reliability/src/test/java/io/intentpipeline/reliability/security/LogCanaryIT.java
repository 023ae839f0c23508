package io.intentpipeline.reliability.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.correction.CorrectionHandler;
import io.intentpipeline.flush.FlushHandler;
import io.intentpipeline.json.Json;
import io.intentpipeline.log.Log;
import io.intentpipeline.predict.PredictHandler;
import io.intentpipeline.record.RecordHandler;
import io.intentpipeline.serving.S3ModelObject;
import io.intentpipeline.snapshot.SnapshotHandler;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.SyntheticIntents;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.testing.TrainingRows;
import io.intentpipeline.testing.TrainingRows.Row;
import io.intentpipeline.train.TrainHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Messages may hold personal data, so no log line may print a message's text. Every function is
 * driven with a distinctive canary in every text field it takes (accepted and refused requests,
 * good and poison queue messages, a training run on a dataset holding it, predictions, a
 * correction's notes, a snapshot, an export and an import), while everything written to
 * System.out, System.err, the project's Log, java.util.logging and the Lambda logger is captured.
 * The canary must appear nowhere; the logs must hold the events of what ran (so the capture
 * works, and the test can fail).
 */
class LogCanaryIT {
  static final String CANARY = "zqcanary" + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 8);

  /** A Lambda context whose logger writes into the capture. */
  static final class CapturingContext implements Context {
    private final PrintStream sink;

    CapturingContext(PrintStream sink) {
      this.sink = sink;
    }

    @Override public String getAwsRequestId() { return "canary-request"; }
    @Override public String getLogGroupName() { return "/aws/lambda/canary"; }
    @Override public String getLogStreamName() { return "canary"; }
    @Override public String getFunctionName() { return "canary"; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:canary"; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return 600_000; }
    @Override public int getMemoryLimitInMB() { return 1024; }

    @Override
    public LambdaLogger getLogger() {
      return new LambdaLogger() {
        @Override
        public void log(String message) {
          sink.print(message);
        }

        @Override
        public void log(byte[] message) {
          sink.print(new String(message, StandardCharsets.UTF_8));
        }
      };
    }
  }

  @Test
  void noLogLineOfAnyFunctionHoldsAMessageText() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    PrintStream out = System.out;
    PrintStream err = System.err;
    Handler jul = new Handler() {
      @Override
      public void publish(LogRecord record) {
        capture.println(record.getLevel() + " " + record.getLoggerName() + " " + record.getMessage() + " "
            + java.util.Arrays.toString(record.getParameters()) + " " + record.getThrown());
      }

      @Override public void flush() { }
      @Override public void close() { }
    };
    Logger.getLogger("").addHandler(jul);
    System.setOut(capture);
    System.setErr(capture);
    Log.to(capture);
    List<String> steps = new ArrayList<>();
    try (TestStack stack = TestStack.create("logcanary")) {
      Context context = new CapturingContext(capture);
      drive(stack, context, steps);
    } finally {
      System.setOut(out);
      System.setErr(err);
      Log.to(out);
      Logger.getLogger("").removeHandler(jul);
    }

    String logs = captured.toString(StandardCharsets.UTF_8);
    long lines = logs.lines().count();
    System.out.printf("security logs: canary %s sent through %s; %d log lines captured, canary found %d times%n",
        CANARY, steps, lines, logs.toLowerCase(Locale.ROOT).split(CANARY, -1).length - 1);
    assertThat(logs).contains("\"interactions_recorded\"", "\"interactions_refused\"", "\"poison_message\"",
        "\"correction_submitted\"", "\"training_stage\"", "\"dataset_imported\"", "\"dataset_exported\"",
        "\"snapshot_taken\"");
    assertThat(logs.toLowerCase(Locale.ROOT)).doesNotContain(CANARY);
  }

  private static String invoke(RequestStreamHandler handler, String payload, Context context) throws IOException {
    var bytes = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), bytes, context);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** An HTTP API event: events/{@code file} with {@code body} and {@code query} in place of its own. */
  private static String event(String file, String body, Map<String, String> query) {
    ObjectNode event = (ObjectNode) Json.parseBody(Invocations.eventText(file));
    if (body != null) {
      event.put("body", body);
    }
    if (query != null) {
      event.set("queryStringParameters", Json.MAPPER.valueToTree(query));
    }
    return event.toString();
  }

  private static int status(String response) {
    return Json.parseBody(response).path("statusCode").asInt();
  }

  private static void drive(TestStack stack, Context context, List<String> steps) throws Exception {
    String text = "my name is Jane " + CANARY + ", card 4111 1111 1111 1111";
    var env = stack.env().with(Map.of("TRAIN_MIN_SAMPLES", "20"));

    // record: accepted, and refused for a field beside the text.
    RecordHandler record = new RecordHandler(env);
    ObjectNode good = Json.MAPPER.createObjectNode().put("user_message", text).put("detected_intent", "card_arrival")
        .put("confidence_score", 40).put("ai_response", "Jane, " + CANARY).put("category", CANARY);
    assertThat(status(invoke(record, event("record-interaction.json", good.toString(), null), context))).isEqualTo(202);
    ObjectNode bad = good.deepCopy().put("detected_intent", "not an intent " + CANARY);
    assertThat(status(invoke(record, event("record-interaction.json", bad.toString(), null), context))).isEqualTo(400);
    steps.add("record");

    // flush: the queue drained over HTTP; an SQS batch with a good, a poison and a non-JSON message.
    FlushHandler flush = new FlushHandler(env);
    assertThat(status(invoke(flush, event("flush-api.json", null, null), context))).isEqualTo(200);
    ObjectNode sqs = (ObjectNode) Json.parseBody(Invocations.eventText("flush-sqs.json"));
    var records = (com.fasterxml.jackson.databind.node.ArrayNode) sqs.get("Records");
    ObjectNode queued = (ObjectNode) Json.parseBody(records.get(0).get("body").asText());
    queued.put("interaction_id", "canary-1").put("user_message", text);
    ((ObjectNode) records.get(0)).put("body", queued.toString());
    ((ObjectNode) records.get(1)).put("body", queued.deepCopy().put("interaction_id", "canary-2")
        .put("user_message", text + "\u0000").toString());
    ((ObjectNode) records.get(2)).put("body", "{not json " + text);
    String batch = invoke(flush, sqs.toString(), context);
    assertThat(Json.parseBody(batch).path("batchItemFailures").size()).isEqualTo(2);
    steps.add("flush");

    // correction: notes and answer carry the canary; then a refused one.
    String id;
    try (Connection c = stack.connect(); var s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT id FROM ai_training_data WHERE interaction_id = 'canary-1'")) {
      rs.next();
      id = rs.getString(1);
    }
    CorrectionHandler correction = new CorrectionHandler(env);
    ObjectNode fix = Json.MAPPER.createObjectNode().put("training_data_id", id).put("correct_intent", "refund_request")
        .put("correct_response", "Dear Jane " + CANARY).put("notes", "customer " + CANARY);
    assertThat(status(invoke(correction, event("correction-submit.json", fix.toString(), null), context))).isEqualTo(201);
    assertThat(status(invoke(correction, event("correction-submit.json",
        fix.deepCopy().put("correct_intent", CANARY + " !").toString(), null), context))).isEqualTo(400);
    assertThat(status(invoke(correction, event("correction-pending-review.json", null, Map.of("limit", "5")), context)))
        .isEqualTo(200);
    steps.add("correction");

    // train: a run on a dataset holding the canary (direct invocation, as an operator would).
    SyntheticIntents data = new SyntheticIntents(3, 0.05, 5);
    List<Row> rows = new ArrayList<>(data.rows(12));
    for (int i = 0; i < 6; i++) {
      rows.add(Row.detected(data.intents().get(i % 3)).message(text + " " + i).response("Jane " + CANARY));
    }
    try (Connection c = stack.connect()) {
      TrainingRows.insert(c, rows);
    }
    TrainHandler train = new TrainHandler(env);
    String run = invoke(train, "{\"action\": \"run\", \"run_name\": \"canary_run\"}", context);
    assertThat(Json.parseBody(run).path("status").asText()).as(run).isEqualTo("completed");
    invoke(train, event("train-runs.json", null, Map.of("limit", "5")), context);
    steps.add("train");

    // predict: the model the run deployed, asked about the canary, and a refused request holding it.
    assertThat(stack.s3().listObjectsV2(b -> b.bucket(stack.bucket()).prefix(S3ModelObject.LATEST_KEY)).keyCount())
        .isEqualTo(1);
    PredictHandler predict = new PredictHandler(env);
    assertThat(status(invoke(predict, event("predict-get.json", null, Map.of("text", text)), context))).isEqualTo(200);
    assertThat(status(invoke(predict, event("predict-post.json", Json.MAPPER.createObjectNode().put("text", text)
        .put("top_k", 3).toString(), null), context))).isEqualTo(200);
    assertThat(status(invoke(predict, event("predict-get.json", null, Map.of("text", text, "top_k", CANARY)), context)))
        .isEqualTo(400);
    steps.add("predict");

    // snapshot: a snapshot, an export of the data holding the canary, an import of lines holding it.
    SnapshotHandler snapshot = new SnapshotHandler(env);
    assertThat(status(invoke(snapshot, event("snapshot-create.json", null, null), context))).isEqualTo(200);
    assertThat(status(invoke(snapshot, event("snapshot-dataset-export.json", null, Map.of("format", "jsonl")), context)))
        .isEqualTo(200);
    String lines = Json.MAPPER.createObjectNode().put("user_message", text + " import").put("intent", "card_arrival")
        + "\n" + Json.MAPPER.createObjectNode().put("user_message", text).put("intent", "bad intent " + CANARY)
        + "\n{broken " + CANARY + "\n";
    String importBody = Json.MAPPER.createObjectNode().put("format", "jsonl").put("content", lines).toString();
    assertThat(status(invoke(snapshot, event("snapshot-dataset-import.json", importBody, null), context))).isEqualTo(200);
    assertThat(status(invoke(snapshot, event("snapshot-metrics.json", null, null), context))).isEqualTo(200);
    steps.add("snapshot");
  }
}
