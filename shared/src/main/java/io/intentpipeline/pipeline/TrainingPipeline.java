package io.intentpipeline.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentpipeline.dataset.DatasetCleaner;
import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.json.Json;
import io.intentpipeline.log.Log;
import io.intentpipeline.ml.Evaluation;
import io.intentpipeline.ml.Evaluator;
import io.intentpipeline.ml.IntentModel;
import io.intentpipeline.ml.ModelCodec;
import io.intentpipeline.ml.ModelFormatException;
import io.intentpipeline.ml.Trainer;
import io.intentpipeline.pipeline.StageResult.Cleaned;
import io.intentpipeline.pipeline.StageResult.Deployed;
import io.intentpipeline.pipeline.StageResult.Evaluated;
import io.intentpipeline.pipeline.StageResult.Fetched;
import io.intentpipeline.pipeline.StageResult.Judged;
import io.intentpipeline.pipeline.StageResult.NothingNew;
import io.intentpipeline.pipeline.StageResult.Packaged;
import io.intentpipeline.pipeline.StageResult.Rescored;
import io.intentpipeline.pipeline.StageResult.Split;
import io.intentpipeline.pipeline.StageResult.Trained;
import io.intentpipeline.review.QueueRescorer;
import io.intentpipeline.storage.ArtifactStore;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.ModelStore;
import io.intentpipeline.storage.ModelStoreException;
import io.intentpipeline.storage.StoredModel;
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
 *   <li><b>rescore</b>, after a deploy: the new model re-scores the newest samples waiting for review
 *       ({@link QueueRescorer}, at most {@code rescoreLimit}, while time is left), so that the review
 *       queue's order follows the model in service; its failure is recorded, never the run's;
 *   <li><b>record</b>: the dataset snapshot and both reports to the artifact store
 *       ({@link RunArtifactWriter}), then in one transaction the run's row, the rows trained on
 *       ({@code used_in_training}, {@code last_run_id}) and the acknowledgement of the open retrain request.
 * </ol>
 *
 * Each stage produces an immutable {@link StageResult}; the run is the sequence of those it reached,
 * and a {@link FinishedRun} built once from them is what the record stage writes. Any failure ends
 * the run as failed with its error (keeping the results reached before it), the deployed model untouched.
 */
public final class TrainingPipeline {
  /** The stage names, in order, as {@link RunOutcome#stageSeconds()} and the reports list them. */
  public static final List<String> STAGES =
      List.of("fetch", "clean", "train", "evaluate", "deploy", "rescore", "record");
  /** The least time left before Lambda's timeout at which a deploy still starts. */
  static final Duration DEPLOY_RESERVE = Duration.ofSeconds(20);
  /** The least time left at which a page of re-scoring still starts: the record stage's. */
  static final Duration RESCORE_RESERVE = Duration.ofSeconds(30);
  /** The version whose key is latest's ({@link ModelStore#LATEST_KEY}): what {@code exists} asks about. */
  private static final String LATEST_VERSION = "intent_classifier_latest";
  /** What a failed deploy leaves, in its message, when a model was in service and when none was. */
  private static final String MODEL_STAYS = "the deployed model stays";
  private static final String NO_MODEL_STAYS = "no model is deployed yet";

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
  private final RunArtifactWriter files;
  private final QueueRescorer rescorer;
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
    this.files = new RunArtifactWriter(artifacts, settings);
    this.rescorer = new QueueRescorer(database);
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
    p.put("label_policy", request.labelPolicy().wireName());
    p.put("answer_target_accuracy", request.answerTargetAccuracy());
    p.put("out_of_scope_intent", settings.outOfScopeIntent());
    if (request.labelPolicy() == LabelPolicy.CONFIDENT) {
      p.put("confident_label", settings.confidentLabel());
    }
    p.put("profile", settings.profile().name());
    p.put("seed", settings.seed());
    p.put("min_samples", settings.minSamples());
    p.put("deploy_margin", settings.deployMargin());
    p.put("rescore_limit", settings.rescoreLimit());
    request.requestedAt().ifPresent(at -> p.put("requested_at", at.toString()));
    return p;
  }

  /** Runs {@code request}, whose start is recorded already; never throws for a failed run, only when it cannot be recorded. */
  RunOutcome run(RunRequest request, TrainingLock lock, TimeBudget budget, Instant startedAt, ObjectNode parameters)
      throws SQLException {
    Progress progress = new Progress(request, startedAt, parameters);
    FinishedRun run = attempt(progress, lock, budget);
    FinishedRun.Artifacts artifacts = record(run, progress);
    double duration = seconds(progress.start);
    Log.info("training_run_finished", "run_id", request.runId(), "status", run.status().dbName(),
        "deployed", run.deployed(), "samples", run.samples(),
        "intents", run.totalIntents().isPresent() ? run.totalIntents().getAsInt() : null,
        "f1", run.f1().isPresent() ? run.f1().getAsDouble() : null,
        "baseline_f1", run.baselineF1().isPresent() ? run.baselineF1().getAsDouble() : null,
        "model_version", run.modelVersion().orElse(null), "seconds", duration);
    return run.outcome(artifacts, progress.seconds, duration);
  }

  /** The stages until they end or one fails: the run as finished, with the results it reached. */
  private FinishedRun attempt(Progress progress, TrainingLock lock, TimeBudget budget) {
    String failure;
    try {
      stages(progress, lock, budget);
      return progress.completed();
    } catch (RunFailure | ModelStoreException e) {
      failure = e.getMessage();
    } catch (SQLException e) {
      failure = "database error (SQLSTATE " + e.getSQLState() + ") in stage " + progress.stage;
    } catch (RuntimeException e) {
      Log.error("training_stage_crashed", e, "run_id", progress.request.runId(), "stage", progress.stage);
      failure = e.getClass().getSimpleName() + " in stage " + progress.stage + ": " + e.getMessage();
    }
    return progress.failed(failure, modelInService(progress));
  }

  /**
   * Whether a model is in service as a run fails: what the gate found if the run reached it, else
   * whether latest exists (when the store cannot say, a model is assumed, as before: "stays").
   */
  private boolean modelInService(Progress progress) {
    Optional<Judged> judged = progress.reached.stream().filter(Judged.class::isInstance).map(Judged.class::cast)
        .findFirst();
    if (judged.isPresent()) {
      return !judged.get().firstModel();
    }
    try {
      return models.exists(LATEST_VERSION);
    } catch (RuntimeException e) {
      return true;
    }
  }

  /** The run's stages in order; each result joins those the run reached as soon as it is produced. */
  private void stages(Progress run, TrainingLock lock, TimeBudget budget) throws RunFailure, SQLException {
    Optional<NothingNew> nothingNew = nothingNew(run.request);
    if (nothingNew.isPresent()) {
      run.reached(nothingNew.get());
      return;
    }
    Fetched fetched = run.stage("fetch", () -> fetch(run.request));
    Cleaned cleaned = run.stage("clean", () -> clean(fetched));
    requireEnough(fetched, cleaned);
    Split split = run.reached(split(fetched, cleaned, settings.seed()));
    requireTestPart(split);
    Trained trained = run.stage("train", () -> train(split, run.request.answerTargetAccuracy()));
    Evaluated evaluated = run.stage("evaluate", () -> evaluate(trained, split));
    Judged judged = run.reached(judge(evaluated, split));
    String metrics = metricsJson(evaluated.evaluation(), split.split());
    run.begin("deploy");
    if (judged.decision().deploy()) {
      Deployed deployed = deploy(run, trained, metrics, lock, budget, judged.firstModel() ? NO_MODEL_STAYS : MODEL_STAYS);
      run.stage("rescore", () -> rescore(trained, deployed, budget));
    } else {
      run.reached(new Packaged(ModelDeployer.encodeOnly(trained.model(), run.request.runId().toString(), metrics,
          clock.instant())));
    }
  }

  /** For an incremental run when nothing was stored or corrected since the newest completed run started. */
  private Optional<NothingNew> nothingNew(RunRequest request) throws SQLException {
    if (request.runType() != RunType.INCREMENTAL) {
      return Optional.empty();
    }
    Optional<Instant> since = runs.newestCompletedStart();
    if (since.isEmpty() || data.changedSince(since.get())) {
      return Optional.empty();
    }
    return Optional.of(new NothingNew("nothing new: no sample was stored or corrected since the newest completed run"
        + " started (" + since.get() + "); nothing trained"));
  }

  /**
   * {@code get_training_dataset} with the request's filters as its label policy sets them; an
   * intent-only run keeps the corrected rows.
   */
  private Fetched fetch(RunRequest request) throws SQLException {
    LabelPolicy policy = request.labelPolicy();
    boolean onlyReviewed = policy.onlyReviewed(request.onlyReviewed() || request.runType() == RunType.INTENT_ONLY);
    List<TrainingData.Row> rows = data.fetch(policy.minConfidence(request.minConfidence(), settings.confidentLabel()),
        onlyReviewed, request.limit());
    if (request.runType() == RunType.INTENT_ONLY) {
      rows = rows.stream().filter(row -> row.sample().wasCorrected()).toList();
    }
    int verified = (int) rows.stream().filter(TrainingData.Row::verified).count();
    int intents = (int) rows.stream().map(row -> row.sample().intent()).distinct().count();
    LabelPolicy applied = policy.resolve(verified, intents, settings.minSamples());
    if (applied != policy) {
      Log.info("label_policy_resolved", "run_id", request.runId(), "policy", policy.wireName(),
          "applied", applied.wireName(), "verified_rows", verified, "intents", intents);
    }
    if (applied == LabelPolicy.HUMAN_ONLY && verified < rows.size()) {
      rows = rows.stream().filter(TrainingData.Row::verified).toList();
    }
    return new Fetched(rows, applied);
  }

  /** {@link TrustFilter}, then {@link DatasetCleaner}. */
  static Cleaned clean(Fetched fetched) {
    TrustFilter.Result trusted = TrustFilter.filter(fetched.rows());
    DatasetCleaner.Result cleaned = DatasetCleaner.clean(trusted.kept());
    long intents = cleaned.samples().stream().map(TrainingSample::intent).distinct().count();
    return new Cleaned(cleaned, (int) intents, trusted.nearDuplicatesRemoved(), trusted.trust());
  }

  private void requireEnough(Fetched fetched, Cleaned cleaned) throws RunFailure {
    if (cleaned.samples() < settings.minSamples()) {
      throw new RunFailure("Not enough samples: " + cleaned.samples() + " after cleaning (" + fetched.rows().size()
          + " fetched), at least " + settings.minSamples() + " needed"
          + (fetched.applied() == LabelPolicy.HUMAN_ONLY ? " (label policy human_only: only human-verified rows train)"
              : ""));
    }
    if (cleaned.intents() < 2) {
      throw new RunFailure("Not enough intents: the samples carry " + cleaned.intents()
          + " intent, a classifier needs at least 2");
    }
  }

  /** The {@link TrustedSplit} of the cleaned samples in text order, and the rows trained on. */
  static Split split(Fetched fetched, Cleaned cleaned, long seed) {
    TrustedSplit.Result split = TrustedSplit.split(inTextOrder(cleaned.result().samples()), cleaned::trustOf, seed);
    return new Split(split, trainedRowIds(fetched.rows(), split.split()));
  }

  /**
   * The samples in text order, not in the order rows come back (newest first, then by random id):
   * the model depends only on the samples, not on when or under which ids they were stored.
   */
  static List<TrainingSample> inTextOrder(List<TrainingSample> samples) {
    List<TrainingSample> ordered = new ArrayList<>(samples);
    ordered.sort(Comparator.comparing((TrainingSample sample) -> key(sample.userMessage()))
        .thenComparing(TrainingSample::userMessage));
    return ordered;
  }

  private static void requireTestPart(Split split) throws RunFailure {
    if (split.split().test().isEmpty()) {
      throw new RunFailure("Not enough samples to hold out a test split: every intent has fewer than 3 samples");
    }
  }

  private Trained train(Split split, double answerTargetAccuracy) {
    DatasetSplitter.Split parts = split.split();
    Trainer.Result result = new Trainer(settings.profile(), clock, threads)
        .answering(answerTargetAccuracy, settings.outOfScopeIntent())
        .train(parts.train(), parts.validation(), settings.seed());
    return new Trained(result.model(), result.answer());
  }

  /** The new model on the judged test set, and its F1 on the human-verified and on all samples of the test part. */
  private static Evaluated evaluate(Trained trained, Split split) {
    TrustedSplit.Result parts = split.trusted();
    List<TrainingSample> test = parts.split().test();
    Evaluation evaluation = Evaluator.evaluate(trained.model(), test);
    OptionalDouble verified = parts.verifiedTest().isEmpty() ? OptionalDouble.empty()
        : OptionalDouble.of(parts.verifiedTest().equals(test) ? evaluation.testedF1Macro()
            : Evaluator.evaluate(trained.model(), parts.verifiedTest()).testedF1Macro());
    double all = parts.allTest().equals(test) ? evaluation.testedF1Macro()
        : Evaluator.evaluate(trained.model(), parts.allTest()).testedF1Macro();
    return new Evaluated(evaluation, Reliability.of(trained.model(), test), verified, all,
        io.intentpipeline.ml.ActionEvaluation.of(trained.model(), test));
  }

  /**
   * The deployed model (latest in the store) on the same test split, and the {@link DeployGate}'s
   * decision; a deployed model that cannot be read is replaced.
   */
  private Judged judge(Evaluated evaluated, Split split) {
    double f1 = evaluated.evaluation().testedF1Macro();
    String basis = basis(split.trusted());
    Optional<StoredModel> latest = models.latest();
    if (latest.isEmpty()) {
      return new Judged(Optional.empty(),
          DeployGate.decide(f1, OptionalDouble.empty(), settings.deployMargin()).judgedOn(basis));
    }
    IntentModel base;
    try {
      base = ModelCodec.read(latest.get().bytes());
    } catch (ModelFormatException e) {
      Log.warn("deployed_model_unreadable", "key", latest.get().key(), "etag", latest.get().etag(),
          "reason", e.getMessage());
      return new Judged(Optional.empty(), new DeployGate.Decision(true, "the deployed model "
          + models.location(latest.get().key()) + " cannot be read (" + e.getMessage() + "): it is replaced"));
    }
    List<TrainingSample> test = split.split().test();
    Evaluation baseEvaluation = Evaluator.evaluate(base, test);
    RunReport.Baseline baseline = new RunReport.Baseline(base.metadata().modelVersion(), base.metadata().runId(),
        baseEvaluation, Reliability.of(base, test));
    return new Judged(Optional.of(baseline),
        DeployGate.decide(f1, OptionalDouble.of(baseEvaluation.testedF1Macro()), settings.deployMargin())
            .judgedOn(basis));
  }

  /** Which test set the gate compares on, in the words {@code deploy_reason} ends with. */
  static String basis(TrustedSplit.Result split) {
    int test = split.split().test().size();
    if (split.judgedOn() == TrustedSplit.JudgedOn.VERIFIED) {
      return "judged on " + test + " human-verified test samples: labelled data and audited traffic";
    }
    return "judged on all " + test + " test samples: " + split.verifiedTest().size()
        + " are labelled data or audited traffic, a fair estimate on those alone needs " + split.required();
  }

  /** Deploys the new model when there is time and the lock is still held; the deployed model stays otherwise. */
  private Deployed deploy(Progress run, Trained trained, String metrics, TrainingLock lock, TimeBudget budget,
      String stays) throws RunFailure {
    if (budget.remaining().compareTo(DEPLOY_RESERVE) < 0) {
      throw new RunFailure("Not deployed: only " + budget.remaining().toSeconds() + " s left before the function's"
          + " timeout, a deploy needs " + DEPLOY_RESERVE.toSeconds() + " s; " + stays);
    }
    if (!lock.stillHeld()) {
      throw new RunFailure("Not deployed: the training lock's database session was lost during the run,"
          + " so another run may have started; " + stays);
    }
    ModelDeployer deployer = new ModelDeployer(models);
    Packaged packaged = run.reached(new Packaged(
        deployer.encode(trained.model(), run.request.runId().toString(), metrics, clock.instant())));
    try {
      return run.reached(new Deployed(deployer.deploy(packaged.encoded())));
    } catch (ModelStoreException e) {
      throw new RunFailure("Deploy failed, " + stays + ": " + e.getMessage());
    }
  }

  /**
   * The deployed model's scores for the newest samples waiting for review, while more than
   * {@link #RESCORE_RESERVE} is left; whatever happens, the deploy stands and the run goes on.
   */
  private Rescored rescore(Trained trained, Deployed deployed, TimeBudget budget) {
    String version = deployed.model().version();
    QueueRescorer.Result result = rescorer.rescore(trained.model(), version, settings.rescoreLimit(),
        () -> budget.remaining().compareTo(RESCORE_RESERVE) >= 0);
    Log.info("queue_rescored", "model_version", version, "rows", result.rows(), "complete", result.complete(),
        "seconds", result.seconds(), "model_seconds", result.modelSeconds(), "error", result.failure().orElse(null));
    return new Rescored(version, settings.rescoreLimit(), result);
  }

  /**
   * The record stage: the artifacts (when a model was encoded), then in one transaction the run's
   * row, the rows trained on and the acknowledgement of the open retrain request.
   */
  private FinishedRun.Artifacts record(FinishedRun run, Progress progress) throws SQLException {
    progress.begin("record");
    FinishedRun.Artifacts artifacts = run.reached(Packaged.class).isPresent()
        ? files.write(run, progress::lap) : FinishedRun.Artifacts.NONE;
    double duration = seconds(progress.start);
    Set<UUID> trainedRows = run.reached(Split.class).map(Split::trainedRowIds).orElse(Set.of());
    database.transaction(c -> {
      TrainingRuns.finish(c, run, artifacts, duration);
      if (run.completed() && !trainedRows.isEmpty()) {
        TrainingData.markUsed(c, trainedRows, run.request().runId());
      }
      if (run.completed()) {
        TrainingData.acknowledgeRetrainRequest(c);
      }
      return null;
    });
    progress.lap();
    return artifacts;
  }

  /** The figures stored in the model file's metadata. */
  private String metricsJson(Evaluation e, DatasetSplitter.Split split) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("accuracy", e.accuracy());
    m.put("f1_macro", e.testedF1Macro());
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
    return TrustFilter.key(text);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  /** A stage's work, producing its result. */
  @FunctionalInterface
  private interface StageWork<T extends StageResult> {
    T run() throws RunFailure, SQLException;
  }

  /**
   * One run as it goes: the stage it is in, the seconds each stage took, and the results reached
   * so far (only ever touched by the one thread running the run).
   */
  private final class Progress {
    final RunRequest request;
    final Instant startedAt;
    final ObjectNode parameters;
    final long start = System.nanoTime();
    final Map<String, Double> seconds = new LinkedHashMap<>();
    private final List<StageResult> reached = new ArrayList<>();
    String stage = "start";
    private long stageStart = start;

    Progress(RunRequest request, Instant startedAt, ObjectNode parameters) {
      this.request = request;
      this.startedAt = startedAt;
      this.parameters = parameters;
    }

    /** Ends the current stage's clock and starts stage {@code next}, telling the listener. */
    void begin(String next) {
      long now = System.nanoTime();
      if (!"start".equals(stage)) {
        seconds.put(stage, (now - stageStart) / 1e9);
      }
      stage = next;
      stageStart = now;
      listener.stageStarted(request.runId(), next);
    }

    /** Starts stage {@code name} and does its {@code work}; its result is reached. */
    <T extends StageResult> T stage(String name, StageWork<T> work) throws RunFailure, SQLException {
      begin(name);
      return reached(work.run());
    }

    /** Adds {@code result} to those reached, and returns it. */
    <T extends StageResult> T reached(T result) {
      reached.add(result);
      return result;
    }

    /** Records the seconds the current stage has taken so far; returns those of every stage. */
    Map<String, Double> lap() {
      seconds.put(stage, seconds(stageStart));
      return seconds;
    }

    /** The run, completed with the results reached. */
    FinishedRun completed() {
      return FinishedRun.completed(request, startedAt, parameters, reached);
    }

    /** The run, failed with {@code message} after the results reached. */
    FinishedRun failed(String message, boolean modelInService) {
      return FinishedRun.failed(request, startedAt, parameters, reached, message, modelInService);
    }
  }
}
