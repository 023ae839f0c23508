package io.intentpipeline.local.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.dataset.TrainingSample;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * The demo, over the HTTP API of a running local stack, as a chatbot and an admin would use it:
 * the sample dataset posted as live traffic, flushed, a training run, a few predictions, the
 * bot's mistakes corrected from the review queue, a second run, and where its report is.
 */
public final class DemoRun {
  /** What the demo did, for the caller and the tests. */
  public record Result(int posted, int stored, int botWrong, JsonNode firstRun, List<JsonNode> predictions,
                       int corrections, JsonNode secondRun, Path report) {}

  /** Messages that are not in the dataset, in both languages, to ask the model about. */
  static final List<String> QUESTIONS = List.of(
      "my package still hasn't shown up, where is it?",
      "can I get my money back for the broken mug",
      "how much do you charge to send a parcel to Ireland",
      "quiero anular la compra que hice esta mañana",
      "no me deja entrar en mi cuenta",
      "¿tenéis esta camiseta en talla S?",
      "I want to cancel the order and have my money back",
      "what's the weather like in Madrid tomorrow?");

  private static final int BATCH = 50;
  /** The answered accuracy the demo's runs choose their answer threshold for. */
  static final double ANSWER_TARGET = 0.9;

  private final DemoApi api;
  private final PrintStream out;
  private final Path s3Folder;
  private final long seed;
  private final double wrongShare;
  private final LongSupplier nanoTime;
  private int steps;

  /**
   * A demo against the API at {@code apiUrl}; {@code s3Folder} is where the embedded S3 server
   * keeps its objects (to print the report as a local file).
   */
  public DemoRun(java.net.URI apiUrl, Path s3Folder, PrintStream out, long seed, double wrongShare) {
    this.api = new DemoApi(apiUrl);
    this.out = out;
    this.s3Folder = s3Folder;
    this.seed = seed;
    this.wrongShare = wrongShare;
    this.nanoTime = System::nanoTime;
  }

  /** Runs every step; a {@link DemoException} says which step got an unexpected answer. */
  public Result run() {
    Map<String, List<TrainingSample>> dataset = DemoDataset.load();
    int samples = dataset.values().stream().mapToInt(List::size).sum();
    Set<String> intents = new TreeSet<>();
    dataset.values().forEach(list -> list.forEach(s -> intents.add(s.intent())));
    step("Sample dataset: %d support messages of an online shop, %d intents, in %s", samples, intents.size(),
        String.join(" and ", dataset.keySet().stream().map(l -> l.equals("en") ? "English" : "Spanish").toList()));

    // Live traffic: what the chatbot sends after each answer.
    List<LiveTraffic.Interaction> traffic = LiveTraffic.of(dataset, wrongShare, seed, Instant.now(), Duration.ofHours(2));
    int requests = 0;
    for (int i = 0; i < traffic.size(); i += BATCH) {
      List<Map<String, Object>> batch = traffic.subList(i, Math.min(traffic.size(), i + BATCH)).stream()
          .map(LiveTraffic.Interaction::body).toList();
      api.post("/ai/training/interactions", Map.of("interactions", batch)).expect("POST /ai/training/interactions", 202);
      requests++;
    }
    long wrong = traffic.stream().filter(LiveTraffic.Interaction::botWasWrong).count();
    step("Live traffic: %d interactions posted to POST /ai/training/interactions in %d requests"
        + " (the bot detected the wrong intent for %d of them, with low confidence)", traffic.size(), requests, wrong);

    // Flush: the event source stores batches as they come; the API drains the rest now.
    int stored = flush(traffic.size());
    step("Flush: %d interactions stored in PostgreSQL (POST /ai/training/flush and the queue's event source)", stored);

    JsonNode first = train("first training run");
    List<JsonNode> predictions = predict();

    // Review: the bot's mistakes sort first in the queue (lowest confidence); an admin corrects them.
    Map<String, LiveTraffic.Interaction> byId = new HashMap<>();
    traffic.forEach(t -> byId.put(t.id(), t));
    int corrections = correct(byId);
    step("Review: %d samples corrected from GET /ai/training/pending-review through POST /ai/training/correction"
        + " (corrected samples weigh twice in training)", corrections);

    JsonNode second = train("second training run");
    Path report = reportFile(second);
    out.println();
    out.println("HTML report of the last run: " + (report != null ? report.toAbsolutePath()
        : second.path("report_file_path").asText("(none recorded)")));
    return new Result(traffic.size(), stored, (int) wrong, first, predictions, corrections, second, report);
  }

  private int flush(int expected) {
    return api.flushUntil(expected);
  }

  private JsonNode train(String what) {
    long start = nanoTime.getAsLong();
    // A lower answer target than the default 0.97: the first model learns from the bot's own, partly
    // wrong labels and would answer almost nothing at 0.97 (docs/ANSWER_ACTIONS.md).
    JsonNode run = api.runToEnd(Map.of("run_type", "full", "answer_target_accuracy", ANSWER_TARGET), what,
        Duration.ofSeconds(120));
    if (!"completed".equals(run.path("status").asText())) {
      throw new DemoException("The " + what + " ended " + run.path("status").asText() + ": "
          + run.path("error_message").asText(run.path("deploy_reason").asText("")));
    }
    double seconds = (nanoTime.getAsLong() - start) / 1e9;
    step("Training (%s, POST /ai/training/run, done in %.1f s): %d samples for training, %d held out for the test;"
        + " accuracy %.3f, macro F1 %.3f%s", what, seconds, run.path("training_samples").asInt(),
        run.path("test_samples").asInt(), run.path("intent_accuracy").asDouble(), run.path("intent_f1_score").asDouble(),
        run.path("baseline_intent_f1_score").isNumber()
            ? String.format(Locale.ROOT, " (model in service before: %.3f)", run.path("baseline_intent_f1_score").asDouble())
            : "");
    out.printf(Locale.ROOT, "      %s: %s%n", run.path("deployed").asBoolean() ? "deployed as "
        + run.path("model_version").asText() : "not deployed", run.path("deploy_reason").asText());
    printWeakest(run.path("per_intent_metrics"));
    JsonNode answer = run.path("parameters").path("answer");
    if (answer.isObject()) {
      out.printf(Locale.ROOT, "      answers when the top intent's share of the two best is >= %.3f (chosen for %.2f answered"
          + " accuracy on %d validation samples: %.0f %% answered, %.0f %% clarified); on the test split: %.0f %% answered,"
          + " %.3f of them right%n", answer.path("threshold").asDouble(), answer.path("target_accuracy").asDouble(),
          answer.path("held_out_samples").asInt(), 100 * answer.path("expected_coverage").asDouble(),
          100 * answer.path("expected_clarify_share").asDouble(), 100 * answer.path("on_test").path("coverage").asDouble(),
          answer.path("on_test").path("answered_accuracy").asDouble());
      if (answer.path("clarify_threshold").isNull()) {
        out.printf(Locale.ROOT, "      it never says clarify: on its validation split too few \"did you mean A or B?\""
            + " questions would have named the right intent (it learns from the bot's own, partly wrong labels)%n");
      }
    }
    return run;
  }

  private void printWeakest(JsonNode perIntent) {
    if (!perIntent.isObject() || perIntent.isEmpty()) {
      return;
    }
    List<Map.Entry<String, Double>> f1 = new ArrayList<>();
    perIntent.fields().forEachRemaining(e -> f1.add(Map.entry(e.getKey(), e.getValue().path("f1").asDouble())));
    f1.sort(Map.Entry.comparingByValue());
    StringBuilder line = new StringBuilder("      weakest intents (F1):");
    for (var e : f1.subList(0, Math.min(3, f1.size()))) {
      line.append(String.format(Locale.ROOT, " %s %.2f", e.getKey(), e.getValue()));
    }
    out.println(line);
  }

  private List<JsonNode> predict() {
    step("Predictions (GET /ai/training/predict):");
    List<JsonNode> answers = new ArrayList<>();
    long deadline = nanoTime.getAsLong() + Duration.ofSeconds(30).toNanos();
    for (String question : QUESTIONS) {
      DemoApi.Answer answer;
      do {
        // Right after a deploy the function may still be looking for its first model.
        answer = api.get("/ai/training/predict?text=" + URLEncoder.encode(question, StandardCharsets.UTF_8));
        if (answer.status() == 503 && nanoTime.getAsLong() < deadline) {
          sleep(500);
        }
      } while (answer.status() == 503 && nanoTime.getAsLong() < deadline);
      JsonNode body = answer.expect("GET /ai/training/predict", 200).body();
      answers.add(body);
      JsonNode runnerUp = body.path("top_intents").path(1);
      out.printf(Locale.ROOT, "      %-52s -> %s %.2f%s: %s%n", '"' + question + '"', body.path("intent").asText(),
          body.path("confidence").asDouble(), runnerUp.isMissingNode() ? ""
              : String.format(Locale.ROOT, "  (then %s %.2f)", runnerUp.path("intent").asText(),
                  runnerUp.path("confidence").asDouble()), action(body));
    }
    // The first question with a request's own threshold (min_confidence) in place of the model's.
    JsonNode body = api.get("/ai/training/predict?min_confidence=0.99&text=" + URLEncoder.encode(QUESTIONS.get(0),
        StandardCharsets.UTF_8)).expect("GET /ai/training/predict", 200).body();
    answers.add(body);
    out.printf(Locale.ROOT, "      %-52s -> %s %.2f: %s%n", "(the first again, with min_confidence=0.99)",
        body.path("intent").asText(), body.path("confidence").asDouble(), action(body));
    return answers;
  }

  /** What the orchestrator is told to do: answer, clarify (naming the two intents) or escalate. */
  private static String action(JsonNode body) {
    String action = body.path("action").asText();
    return switch (action) {
      case "answer" -> "answer";
      case "clarify" -> "clarify (\"did you mean " + body.path("clarify_intents").path(0).asText() + " or "
          + body.path("clarify_intents").path(1).asText() + "?\")";
      default -> action + " (hand over to a person)";
    };
  }

  private int correct(Map<String, LiveTraffic.Interaction> byId) {
    int corrections = 0;
    String cursor = null;
    int pages = 0;
    do {
      String query = "/ai/training/pending-review?limit=200&max_confidence=50"
          + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      JsonNode page = api.get(query).expect("GET /ai/training/pending-review", 200).body();
      for (JsonNode item : page.path("items")) {
        LiveTraffic.Interaction sent = byId.get(item.path("interaction_id").asText());
        if (sent == null || !sent.botWasWrong()) {
          continue;
        }
        api.post("/ai/training/correction", Map.of("training_data_id", item.path("id").asText(),
                "correct_intent", sent.trueIntent(), "notes", "demo: the bot detected "
                    + item.path("detected_intent").asText()))
            .expect("POST /ai/training/correction", 200, 201);
        corrections++;
      }
      cursor = page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
    } while (cursor != null && ++pages < 20);
    return corrections;
  }

  /** The report as a file of the embedded S3 server's folder, when the run recorded one there. */
  private Path reportFile(JsonNode run) {
    String location = run.path("report_file_path").asText("");
    if (location.startsWith("s3://")) {
      Path file = s3Folder.resolve(location.substring("s3://".length()));
      return java.nio.file.Files.isRegularFile(file) ? file : null;
    }
    return null;
  }

  private void step(String format, Object... args) {
    out.printf(Locale.ROOT, "[%d] " + format + "%n", prepend(++steps, args));
  }

  private static Object[] prepend(Object first, Object[] rest) {
    Object[] all = new Object[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private static void sleep(long millis) {
    DemoApi.sleep(millis);
  }
}
