package io.intentpipeline.reliability.fuzz;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.json.Json;
import io.intentpipeline.log.Log;
import io.intentpipeline.snapshot.SnapshotHandler;
import io.intentpipeline.testing.Invocations;
import io.intentpipeline.testing.TestStack;
import io.intentpipeline.train.TrainHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The inputs that do not come through the HTTP API: direct invocations by an operator
 * ({@code aws lambda invoke}) and the schedules' inputs, of the snapshot and train functions. There
 * is no HTTP status here: a bad input must fail the invocation with an IllegalArgumentException
 * naming the problem (Lambda hands its message to the caller as errorMessage), a good one must
 * answer JSON; any other exception is a failure.
 */
class DirectInvocationFuzzIT {
  static TestStack stack;

  @BeforeAll
  static void start() {
    stack = TestStack.create("fuzzdirect");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void directAndScheduledInvocationsAnswerOrFailNamingTheProblem() {
    Map<String, List<String>> hints = Map.of(
        "period_type", List.of("hourly", "daily", "weekly", "monthly", "yearly"),
        "at", List.of(HttpFuzzer.DATES),
        "time", List.of(HttpFuzzer.DATES),
        "format", List.of("csv", "jsonl", "xlsx"),
        "run_type", List.of("full", "incremental", "intent_only", "partial"),
        "action", List.of("run", "migrate", "explode", ""),
        "source", List.of("aws.events", "aws.scheduler", "custom"));
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    Log.to(quiet);
    List<Tally> tallies = new ArrayList<>();
    try {
      tallies.add(fuzz("snapshot direct and scheduled invocations", new SnapshotHandler(stack.env()),
          List.of("snapshot-direct.json", "snapshot-export-direct.json", "snapshot-schedule-daily.json",
              "snapshot-direct.invalid.json", "snapshot-export-direct.invalid.json"), hints, 800));
      tallies.add(fuzz("train direct and scheduled invocations", new TrainHandler(stack.env()),
          List.of("train-run-direct.json", "train-schedule-nightly.json", "train-run-direct.invalid.json",
              "train-schedule-nightly.invalid.json"), hints, 400));
    } finally {
      Log.to(System.out);
    }
    tallies.forEach(Tally::report);
  }

  private static Tally fuzz(String name, RequestStreamHandler handler, List<String> files,
                            Map<String, List<String>> hints, int byDefault) {
    Fuzz fuzz = new Fuzz(name);
    List<JsonNode> seeds = new ArrayList<>();
    files.forEach(f -> seeds.add(Json.parseBody(Invocations.eventText(f))));
    Tally tally = new Tally(name, fuzz.seed);
    int n = fuzz.iterations(byDefault);
    for (int i = 0; i < n; i++) {
      JsonNode seed = fuzz.pick(seeds);
      String payload = switch (fuzz.nextInt(10)) {
        case 0 -> seed.toString();
        case 1 -> fuzz.damage(seed.toString());
        default -> fuzz.write(fuzz.mutate(seed, hints));
      };
      payload = HttpFuzzer.delivered(payload);
      try {
        var out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out, null);
        Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
        tally.answered(true, "answered");
      } catch (IllegalArgumentException e) {
        // Exactly the refusal the handlers throw: not a subclass such as NumberFormatException
        // escaping from a parser.
        if (e.getClass() != IllegalArgumentException.class) {
          tally.failed(i, e.toString(), payload);
        } else if (e.getMessage() == null || e.getMessage().isBlank()) {
          tally.failed(i, "IllegalArgumentException without a message", payload);
        } else {
          tally.answered(false, "refused");
        }
      } catch (Throwable e) {
        tally.failed(i, e.toString(), payload);
      }
    }
    return tally;
  }
}
