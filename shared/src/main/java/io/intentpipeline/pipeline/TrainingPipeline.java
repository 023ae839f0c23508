package io.intentpipeline.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.dataset.DatasetCleaner;
import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.dataset.JsonlFormat;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.json.Json;
import io.intentpipeline.log.Log;
import io.intentpipeline.ml.Evaluation;
import io.intentpipeline.ml.Evaluator;
import io.intentpipeline.ml.IntentModel;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.ml.ModelFormatException;
import io.intentpipeline.ml.Trainer;
import io.intentpipeline.storage.ArtifactStore;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.ModelStore;
import io.intentpipeline.storage.ModelStoreException;
import io.intentpipeline.storage.StoredModel;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.UUID;

/**
 * One training run, stage by stage, with the training lock held by the caller:
 *
 * <ol>
 *   <li><b>fetch</b>: {@code get_training_dataset(min_confidence, only_reviewed, limit)} (see {@link RunType});
 *   <li><b>clean</b>: {@link DatasetCleaner}, then at least {@code minSamples} samples and two intents, or the
 *       run fails with "Not enough samples"; the 70/15/15 {@link StableSplit} (a text keeps its part across runs);
 *   <li><b>train</b>: {@link Trainer} with the configured profile;
 *   <li><b>evaluate</b>: the new model and the deployed one (latest in the model store) on the same test
 *       split; the {@link DeployGate} decides;
 *   <li><b>deploy</b>: when decided, {@link ModelDeployer} (write, verify, copy over latest);
 *   <li><b>record</b>: the dataset snapshot and both reports to the artifact store, then in one transaction
 *       the run's row, the rows trained on ({@code used_in_training}, {@code last_run_id}) and the
 *       acknowledgement of the open retrain request.
 * </ol>
 *
 * Any failure ends the run as failed with its error, the deployed model untouched.
 */
public final class TrainingPipeline {
  /** The stage names, in order, as {@link RunOutcome#stageSeconds()} and the reports list them. */
  public static final List<String> STAGES = List.of("fetch", "clean", "train", "evaluate", "deploy", "record");
  /** The least time left before Lambda's timeout at which a deploy still starts. */
  static final Duration DEPLOY_RESERVE = Duration.ofSeconds(20);

  /** Told when each stage of a run starts (progress, and a test's hook to act in the middle of a run). */
  @FunctionalInterface
  public interface StageListener {
    /** Stage {@code stage} of run {@code runId} starts now. */
    void stageStarted(UUID runId, String stage);

    /** Listens to nothing. */
    StageListener NONE = (runId, stage) -> { };
  }

  /** The time left to the invocation (Lambda's remaining time); unlimited off Lambda. */
  @FunctionalInterface
  public interface TimeBudget {
    /** How long the invocation may still run. */
    Duration remaining();

    /** No limit. */
    TimeBudget UNLIMITED = () -> Duration.ofDays(365);
  }

  /** A run that cannot go on, with the message recorded as its error (never user text). */
  static final class RunFailure extends Exception {
    private static final long serialVersionUID = 1L;

    RunFailure(String message) {
      super(message);
    }
  }

  private final Database database;
  private final TrainingRuns runs;
  private final TrainingData data;
  private final ModelStore models;
  private final ArtifactStore artifacts;
  private final TrainingSettings settings;
  private final Clock clock;
  private final StageListener listener;
  private final int threads;

  /** A pipeline over these stores; {@code threads} train the one-vs-rest problems. */
  public TrainingPipeline(Database database, ModelStore models, ArtifactStore artifacts, TrainingSettings settings,
      Clock clock, StageListener listener, int threads) {
    this.database = database;
    this.runs = new TrainingRuns(database);
    this.data = new TrainingData(database);
    this.models = models;
    this.artifacts = artifacts;
    this.settings = settings;
    this.clock = clock;
    this.listener = listener;
    this.threads = threads;
  }

  TrainingSettings settings() {
    return settings;
  }

  /** The {@code parameters} recorded for {@code request}: its filters and the settings it ran with. */
  ObjectNode parameters(RunRequest request) {
    ObjectNode p = Json.MAPPER.createObjectNode();
    p.put("min_confidence", request.minConfidence());
    p.put("only_reviewed", request.onlyReviewed() || request.runType() == RunType.INTENT_ONLY);
    p.put("limit", request.limit());
    p.put("profile", settings.profile().name());
    p.put("seed", settings.seed());
    p.put("min_samples", settings.minSamples());
    p.put("deploy_margin", settings.deployMargin());
    request.requestedAt().ifPresent(at -> p.put("requested_at", at.toString()));
    return p;
  }

  /** Runs {@code request}, whose start is recorded already; never throws for a failed run, only when it cannot be recorded. */
  RunOutcome run(RunRequest request, TrainingLock lock, TimeBudget budget, Instant startedAt, ObjectNode parameters)
      throws SQLException {
    long start = System.nanoTime();
    Work work = new Work(request, parameters, startedAt);
    try {
      stages(work, lock, budget);
      work.record.status = "completed";
    } catch (RunFailure e) {
      work.fail(e.getMessage());
    } catch (ModelStoreException e) {
      work.fail(e.getMessage());
    } catch (SQLException e) {
      work.fail("database error (SQLSTATE " + e.getSQLState() + ") in stage " + work.stage);
    } catch (RuntimeException e) {
      Log.error("training_stage_crashed", e, "run_id", request.runId(), "stage", work.stage);
      work.fail(e.getClass().getSimpleName() + " in stage " + work.stage + ": " + e.getMessage());
    }
    record(work, start);
    RunRecord r = work.record;
    Log.info("training_run_finished", "run_id", r.id, "status", r.status, "deployed", r.deployed,
        "samples", work.samples, "intents", r.totalIntents, "f1", r.f1, "baseline_f1", r.baselineF1,
        "model_version", r.modelVersion, "seconds", r.durationSeconds);
    return new RunOutcome(r.id, request.runName(), r.status, Boolean.TRUE.equals(r.deployed),
        r.errorMessage != null && !"completed".equals(r.status) ? r.errorMessage : r.deployReason,
        Optional.ofNullable(r.modelVersion), r.f1 == null ? OptionalDouble.empty() : OptionalDouble.of(r.f1),
        r.baselineF1 == null ? OptionalDouble.empty() : OptionalDouble.of(r.baselineF1),
        Optional.ofNullable(r.reportFilePath), Optional.empty(), work.seconds, r.durationSeconds);
  }

  private void stages(Work work, TrainingLock lock, TimeBudget budget) throws RunFailure, SQLException {
    RunRequest request = work.request;
    if (request.runType() == RunType.INCREMENTAL) {
      Optional<Instant> since = runs.newestCompletedStart();
      if (since.isPresent() && !data.changedSince(since.get())) {
        work.record.deployed = false;
        work.record.deployReason = "nothing new: no sample was stored or corrected since the newest completed run"
            + " started (" + since.get() + "); nothing trained";
        return;
      }
    }

    work.begin("fetch");
    boolean onlyReviewed = request.onlyReviewed() || request.runType() == RunType.INTENT_ONLY;
    List<TrainingData.Row> rows = data.fetch(request.minConfidence(), onlyReviewed, request.limit());
    if (request.runType() == RunType.INTENT_ONLY) {
      rows = rows.stream().filter(row -> row.sample().wasCorrected()).toList();
    }
    work.fetched = rows.size();

    work.begin("clean");
    DatasetCleaner.Result cleaned = DatasetCleaner.clean(rows.stream().map(TrainingData.Row::sample).toList());
    work.cleaned = cleaned;
    work.samples = cleaned.samples().size();
    long intents = cleaned.samples().stream().map(TrainingSample::intent).distinct().count();
    work.record.totalIntents = (int) intents;
    if (cleaned.samples().size() < settings.minSamples()) {
      throw new RunFailure("Not enough samples: " + cleaned.samples().size() + " after cleaning (" + rows.size()
          + " fetched), at least " + settings.minSamples() + " needed");
    }
    if (intents < 2) {
      throw new RunFailure("Not enough intents: the samples carry " + intents + " intent, a classifier needs at least 2");
    }
    // In text order, not in the order rows come back (newest first, then by random id): the model
    // depends only on the samples, not on when or under which ids they were stored.
    List<TrainingSample> ordered = new ArrayList<>(cleaned.samples());
    ordered.sort(Comparator.comparing((TrainingSample sample) -> key(sample.userMessage()))
        .thenComparing(TrainingSample::userMessage));
    DatasetSplitter.Split split = StableSplit.split(ordered, settings.seed());
    work.split = split;
    work.record.trainingSamples = split.train().size();
    work.record.validationSamples = split.validation().size();
    work.record.testSamples = split.test().size();
    if (split.test().isEmpty()) {
      throw new RunFailure("Not enough samples to hold out a test split: every intent has fewer than 3 samples");
    }
    work.trainedIds = trainedRowIds(rows, split);

    work.begin("train");
    Trainer.Result trained = new Trainer(settings.profile(), clock, threads)
        .train(split.train(), split.validation(), settings.seed());
    IntentModel model = trained.model();
    work.record.modelConfig = model.metadata().trainingConfig();

    work.begin("evaluate");
    Evaluation evaluation = Evaluator.evaluate(model, split.test());
    work.evaluation = evaluation;
    work.reliability = Reliability.of(model, split.test());
    work.record.accuracy = evaluation.accuracy();
    work.record.precision = evaluation.precisionMacro();
    work.record.recall = evaluation.recallMacro();
    work.record.f1 = evaluation.f1Macro();
    work.record.perIntentMetrics = evaluation.perIntentJson();
    Optional<StoredModel> latest = models.latest();
    Optional<IntentModel> deployed = Optional.empty();
    String unreadable = null;
    if (latest.isPresent()) {
      try {
        deployed = Optional.of(ModelCodec.read(latest.get().bytes()));
      } catch (ModelFormatException e) {
        Log.warn("deployed_model_unreadable", "key", latest.get().key(), "etag", latest.get().etag(),
            "reason", e.getMessage());
        unreadable = "the deployed model " + models.location(latest.get().key()) + " cannot be read ("
            + e.getMessage() + "): it is replaced";
      }
    }
    DeployGate.Decision decision;
    if (deployed.isPresent()) {
      IntentModel base = deployed.get();
      Evaluation baseEvaluation = Evaluator.evaluate(base, split.test());
      work.baseline = new RunReport.Baseline(base.metadata().modelVersion(), base.metadata().runId(), baseEvaluation,
          Reliability.of(base, split.test()));
      work.record.baselineAccuracy = baseEvaluation.accuracy();
      work.record.baselineF1 = baseEvaluation.f1Macro();
      decision = DeployGate.decide(evaluation.f1Macro(), OptionalDouble.of(baseEvaluation.f1Macro()),
          settings.deployMargin());
    } else if (unreadable != null) {
      decision = new DeployGate.Decision(true, unreadable);
    } else {
      decision = DeployGate.decide(evaluation.f1Macro(), OptionalDouble.empty(), settings.deployMargin());
    }
    work.decision = decision;
    work.record.deployReason = decision.reason();
    work.record.deployed = false;
    String metrics = metricsJson(evaluation, split);

    work.begin("deploy");
    if (!decision.deploy()) {
      work.encoded = ModelDeployer.encodeOnly(model, request.runId().toString(), metrics, clock.instant());
      return;
    }
    if (budget.remaining().compareTo(DEPLOY_RESERVE) < 0) {
      throw new RunFailure("Not deployed: only " + budget.remaining().toSeconds() + " s left before the function's"
          + " timeout, a deploy needs " + DEPLOY_RESERVE.toSeconds() + " s; the deployed model stays");
    }
    if (!lock.stillHeld()) {
      throw new RunFailure("Not deployed: the training lock's database session was lost during the run,"
          + " so another run may have started; the deployed model stays");
    }
    ModelDeployer deployer = new ModelDeployer(models);
    ModelDeployer.Encoded encoded = deployer.encode(model, request.runId().toString(), metrics, clock.instant());
    work.encoded = encoded;
    try {
      ModelDeployer.Deployed done = deployer.deploy(encoded);
      work.deployedLocation = Optional.of(done.location());
      work.record.deployed = true;
      work.record.modelVersion = done.version();
      work.record.modelFilePath = done.location();
    } catch (ModelStoreException e) {
      throw new RunFailure("Deploy failed, the deployed model stays: " + e.getMessage());
    }
  }

  /** Ends the run: artifacts (when a model was trained), then its row, the rows trained on and the retrain acknowledgement. */
  private void record(Work work, long start) throws SQLException {
    work.begin("record");
    RunRecord r = work.record;
    if (work.evaluation != null && work.encoded != null) {
      String id = r.id.toString();
      List<String> failures = new ArrayList<>();
      try {
        r.datasetFilePath = artifacts.put("datasets/" + id + ".jsonl", snapshot(work.split),
            "application/x-ndjson; charset=utf-8");
      } catch (ModelStoreException e) {
        failures.add(e.getMessage());
      }
      work.seconds.put("record", seconds(work.stageStart));
      r.durationSeconds = seconds(start);
      RunReport report = report(work);
      try {
        artifacts.put("reports/" + id + ".json", Json.write(report.toJson()).getBytes(StandardCharsets.UTF_8),
            "application/json; charset=utf-8");
        r.reportFilePath = artifacts.put("reports/" + id + ".html",
            HtmlReport.render(report).getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");
      } catch (ModelStoreException e) {
        failures.add(e.getMessage());
      }
      if (!failures.isEmpty()) {
        String note = "reports not written: " + String.join("; ", failures);
        r.errorMessage = r.errorMessage == null ? note : r.errorMessage + "; " + note;
      }
      report.improvement().ifPresent(i -> r.improvement = Json.write(i));
    }
    r.durationSeconds = seconds(start);
    boolean completed = "completed".equals(r.status);
    database.transaction(c -> {
      TrainingRuns.finish(c, r);
      if (completed && !work.trainedIds.isEmpty()) {
        TrainingData.markUsed(c, work.trainedIds, r.id);
      }
      if (completed) {
        TrainingData.acknowledgeRetrainRequest(c);
      }
      return null;
    });
    work.seconds.put("record", seconds(work.stageStart));
    r.durationSeconds = seconds(start);
  }

  private RunReport report(Work work) {
    DatasetCleaner.Result cleaned = work.cleaned;
    DatasetSplitter.Split split = work.split;
    RunReport.Dataset dataset = new RunReport.Dataset(work.fetched, cleaned.emptyRemoved(), cleaned.duplicatesRemoved(),
        cleaned.conflicts(), cleaned.samples().size(), work.record.totalIntents, split.train().size(),
        split.validation().size(), split.test().size(), split.tooSmallIntents(),
        Optional.ofNullable(work.record.datasetFilePath));
    RunReport.Model model = new RunReport.Model(work.encoded.version(), settings.profile().name(),
        work.record.modelConfig, work.encoded.bytes().length, work.encoded.sha256(), work.deployedLocation);
    Map<String, Double> stageSeconds = new LinkedHashMap<>(work.seconds);
    return new RunReport(work.request.runId(), work.request.runName(), work.request.runType(), work.request.trigger(),
        work.startedAt, work.parameters, dataset, model, work.evaluation, work.reliability, Optional.ofNullable(work.baseline),
        work.decision, settings.deployMargin(), Boolean.TRUE.equals(work.record.deployed), work.record.status,
        Optional.ofNullable(work.record.errorMessage), stageSeconds);
  }

  /** The cleaned dataset, one JSON line per sample in the seed's fields plus its {@code split}. */
  private static byte[] snapshot(DatasetSplitter.Split split) {
    StringBuilder out = new StringBuilder(split.train().size() * 200);
    Map<String, List<TrainingSample>> parts = new LinkedHashMap<>();
    parts.put("train", split.train());
    parts.put("validation", split.validation());
    parts.put("test", split.test());
    parts.forEach((name, samples) -> {
      for (TrainingSample s : samples) {
        String line = JsonlFormat.line(s);
        // One more field after the seed's: readers of the seed format ignore it.
        out.append(line, 0, line.length() - 1).append(",\"split\":\"").append(name).append("\"}\n");
      }
    });
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The figures stored in the model file's metadata. */
  private String metricsJson(Evaluation e, DatasetSplitter.Split split) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("accuracy", e.accuracy());
    m.put("f1_macro", e.f1Macro());
    m.put("precision_macro", e.precisionMacro());
    m.put("recall_macro", e.recallMacro());
    m.put("ece", e.ece());
    m.put("brier", e.brier());
    m.put("train_samples", split.train().size());
    m.put("validation_samples", split.validation().size());
    m.put("test_samples", split.test().size());
    m.put("intents", e.totalIntents());
    return Json.write(m);
  }

  /**
   * The rows whose text is in the training or validation part (duplicates of a kept text
   * included: their text was trained on), by the cleaner's key (case and spacing ignored).
   */
  private static Set<UUID> trainedRowIds(List<TrainingData.Row> rows, DatasetSplitter.Split split) {
    Set<String> trained = new HashSet<>();
    for (TrainingSample s : split.train()) {
      trained.add(key(s.userMessage()));
    }
    for (TrainingSample s : split.validation()) {
      trained.add(key(s.userMessage()));
    }
    Set<UUID> ids = new HashSet<>();
    for (TrainingData.Row row : rows) {
      if (trained.contains(key(row.sample().userMessage()))) {
        ids.add(row.id());
      }
    }
    return ids;
  }

  private static String key(String text) {
    return DatasetCleaner.normaliseWhitespace(text).toLowerCase(Locale.ROOT);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  /** What one run has gathered so far. */
  private final class Work {
    final RunRequest request;
    final ObjectNode parameters;
    final Instant startedAt;
    final RunRecord record;
    final Map<String, Double> seconds = new LinkedHashMap<>();
    String stage = "start";
    long stageStart = System.nanoTime();
    int fetched;
    int samples;
    DatasetCleaner.Result cleaned;
    DatasetSplitter.Split split;
    Set<UUID> trainedIds = Set.of();
    Evaluation evaluation;
    List<Reliability.Bin> reliability = List.of();
    RunReport.Baseline baseline;
    DeployGate.Decision decision;
    ModelDeployer.Encoded encoded;
    Optional<String> deployedLocation = Optional.empty();

    Work(RunRequest request, ObjectNode parameters, Instant startedAt) {
      this.request = request;
      this.parameters = parameters;
      this.startedAt = startedAt;
      this.record = new RunRecord(request.runId());
    }

    void begin(String next) {
      long now = System.nanoTime();
      if (!"start".equals(stage)) {
        seconds.put(stage, (now - stageStart) / 1e9);
      }
      stage = next;
      stageStart = now;
      listener.stageStarted(request.runId(), next);
    }

    void fail(String message) {
      record.status = "failed";
      record.errorMessage = message.length() > 2000 ? message.substring(0, 2000) : message;
      record.deployed = false;
      if (record.deployReason == null || decision == null || decision.deploy()) {
        record.deployReason = "run failed: the deployed model stays";
      }
    }
  }
}
