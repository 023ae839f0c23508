package io.intentpipeline.snapshot;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.config.Env;
import io.intentpipeline.dataset.DatasetFormatException;
import io.intentpipeline.http.ApiResponses;
import io.intentpipeline.http.DatabaseCalls;
import io.intentpipeline.http.PageRequest;
import io.intentpipeline.http.QueryParams;
import io.intentpipeline.http.Router;
import io.intentpipeline.lambda.InvocationInput;
import io.intentpipeline.lambda.LambdaEvent;
import io.intentpipeline.lambda.LambdaEvents;
import io.intentpipeline.log.Log;
import io.intentpipeline.metrics.HistoryFilter;
import io.intentpipeline.metrics.MetricsService;
import io.intentpipeline.metrics.Snapshot;
import io.intentpipeline.metrics.SnapshotRequest;
import io.intentpipeline.storage.Database;
import io.intentpipeline.transfer.DatasetExporter;
import io.intentpipeline.transfer.DatasetImporter;
import io.intentpipeline.transfer.ExportBucket;
import io.intentpipeline.transfer.ExportRequest;
import io.intentpipeline.transfer.ExportResult;
import io.intentpipeline.transfer.ImportReport;
import io.intentpipeline.transfer.ImportRequest;
import io.intentpipeline.validation.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * The snapshot function: metrics and their history.
 *
 * <ul>
 *   <li>EventBridge schedules (hourly, daily, weekly, monthly) whose input carries
 *       {@code {"period_type": ...}} (as the event's {@code detail}, or as the whole input) freeze
 *       the last complete period before the event's time, then fold the dataset counters;
 *   <li>{@code POST /ai/training/snapshot} does the same on demand;
 *   <li>{@code GET /ai/training/metrics?hours=24}: live metrics and the alerts they raise;
 *   <li>{@code GET /ai/training/metrics/history}: snapshots by period type and range, paginated;
 *   <li>{@code GET /ai/training/intent-performance}: per-intent accuracy beside the deployed
 *       model's per-intent precision, recall and F1;
 *   <li>{@code GET /ai/training/dataset/stats}: what the training data is made of;
 *   <li>{@code GET /ai/training/dataset/export?format=jsonl|csv}: the training data written to
 *       S3, answered with a presigned URL that expires;
 *   <li>{@code POST /ai/training/dataset/import}: an external JSONL or CSV dataset stored as
 *       imported samples, invalid records reported by line.
 * </ul>
 */
public final class SnapshotHandler implements RequestStreamHandler {
  private final MetricsService metrics;
  private final DatasetExporter exporter;
  private final DatasetImporter importer;
  private final Clock clock;
  private final Router router;

  /** Reads the configuration of the process environment and connects to the database it names. */
  public SnapshotHandler() {
    this(Env.system());
  }

  /**
   * With the configuration of {@code env}: DATABASE_URL (and its credentials), MODEL_BUCKET,
   * EXPORT_URL_TTL_SECONDS and the AWS settings; fails at once naming a missing or bad variable.
   */
  public SnapshotHandler(Env env) {
    this(new Database(Database.Settings.fromEnv(env), "snapshot-function"), ExportBucket.fromEnv(env),
        Clock.systemUTC());
  }

  private SnapshotHandler(Database database, ExportBucket exports, Clock clock) {
    this(new MetricsService(database), new DatasetExporter(database, exports, clock),
        new DatasetImporter(database, clock), clock);
  }

  /**
   * Serves with {@code metrics}, {@code exporter} and {@code importer}; {@code clock} says what
   * "now" is for the snapshot requests.
   */
  public SnapshotHandler(MetricsService metrics, DatasetExporter exporter, DatasetImporter importer, Clock clock) {
    this.metrics = metrics;
    this.exporter = exporter;
    this.importer = importer;
    this.clock = clock;
    this.router = new Router()
        .route("POST", "/ai/training/snapshot", request -> {
          QueryParams.of(request, Set.of());
          var snapshotRequest = SnapshotRequest.fromJson(request.jsonBody(), "", clock.instant());
          return ApiResponses.json(200, snapshot(snapshotRequest, "api"));
        })
        .route("GET", "/ai/training/metrics", request -> {
          QueryParams query = QueryParams.of(request, Set.of("hours"));
          int hours = query.integer("hours", 24, 1, MetricsService.MAX_HOURS);
          return ApiResponses.json(200, DatabaseCalls.call(() -> metrics.live(hours)));
        })
        .route("GET", "/ai/training/metrics/history", request -> {
          QueryParams query = QueryParams.of(request, HistoryFilter.PARAMETERS);
          var filter = HistoryFilter.from(query);
          var page = PageRequest.from(query);
          return ApiResponses.json(200, DatabaseCalls.call(() -> metrics.history(filter, page)));
        })
        .route("GET", "/ai/training/intent-performance", request -> {
          QueryParams.of(request, Set.of());
          return ApiResponses.json(200, DatabaseCalls.call(metrics::intentPerformance));
        })
        .route("GET", "/ai/training/dataset/stats", request -> {
          QueryParams.of(request, Set.of());
          return ApiResponses.json(200, DatabaseCalls.call(metrics::datasetStats));
        })
        .route("GET", "/ai/training/dataset/export", request -> {
          var exportRequest = ExportRequest.from(QueryParams.of(request, ExportRequest.PARAMETERS));
          return ApiResponses.json(200, DatabaseCalls.call(() -> exporter.export(exportRequest)));
        })
        .route("POST", "/ai/training/dataset/import", request -> {
          var importRequest = ImportRequest.from(request);
          return ApiResponses.json(200, DatabaseCalls.call(() -> importDataset(importRequest)));
        });
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    JsonNode root;
    try {
      root = LambdaEvents.mapper().readTree(input);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("Invocation payload is not JSON: " + e.getOriginalMessage(), e);
    }
    LambdaEvent event = LambdaEvents.classify(root == null ? LambdaEvents.mapper().nullNode() : root);
    if (event instanceof LambdaEvent.Http http) {
      LambdaEvents.write(router.handle(http.event()), output);
    } else if (event instanceof LambdaEvent.Scheduled scheduled) {
      LambdaEvents.write(scheduledSnapshot(scheduled.detail(), "detail.", eventTime(root)), output);
    } else if (event instanceof LambdaEvent.Direct direct && direct.payload().has("export")) {
      LambdaEvents.write(directExport(direct.payload()), output);
    } else if (event instanceof LambdaEvent.Direct direct) {
      LambdaEvents.write(scheduledSnapshot(direct.payload(), "", clock.instant()), output);
    } else {
      throw new IllegalArgumentException("The snapshot function does not consume SQS messages");
    }
  }

  /**
   * A schedule's snapshot. The period is the one before the time the schedule fired (its event
   * time), not before the moment this runs, so a delayed or retried invocation still freezes the
   * period it was meant for. Bad input fails the invocation with a message naming the field.
   */
  private Snapshot scheduledSnapshot(JsonNode input, String prefix, Instant firedAt) {
    SnapshotRequest request = InvocationInput.read("snapshot_rejected",
        () -> SnapshotRequest.fromJson(input, prefix, clock.instant()));
    SnapshotRequest effective = request.at().isPresent() ? request
        : new SnapshotRequest(request.periodType(), java.util.Optional.of(firedAt));
    try {
      Snapshot snapshot = take(effective, "schedule");
      // The schedules are the function's housekeeping moment: fold the dataset counters' deltas.
      long rows = metrics.compactCounts(0);
      Log.info("counts_compacted", "rows", rows);
      return snapshot;
    } catch (SQLException e) {
      throw new IllegalStateException("Snapshot failed with SQLSTATE " + e.getSQLState(), e);
    }
  }

  private Snapshot snapshot(SnapshotRequest request, String trigger) {
    return DatabaseCalls.call(() -> take(request, trigger));
  }

  private Snapshot take(SnapshotRequest request, String trigger) throws SQLException {
    Snapshot snapshot = metrics.snapshot(request.periodType(), request.at().orElseGet(clock::instant));
    Log.info("snapshot_taken", "trigger", trigger, "period_type", snapshot.periodType(),
        "period_start", snapshot.periodStart().toString(), "total_messages", snapshot.totalMessages(),
        "alerts", snapshot.alerts().size());
    return snapshot;
  }

  /**
   * An export asked for by a direct invocation, {@code {"export": {"format": "csv", ...}}} with the
   * route's query parameters: bound by the function's timeout, not by API Gateway's 30 seconds.
   * Bad input fails the invocation with a message naming the field.
   */
  private ExportResult directExport(JsonNode payload) {
    ExportRequest request = InvocationInput.read("export_rejected", () -> {
      for (var names = payload.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!name.equals("export")) {
          throw new InvalidRequestException(name, "An export invocation holds only the field export");
        }
      }
      JsonNode parameters = payload.get("export");
      if (!parameters.isObject()) {
        throw new InvalidRequestException("export", "export must be an object of the route's query parameters");
      }
      var values = new java.util.HashMap<String, String>();
      for (var fields = parameters.fields(); fields.hasNext(); ) {
        var field = fields.next();
        if (!field.getValue().isValueNode() || field.getValue().isNull()) {
          throw new InvalidRequestException("export." + field.getKey(), field.getKey() + " must be a string, number or boolean");
        }
        values.put(field.getKey(), field.getValue().asText());
      }
      return ExportRequest.from(QueryParams.of(values, ExportRequest.PARAMETERS));
    });
    try {
      return exporter.export(request);
    } catch (SQLException e) {
      throw new IllegalStateException("Export failed with SQLSTATE " + e.getSQLState(), e);
    }
  }

  private ImportReport importDataset(ImportRequest request) throws SQLException {
    try {
      return importer.importFrom(request.source(), request.format());
    } catch (DatasetFormatException e) {
      throw new InvalidRequestException(request.fieldOf(e), e.getMessage());
    } catch (IOException e) {
      // The content is already in memory: reading it cannot fail for I/O.
      throw new UncheckedIOException(e);
    }
  }

  private Instant eventTime(JsonNode root) {
    String time = root.path("time").asText("");
    if (time.isEmpty()) {
      return clock.instant();
    }
    try {
      Instant fired = Instant.parse(time);
      // EventBridge sends the firing time; one before 2000 (the database would refuse its period)
      // or more than a day ahead (year +1000000000 overflows the period's dates) is not a
      // schedule's: use now, as for a time that does not parse.
      Instant now = clock.instant();
      return fired.isBefore(SnapshotRequest.EARLIEST) || fired.isAfter(now.plus(Duration.ofDays(1))) ? now : fired;
    } catch (DateTimeParseException e) {
      return clock.instant();
    }
  }
}
