package io.intentpipeline.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.dataset.DatasetSplitter;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.embedded.FreshDatabase;
import io.intentpipeline.embedded.PostgresServer;
import io.intentpipeline.http.Page;
import io.intentpipeline.http.PageRequest;
import io.intentpipeline.json.Json;
import io.intentpipeline.metrics.HistoryFilter;
import io.intentpipeline.metrics.MetricsQueries;
import io.intentpipeline.metrics.MetricsService;
import io.intentpipeline.metrics.PeriodType;
import io.intentpipeline.ml.IntentModel;
import io.intentpipeline.ml.Trainer;
import io.intentpipeline.ml.TrainingProfile;
import io.intentpipeline.review.CorrectionRequest;
import io.intentpipeline.review.ErrorFilter;
import io.intentpipeline.review.PendingReviewFilter;
import io.intentpipeline.review.PendingCursor;
import io.intentpipeline.review.PendingSample;
import io.intentpipeline.review.QueueRescorer;
import io.intentpipeline.review.ReviewOrder;
import io.intentpipeline.review.ReviewQueries;
import io.intentpipeline.review.ReviewReason;
import io.intentpipeline.review.ReviewService;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.Migrations;
import io.intentpipeline.storage.SqlQuery;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./pipeline benchmark queries}: fills a database of its own with a realistic
 * {@code ai_training_data} (1,000,000 rows by default) and measures every metrics, review and
 * stats query the functions run: the median latency of {@code --calls} calls through the same
 * services the functions use, and a one-line summary of the plan PostgreSQL chose.
 */
@Command(name = "queries", description = {
    "Measures every metrics, review and stats query on a large ai_training_data.",
    "Creates a database of its own (dropped at the end) on DATABASE_URL's server or the local one."})
final class QueriesBenchmark implements Callable<Integer> {
  /** The latency target of every query, in milliseconds. */
  static final double TARGET_MS = 200;

  @Option(names = "--rows", defaultValue = "1000000", description = "Rows of ai_training_data (default ${DEFAULT-VALUE})")
  int rows;

  @Option(names = "--calls", defaultValue = "20", description = "Timed calls per query (default ${DEFAULT-VALUE})")
  int calls;

  @Option(names = "--seed", defaultValue = "0.42", description = "Seed of the generated data, -1..1 (default ${DEFAULT-VALUE})")
  double seed;

  @Option(names = "--rescore", defaultValue = "100000", description = "Rows waiting for review re-scored by a model"
      + " before the queries are measured, as after a deploy (default ${DEFAULT-VALUE}, RESCORE_LIMIT's default)")
  int rescore;

  /** One measured query: how the functions call it, and the statement behind it (for its plan). */
  record Measured(String group, String name, SqlWork call, SqlQuery statement) {}

  /** A call through a service. */
  @FunctionalInterface
  interface SqlWork {
    void run() throws SQLException;
  }

  /** What one query measured. */
  record Result(Measured query, double p50, double min, double max, String plan) {}

  @Override
  public Integer call() throws Exception {
    if (rows < 1000 || rows > 50_000_000 || calls < 1 || calls > 1000 || seed < -1 || seed > 1 || rescore < 0
        || rescore > 1_000_000) {
      System.err.println("benchmark queries: --rows must be 1000..50000000, --calls 1..1000, --seed -1..1,"
          + " --rescore 0..1000000");
      return 2;
    }
    PrintStream out = System.out;
    FreshDatabase fresh;
    try {
      fresh = PostgresServer.shared().createDatabase("bench");
    } catch (IllegalStateException e) {
      System.err.println("benchmark queries: " + e.getMessage());
      return 3;
    }
    Thread dropOnInterrupt = new Thread(fresh::close);
    Runtime.getRuntime().addShutdownHook(dropOnInterrupt);
    var settings = new Database.Settings(fresh.jdbcUrl(), fresh.user(), fresh.password(), 1);
    try (Database database = new Database(settings, "benchmark-queries")) {
      prepare(fresh, settings, database, out);
      List<Result> results = measure(fresh, database, out);
      report(results, out);
      return 0;
    } finally {
      fresh.close();
      Runtime.getRuntime().removeShutdownHook(dropOnInterrupt);
    }
  }

  private void prepare(FreshDatabase fresh, Database.Settings settings, Database database, PrintStream out)
      throws Exception {
    Migrations.migrate(settings);
    try (Connection c = fresh.connect(); Statement s = c.createStatement()) {
      try (var rs = s.executeQuery("SHOW server_version")) {
        rs.next();
        out.printf(Locale.ROOT, "PostgreSQL %s, database %s%n", rs.getString(1), fresh.name());
      }
      long start = System.nanoTime();
      try (var setSeed = c.prepareStatement("SELECT setseed(?)")) {
        setSeed.setDouble(1, seed);
        setSeed.execute();
      }
      try (var fill = c.prepareStatement(resource("/benchmark/fill-training-data.sql"))) {
        fill.setInt(1, rows);
        fill.executeUpdate();
      }
      double fillSeconds = (System.nanoTime() - start) / 1e9;
      // The deployed model the metrics and intent performance read, and an older and a rejected run.
      s.execute("INSERT INTO ai_training_runs (run_name, status, deployed, intent_accuracy, intent_f1_score,"
          + " per_intent_metrics, started_at, completed_at) SELECT 'bench_' || n, 'completed', n <> 3, 0.8, 0.78,"
          + " (SELECT jsonb_object_agg('intent_' || lpad(g::text, 2, '0'), jsonb_build_object('precision',"
          + " round(random()::numeric, 3), 'recall', round(random()::numeric, 3), 'f1', round(random()::numeric, 3),"
          + " 'support', 10 + g)) FROM generate_series(0, 76) g),"
          + " now() - make_interval(days => 4 - n, mins => 30), now() - make_interval(days => 4 - n)"
          + " FROM generate_series(1, 3) n");
      start = System.nanoTime();
      // History: what the schedules would have stored over the 90 days.
      s.execute("SELECT create_metrics_snapshot('daily', now() - make_interval(days => g)) FROM generate_series(0, 89) g");
      s.execute("SELECT create_metrics_snapshot('hourly', now() - make_interval(hours => g)) FROM generate_series(0, 335) g");
      s.execute("SELECT create_metrics_snapshot('weekly', now() - make_interval(weeks => g)) FROM generate_series(0, 12) g");
      s.execute("SELECT create_metrics_snapshot('monthly', now() - make_interval(months => g)) FROM generate_series(0, 2) g");
      double snapshotSeconds = (System.nanoTime() - start) / 1e9;
      // As autovacuum would have by the time a run deploys: the re-scoring reads with statistics.
      s.execute("ANALYZE ai_training_data");
      rescoreNewest(c, database, out);
      s.execute("VACUUM ANALYZE ai_training_data");
      s.execute("ANALYZE ai_metrics_snapshots");
      s.execute(v2MetricsReference());
      out.printf(Locale.ROOT, "Filled %,d rows in %.1f s; 442 history snapshots in %.1f s%n", rows, fillSeconds,
          snapshotSeconds);
      try (var rs = s.executeQuery("SELECT pg_size_pretty(pg_relation_size('ai_training_data')),"
          + " pg_size_pretty(pg_indexes_size('ai_training_data')),"
          + " (SELECT count(*) FROM ai_training_data WHERE intent_correct IS NOT NULL),"
          + " (SELECT count(*) FROM ai_training_data WHERE intent_correct = FALSE),"
          + " (SELECT round(100.0 * relallvisible / GREATEST(relpages, 1)) FROM pg_class WHERE relname = 'ai_training_data')")) {
        rs.next();
        out.printf(Locale.ROOT, "Table %s, its indexes %s; %,d reviewed, %,d misclassified%n",
            rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4));
        // Index-only scans skip the table only on pages VACUUM marked all-visible; a long
        // transaction elsewhere on the server can keep it from marking them.
        out.printf(Locale.ROOT, "After VACUUM, %s %% of the table's pages are all-visible%n", rs.getString(5));
      }
    }
  }

  /**
   * What a deploy does to the queue: a model (trained on 3,000 of the rows, half of their labels
   * randomised so that its confidences spread) re-scores the newest {@code --rescore} rows waiting
   * for review through {@link QueueRescorer}, as the rescore stage does; prints its throughput.
   */
  private void rescoreNewest(Connection c, Database database, PrintStream out) throws SQLException {
    if (rescore == 0) {
      return;
    }
    List<TrainingSample> samples = new ArrayList<>();
    try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT user_message, CASE WHEN random() < 0.5"
        + " THEN 'intent_' || lpad(floor(random() * 77)::int::text, 2, '0') ELSE detected_intent END"
        + " FROM ai_training_data WHERE source = 'live' ORDER BY id LIMIT 3000")) {
      while (rs.next()) {
        samples.add(TrainingSample.of(rs.getString(1), rs.getString(2)));
      }
    }
    long start = System.nanoTime();
    DatasetSplitter.Split split = DatasetSplitter.split(samples, 0.15, 0.0, 42);
    IntentModel model = new Trainer(TrainingProfile.DEFAULT, java.time.Clock.systemUTC(),
        Runtime.getRuntime().availableProcessors()).train(split.train(), split.validation(), 42).model();
    out.printf(Locale.ROOT, "Trained the re-scoring model (%d intents, %d features) in %.1f s%n", model.intents().size(),
        model.featureCount(), (System.nanoTime() - start) / 1e9);
    QueueRescorer.Result result = new QueueRescorer(database).rescore(model, "intent_classifier_benchmark", rescore,
        () -> true);
    if (result.failure().isPresent()) {
      throw new SQLException("re-scoring failed: " + result.failure().get());
    }
    out.printf(Locale.ROOT, "Re-scored the newest %,d rows waiting for review in %.1f s: %,.0f rows/s"
            + " (model %.1f s, database %.1f s; pages of %,d)%n", result.rows(), result.seconds(),
        result.rows() / result.seconds(), result.modelSeconds(), result.seconds() - result.modelSeconds(),
        QueueRescorer.PAGE);
  }

  private List<Result> measure(FreshDatabase fresh, Database database, PrintStream out) throws Exception {
    var metrics = new MetricsService(database);
    var reviews = new ReviewService(database);
    Instant now = Instant.now();
    Instant dayAgo = now.minus(1, ChronoUnit.DAYS);
    var none = PendingReviewFilter.none();
    var rare = new PendingReviewFilter(Optional.of("intent_76"), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty());
    var frequent = new PendingReviewFilter(Optional.of("intent_00"), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty());
    var lastDayUnsure = new PendingReviewFilter(Optional.empty(), Optional.of(dayAgo), Optional.empty(),
        Optional.of(0), Optional.of(50));
    var lowest = ReviewOrder.LOWEST_CONFIDENCE;
    var margin = ReviewOrder.SMALLEST_MARGIN;
    var diverse = ReviewOrder.DIVERSE;
    String deepCursor = deepCursor(reviews, lowest, 10);
    String deepMarginCursor = deepCursor(reviews, margin, 10);
    String deepDiverseCursor = deepCursor(reviews, diverse, 10);
    String tailDiverseCursor = deepCursor(reviews, diverse, ReviewQueries.DIVERSE_HEAD / 200 + 5);
    var errorsRare = new ErrorFilter(Optional.of("intent_76"), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty());
    var errorsWeek = new ErrorFilter(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of(now.minus(7, ChronoUnit.DAYS)), Optional.empty());
    var daily = new HistoryFilter(Optional.of(PeriodType.DAILY), Optional.of(now.minus(90, ChronoUnit.DAYS)),
        Optional.empty());
    List<UUID> toCorrect = sampleIds(fresh, calls + 3);

    List<Measured> queries = new ArrayList<>();
    for (int hours : new int[] {24, 168, 720}) {
      queries.add(new Measured("metrics", "GET /metrics?hours=" + hours, () -> metrics.live(hours),
          MetricsQueries.live(hours)));
    }
    for (int hours : new int[] {24, 168, 720}) {
      queries.add(new Measured("reference", "V2 metrics function, " + hours + " h", () -> v2Metrics(database, hours),
          v2MetricsQuery(hours)));
    }
    for (PeriodType type : PeriodType.values()) {
      queries.add(new Measured("metrics", "snapshot " + type.key(), () -> metrics.snapshot(type, Instant.now()),
          MetricsQueries.createSnapshot(type, now)));
    }
    queries.add(new Measured("metrics", "GET /metrics/history daily, 90 days", () ->
        metrics.history(daily, PageRequest.first(50)), MetricsQueries.history(daily, Optional.empty(), 51)));
    queries.add(new Measured("metrics", "GET /metrics/history all, page 1", () ->
        metrics.history(HistoryFilter.none(), PageRequest.first(50)),
        MetricsQueries.history(HistoryFilter.none(), Optional.empty(), 51)));
    queries.add(new Measured("metrics", "GET /intent-performance", metrics::intentPerformance,
        MetricsQueries.intentPerformance()));
    queries.add(new Measured("stats", "GET /dataset/stats", metrics::datasetStats, MetricsQueries.datasetStats()));
    // The queue serves the audit sample first (its own small index), then the others in the order
    // asked: the plan shown is of the part that serves the page (page 1: the audit sample's).
    var priority = none.withReason(ReviewReason.PRIORITY);
    queries.add(new Measured("review", "GET /pending-review, page 1 (audit sample)", () ->
        reviews.pendingReview(none, lowest, PageRequest.first(50)), ReviewQueries.auditQueue(none, Optional.empty(), 51)));
    queries.add(pending(reviews, "GET /pending-review, after 2,000 rows", none, lowest, Optional.of(deepCursor)));
    queries.add(pending(reviews, "GET /pending-review?reason=priority", priority, lowest, Optional.empty()));
    queries.add(pending(reviews, "GET /pending-review?intent=<rarest>", rare, lowest, Optional.empty()));
    queries.add(pending(reviews, "GET /pending-review?intent=<most frequent>", frequent, lowest, Optional.empty()));
    queries.add(pending(reviews, "GET /pending-review last 24 h, confidence 0-50", lastDayUnsure, lowest,
        Optional.empty()));
    queries.add(pending(reviews, "GET /pending-review?order=smallest_margin", none, margin, Optional.empty()));
    queries.add(pending(reviews, "GET ...?order=smallest_margin, after 2,000", none, margin,
        Optional.of(deepMarginCursor)));
    queries.add(pending(reviews, "GET /pending-review?order=diverse", none, diverse, Optional.empty()));
    queries.add(pending(reviews, "GET ...?order=diverse, after 2,000 rows", none, diverse,
        Optional.of(deepDiverseCursor)));
    queries.add(pending(reviews, "GET ...?order=diverse, after 6,000 (tail)", none, diverse,
        Optional.of(tailDiverseCursor)));
    queries.add(pending(reviews, "GET ...?order=diverse&intent=<rarest>", rare, diverse, Optional.empty()));
    queries.add(new Measured("review", "rescore: newest 1,000 waiting, page 1", () -> newestWaiting(database,
        Optional.empty()), QueueRescorer.newestWaiting(Optional.empty(), QueueRescorer.PAGE)));
    int newestOffset = Math.min(50_000, rows / 4);
    var newestKey = newestKey(database, newestOffset);
    queries.add(new Measured("review", String.format(Locale.ROOT, "rescore: newest 1,000 after %,d", newestOffset),
        () -> newestWaiting(database, Optional.of(newestKey)),
        QueueRescorer.newestWaiting(Optional.of(newestKey), QueueRescorer.PAGE)));
    queries.add(new Measured("review", "GET /errors, page 1", () ->
        reviews.errors(ErrorFilter.none(), PageRequest.first(50)),
        ReviewQueries.errors(ErrorFilter.none(), Optional.empty(), 51)));
    queries.add(new Measured("review", "GET /errors?intent=<rarest>", () ->
        reviews.errors(errorsRare, PageRequest.first(50)), ReviewQueries.errors(errorsRare, Optional.empty(), 51)));
    queries.add(new Measured("review", "GET /errors last 7 days", () ->
        reviews.errors(errorsWeek, PageRequest.first(50)), ReviewQueries.errors(errorsWeek, Optional.empty(), 51)));
    var next = new java.util.concurrent.atomic.AtomicInteger();
    var planCorrection = new CorrectionRequest(toCorrect.get(toCorrect.size() - 1), "intent_01", Optional.empty(),
        Optional.empty(), Optional.of("benchmark"), Optional.empty());
    queries.add(new Measured("review", "POST /correction", () -> reviews.submit(new CorrectionRequest(
        toCorrect.get(next.getAndIncrement() % (toCorrect.size() - 1)), "intent_01", Optional.empty(),
        Optional.empty(), Optional.of("benchmark"), Optional.empty())),
        SqlQuery.builder().append("SELECT submit_intent_correction(?::uuid, ?::text, NULL, NULL, ?::text, NULL)",
            planCorrection.trainingDataId(), planCorrection.correctIntent(), "benchmark").build()));
    queries.add(new Measured("reference", "SELECT count(*) FROM ai_training_data", () -> countAll(database),
        SqlQuery.of("SELECT count(*) FROM ai_training_data")));

    out.printf(Locale.ROOT, "Measuring %d queries, %d calls each (after 2 warm-up calls)...%n", queries.size(), calls);
    boolean autoExplain;
    try (Connection planner = fresh.connect()) {
      autoExplain = enableAutoExplain(planner);
      if (!autoExplain) {
        out.println("(auto_explain is unavailable to this user: plans show the outer statement only)");
      }
      List<Result> results = new ArrayList<>();
      for (Measured query : queries) {
        query.call().run();
        query.call().run();
        double[] times = new double[calls];
        for (int i = 0; i < calls; i++) {
          long start = System.nanoTime();
          query.call().run();
          times[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(times);
        double p50 = calls % 2 == 1 ? times[calls / 2] : (times[calls / 2 - 1] + times[calls / 2]) / 2;
        results.add(new Result(query, p50, times[0], times[calls - 1], plan(planner, query.statement(), autoExplain)));
      }
      return results;
    }
  }

  private void report(List<Result> results, PrintStream out) {
    out.println();
    out.printf(Locale.ROOT, "%-10s %-48s %9s %9s %9s  %-6s %s%n", "group", "query", "p50 ms", "min ms", "max ms",
        "<200ms", "plan (top node; indexes; full scans; buffers)");
    int met = 0;
    int measured = 0;
    for (Result r : results) {
      boolean reference = r.query().group().equals("reference");
      String verdict = reference ? "ref" : r.p50() < TARGET_MS ? "yes" : "NO";
      if (!reference) {
        measured++;
        met += r.p50() < TARGET_MS ? 1 : 0;
      }
      out.printf(Locale.ROOT, "%-10s %-48s %9.1f %9.1f %9.1f  %-6s %s%n", r.query().group(), r.query().name(),
          r.p50(), r.min(), r.max(), verdict, r.plan());
    }
    out.printf(Locale.ROOT, "%n%d of %d queries have a median under %.0f ms on %,d rows (%d calls each).%n",
        met, measured, TARGET_MS, rows, calls);
  }

  /** Loads auto_explain for this session so that the statements inside SQL functions are explained too. */
  private static boolean enableAutoExplain(Connection c) {
    try (Statement s = c.createStatement()) {
      s.execute("LOAD 'auto_explain'");
      for (String setting : List.of("auto_explain.log_min_duration = 0", "auto_explain.log_analyze = on",
          "auto_explain.log_buffers = on", "auto_explain.log_nested_statements = on",
          "auto_explain.log_format = 'json'", "auto_explain.log_level = 'notice'", "client_min_messages = 'notice'")) {
        s.execute("SET " + setting);
      }
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /** Runs {@code query} once more, explained, and summarises its plans on one line. */
  private static String plan(Connection c, SqlQuery query, boolean autoExplain) throws SQLException {
    List<JsonNode> plans = new ArrayList<>();
    if (autoExplain) {
      try (var statement = query.prepare(c)) {
        statement.execute();
        for (SQLWarning w = statement.getWarnings(); w != null; w = w.getNextWarning()) {
          JsonNode plan = PlanSummary.parseLogged(w.getMessage());
          if (plan != null && plan.has("Plan")) {
            plans.add(plan);
          }
        }
      }
    } else {
      var explain = new SqlQuery("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + query.sql(), query.params());
      try (var statement = explain.prepare(c); var rs = statement.executeQuery()) {
        rs.next();
        plans.add(Json.MAPPER.readTree(rs.getString(1)).get(0));
      } catch (IOException e) {
        throw new IllegalStateException("EXPLAIN returned malformed JSON", e);
      }
    }
    return PlanSummary.of(plans).line();
  }

  /**
   * A page of 50 of the review queue in {@code order} as the function asks for it, and the statement
   * of the part of the queue after the audit sample (the audit sample's when the cursor is in it).
   */
  private static Measured pending(ReviewService reviews, String name, PendingReviewFilter filter, ReviewOrder order,
      Optional<String> cursor) {
    Optional<PendingCursor.Position> after = cursor.map(c -> PendingCursor.decode(c, filter, order));
    SqlQuery statement = after.isPresent() && after.get().reason() == ReviewReason.AUDIT
        ? ReviewQueries.auditQueue(filter, after.map(position -> position.key().id()), 51)
        : ReviewQueries.pendingReview(filter.withReason(ReviewReason.PRIORITY), order,
            after.map(PendingCursor.Position::key), 51);
    return new Measured("review", name, () -> reviews.pendingReview(filter, order, new PageRequest(50, cursor)),
        statement);
  }

  /** The cursor after {@code pages} pages of 200 of the review queue in {@code order}, walked through the service. */
  private static String deepCursor(ReviewService reviews, ReviewOrder order, int pages) throws SQLException {
    Page<PendingSample> page = reviews.pendingReview(PendingReviewFilter.none(), order, PageRequest.first(200));
    for (int i = 1; i < pages && page.nextCursor() != null; i++) {
      page = reviews.pendingReview(PendingReviewFilter.none(), order, new PageRequest(200, Optional.of(page.nextCursor())));
    }
    if (page.nextCursor() == null) {
      throw new IllegalStateException("The review queue is shorter than " + pages * 200 + " rows; use more --rows");
    }
    return page.nextCursor();
  }

  /** A page of the re-scoring's read: the newest rows waiting for review after {@code after}. */
  private static void newestWaiting(Database database, Optional<QueueRescorer.NewestKey> after) throws SQLException {
    database.run(c -> {
      try (var s = QueueRescorer.newestWaiting(after, QueueRescorer.PAGE).prepare(c); var rs = s.executeQuery()) {
        int n = 0;
        while (rs.next()) {
          n++;
        }
        return n;
      }
    });
  }

  /** The key of the {@code offset}-th newest row waiting for review (where the re-scoring's page after it starts). */
  private static QueueRescorer.NewestKey newestKey(Database database, int offset) throws SQLException {
    return database.run(c -> {
      try (var s = c.prepareStatement("SELECT created_at, id FROM ai_training_data WHERE NOT corrected_by_human"
          + " AND dataset_status IN ('pending', 'used_in_training') AND confidence_score IS NOT NULL"
          + " ORDER BY created_at DESC, id DESC OFFSET ? LIMIT 1")) {
        s.setInt(1, offset);
        try (var rs = s.executeQuery()) {
          rs.next();
          return new QueueRescorer.NewestKey(rs.getObject(1, java.time.OffsetDateTime.class).toInstant(),
              rs.getObject(2, UUID.class));
        }
      }
    });
  }

  private static List<UUID> sampleIds(FreshDatabase fresh, int count) throws SQLException {
    try (Connection c = fresh.connect(); var s = c.prepareStatement(
        "SELECT id FROM ai_training_data WHERE NOT corrected_by_human AND detected_intent <> 'intent_01' LIMIT ?")) {
      s.setInt(1, count);
      List<UUID> ids = new ArrayList<>();
      try (var rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getObject(1, UUID.class));
        }
      }
      return ids;
    }
  }

  /** V2's metrics function under another name: the reference the V4 rewrite is measured against. */
  private static String v2MetricsReference() throws IOException {
    String v2 = resource("/db/migration/V2__training_functions.sql");
    int start = v2.indexOf("CREATE FUNCTION ai_training_metrics_between(");
    int end = v2.indexOf("\n$$;", start) + "\n$$;".length();
    return v2.substring(start, end)
        .replace("CREATE FUNCTION ai_training_metrics_between(", "CREATE FUNCTION ai_training_metrics_between_v2(");
  }

  private static SqlQuery v2MetricsQuery(int hours) {
    return SqlQuery.builder()
        .append("SELECT ai_training_metrics_between_v2(now() - make_interval(hours => ?), now())::text", hours)
        .build();
  }

  private static void v2Metrics(Database database, int hours) throws SQLException {
    database.run(c -> {
      try (var s = v2MetricsQuery(hours).prepare(c); var rs = s.executeQuery()) {
        rs.next();
        return Json.MAPPER.readTree(rs.getString(1));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static void countAll(Database database) throws SQLException {
    database.run(c -> {
      try (var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM ai_training_data")) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  static String resource(String name) throws IOException {
    try (InputStream in = QueriesBenchmark.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("Missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
