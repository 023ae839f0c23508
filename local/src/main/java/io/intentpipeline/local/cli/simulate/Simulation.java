package io.intentpipeline.local.cli.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.json.Json;
import io.intentpipeline.local.cli.demo.DemoApi;
import io.intentpipeline.local.cli.demo.DemoException;
import io.intentpipeline.ml.Evaluation;
import io.intentpipeline.ml.Evaluator;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.ml.ModelFormatException;
import io.intentpipeline.pipeline.LabelPolicy;
import io.intentpipeline.review.ReviewOrder;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * One strategy's simulation on a running local stack: day 0 imports the seed share and trains;
 * each later day the deployed model answers that day's messages ({@code predict}), they are
 * recorded and flushed, the reviewer corrects a budget of them from {@code pending-review} with
 * the gold label, and the nightly run trains and its gate decides. After every day the model in
 * service is scored on the gold test samples, which the stack never sees.
 */
public final class Simulation {
  /** The strategies: the review queue's orders ({@code pending-review?order=}), one curve each. */
  public static final List<String> STRATEGIES = ReviewOrder.keys();
  /** The label policies the product has ({@link LabelPolicy}). */
  public static final List<String> LABEL_POLICIES =
      java.util.Arrays.stream(LabelPolicy.values()).map(LabelPolicy::wireName).toList();

  /** What a simulation replays and how. */
  public record Settings(List<TrainingSample> train, List<TrainingSample> test, double seedShare, int days,
                         double reviewShare, String labelPolicy, long seed) {}

  /**
   * One day's line of the learning curve; {@code reportedF1Macro} is null when the day's run did not
   * complete, {@code judgedOn} ({@code verified} or {@code all}: which test split the run reported on)
   * too.
   */
  public record Day(String strategy, int day, int traffic, int reviewedTotal, double reviewedShare, boolean deployed,
                    String modelVersion, double trueAccuracy, double trueF1Macro, Double reportedF1Macro,
                    String judgedOn) {
    /** The fields of {@code simulation.json}'s {@code days}. */
    public Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("strategy", strategy);
      m.put("day", day);
      m.put("traffic", traffic);
      m.put("reviewed_total", reviewedTotal);
      m.put("reviewed_share", reviewedShare);
      m.put("deployed", deployed);
      m.put("model_version", modelVersion);
      m.put("true_accuracy", trueAccuracy);
      m.put("true_f1_macro", trueF1Macro);
      m.put("reported_f1_macro", reportedF1Macro);
      m.put("judged_on", judgedOn);
      return m;
    }
  }

  /** The printed table's header, matching {@link #row}. */
  public static final String HEADER = String.format(Locale.ROOT, "%-18s %3s %7s %8s %7s %-8s %-33s %7s %7s %7s",
      "strategy", "day", "traffic", "reviewed", "share", "deployed", "model_version", "true_acc", "true_f1", "rep_f1");

  private static final int BATCH = 50;
  private static final int IMPORT_CHUNK = 2000;
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(15);

  private final Settings settings;
  private final DemoApi api;
  private final Function<String, byte[]> s3Objects;
  private final PrintWriter out;
  private final Map<String, Evaluation> scores = new HashMap<>();

  /**
   * A simulation against the API at {@code apiUrl}; {@code s3Objects} gives the bytes of an
   * {@code s3://bucket/key} location (the deployed model files).
   */
  public Simulation(Settings settings, URI apiUrl, Function<String, byte[]> s3Objects, PrintWriter out) {
    this.settings = settings;
    this.api = new DemoApi(apiUrl);
    this.s3Objects = s3Objects;
    this.out = out;
  }

  /** The table line of {@code day}. */
  public static String row(Day d) {
    return String.format(Locale.ROOT, "%-18s %3d %7d %8d %7.3f %-8s %-33s %7.4f %7.4f %7s", d.strategy(), d.day(),
        d.traffic(), d.reviewedTotal(), d.reviewedShare(), d.deployed() ? "yes" : "no",
        d.modelVersion() == null ? "-" : d.modelVersion(), d.trueAccuracy(), d.trueF1Macro(),
        d.reportedF1Macro() == null ? "-" : String.format(Locale.ROOT, "%.4f", d.reportedF1Macro()));
  }

  /** Runs day 0 and every day of {@code strategy}, printing each day's line as it ends. */
  public List<Day> run(String strategy) {
    List<TrainingSample> order = new ArrayList<>(settings.train());
    Collections.shuffle(order, new Random(settings.seed()));
    int seedCount = Math.max(1, (int) Math.round(settings.seedShare() * order.size()));
    List<TrainingSample> seed = order.subList(0, seedCount);
    List<TrainingSample> rest = order.subList(seedCount, order.size());
    List<Day> days = new ArrayList<>();

    int stored = importSeed(seed);
    JsonNode first = api.runToEnd(runBody(), "day 0 run", RUN_TIMEOUT);
    if (!first.path("deployed").asBoolean()) {
      throw new DemoException("The seed (" + seed.size() + " samples) gave no model: the day 0 run ended "
          + first.path("status").asText() + ": " + first.path("error_message").asText(first.path("deploy_reason").asText()));
    }
    String modelFile = first.path("model_file_path").asText();
    String modelVersion = first.path("model_version").asText();
    days.add(day(strategy, 0, 0, 0, 0, first, modelFile, modelVersion));

    Map<String, String> gold = new HashMap<>();
    int trafficTotal = 0;
    int reviewedTotal = 0;
    for (int d = 1; d <= settings.days(); d++) {
      int from = (int) ((long) rest.size() * (d - 1) / settings.days());
      int to = (int) ((long) rest.size() * d / settings.days());
      List<TrainingSample> slice = rest.subList(from, to);
      waitForService(modelVersion);
      answerAndRecord(d, slice, gold);
      trafficTotal += slice.size();
      stored = api.flushUntil(stored + slice.size());
      reviewedTotal += review(strategy, (int) Math.round(settings.reviewShare() * slice.size()), gold);
      JsonNode run = api.runToEnd(runBody(), "day " + d + " run", RUN_TIMEOUT);
      if (run.path("deployed").asBoolean()) {
        modelFile = run.path("model_file_path").asText();
        modelVersion = run.path("model_version").asText();
      }
      days.add(day(strategy, d, slice.size(), reviewedTotal, trafficTotal, run, modelFile, modelVersion));
    }
    return days;
  }

  /** A nightly run's request: a full run with the simulated label policy. */
  private Map<String, Object> runBody() {
    return Map.of("run_type", "full", "label_policy", settings.labelPolicy());
  }

  private Day day(String strategy, int d, int traffic, int reviewedTotal, int trafficTotal, JsonNode run,
                  String modelFile, String modelVersion) {
    Evaluation score = scores.computeIfAbsent(modelVersion, v -> score(modelFile));
    boolean completed = "completed".equals(run.path("status").asText());
    Day day = new Day(strategy, d, traffic, reviewedTotal, trafficTotal == 0 ? 0 : (double) reviewedTotal / trafficTotal,
        run.path("deployed").asBoolean(), modelVersion, score.accuracy(), score.f1Macro(),
        completed && run.path("intent_f1_score").isNumber() ? run.path("intent_f1_score").asDouble() : null,
        completed && run.path("judged_on").isTextual() ? run.path("judged_on").asText() : null);
    out.println(row(day));
    return day;
  }

  /** The deployed model file at {@code location} scored on the gold test samples. */
  private Evaluation score(String location) {
    try {
      return Evaluator.evaluate(ModelCodec.read(s3Objects.apply(location)), settings.test());
    } catch (ModelFormatException e) {
      throw new DemoException("The deployed model " + location + " cannot be read: " + e.getMessage());
    }
  }

  private int importSeed(List<TrainingSample> seed) {
    int imported = 0;
    for (int i = 0; i < seed.size(); i += IMPORT_CHUNK) {
      StringBuilder jsonl = new StringBuilder();
      for (TrainingSample s : seed.subList(i, Math.min(seed.size(), i + IMPORT_CHUNK))) {
        jsonl.append(Json.write(Map.of("user_message", s.userMessage(), "intent", s.intent()))).append('\n');
      }
      JsonNode answer = api.post("/ai/training/dataset/import", Map.of("format", "jsonl", "content", jsonl.toString()))
          .expect("POST /ai/training/dataset/import", 200, 201).body();
      imported += answer.path("imported").asInt();
    }
    return imported;
  }

  /** Waits until predict serves {@code modelVersion} (it re-checks its model every second). */
  private void waitForService(String modelVersion) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      DemoApi.Answer answer = api.post("/ai/training/predict", Map.of("text", "hello"));
      if (answer.status() == 200 && modelVersion.equals(answer.body().path("model_version").asText())) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new DemoException("predict did not serve " + modelVersion + " within 60 s: " + answer.body());
      }
      DemoApi.sleep(250);
    }
  }

  private void answerAndRecord(int d, List<TrainingSample> slice, Map<String, String> gold) {
    List<Map<String, Object>> batch = new ArrayList<>();
    for (int i = 0; i < slice.size(); i++) {
      TrainingSample sample = slice.get(i);
      JsonNode answer = api.post("/ai/training/predict", Map.of("text", sample.userMessage()))
          .expect("POST /ai/training/predict", 200).body();
      String id = "sim-" + d + "-" + (i + 1);
      gold.put(id, sample.intent());
      String intent = answer.path("intent").asText();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("interaction_id", id);
      body.put("user_message", sample.userMessage());
      body.put("detected_intent", intent);
      body.put("confidence_score", (int) Math.round(100 * answer.path("confidence").asDouble()));
      body.put("top_intents", answer.path("top_intents"));
      body.put("ai_response", "The bot's answer for " + intent + ".");
      body.put("escalated", false);
      body.put("response_source", "ai");
      body.put("source", "live");
      batch.add(body);
      if (batch.size() == BATCH || i == slice.size() - 1) {
        api.post("/ai/training/interactions", Map.of("interactions", batch)).expect("POST /ai/training/interactions", 202);
        batch = new ArrayList<>();
      }
    }
  }

  /**
   * The reviewer: up to {@code budget} samples from the head of the review queue in the order
   * {@code strategy}, each answered with its gold label, agreeing or not; returns how many were reviewed.
   */
  private int review(String strategy, int budget, Map<String, String> gold) {
    int done = 0;
    while (done < budget) {
      JsonNode items = api.get("/ai/training/pending-review?order=" + strategy + "&limit=" + Math.min(200, budget - done))
          .expect("GET /ai/training/pending-review", 200).body().path("items");
      if (items.isEmpty()) {
        break;
      }
      for (JsonNode item : items) {
        String label = gold.get(item.path("interaction_id").asText());
        if (label == null) {
          throw new DemoException("The review queue holds a sample the simulation did not send: " + item);
        }
        api.post("/ai/training/correction", Map.of("training_data_id", item.path("id").asText(), "correct_intent", label))
            .expect("POST /ai/training/correction", 200, 201);
        done++;
      }
    }
    return done;
  }
}
