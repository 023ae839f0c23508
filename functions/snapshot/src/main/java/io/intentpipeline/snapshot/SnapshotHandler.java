package io.intentpipeline.snapshot;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.intentpipeline.config.Env;
import io.intentpipeline.http.Router;
import io.intentpipeline.lambda.LambdaEvent;
import io.intentpipeline.lambda.LambdaEvents;
import io.intentpipeline.metrics.MetricsService;
import io.intentpipeline.privacy.DataBucket;
import io.intentpipeline.privacy.Erasure;
import io.intentpipeline.privacy.Redactor;
import io.intentpipeline.privacy.Retention;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.ServedModel;
import io.intentpipeline.transfer.DatasetExporter;
import io.intentpipeline.transfer.DatasetImporter;
import io.intentpipeline.transfer.ExportBucket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Optional;

/**
 * The snapshot function: metrics and their history over the HTTP API ({@link SnapshotHttpRoutes}),
 * periods frozen by the schedules or a direct invocation ({@link ScheduledSnapshot}), long
 * exports by a direct invocation ({@link DirectExport}); erasure ({@link PrivacyHttpRoutes}) and
 * the daily retention run ({@link ScheduledRetention}).
 */
public final class SnapshotHandler implements RequestStreamHandler {
  private final Router routes;
  private final ScheduledSnapshot schedule;
  private final DirectExport export;
  private final Optional<ScheduledRetention> retention;

  /** Reads the configuration of the process environment and connects to the database it names. */
  public SnapshotHandler() {
    this(Env.system());
  }

  /**
   * With the configuration of {@code env}: DATABASE_URL (and its credentials), MODEL_BUCKET,
   * EXPORT_URL_TTL_SECONDS, RETENTION_DAYS, the redaction settings and the AWS settings; fails at
   * once naming a missing or bad variable.
   */
  public SnapshotHandler(Env env) {
    this(new Database(Database.Settings.fromEnv(env), "snapshot-function"), ExportBucket.fromEnv(env),
        Redactor.fromEnv(env), Retention.age(env), Clock.systemUTC());
  }

  /** Every reader of the bucket (exports, the served model, erasure) shares the exports' one S3 client. */
  private SnapshotHandler(Database database, ExportBucket exports, Redactor redactor,
      java.time.Duration retentionAge, Clock clock) {
    this(new MetricsService(database, new ServedModel(exports::client, exports.bucket())::version),
        new DatasetExporter(database, exports, clock), new DatasetImporter(database, clock, redactor),
        new Erasure(database, new DataBucket(exports::client, exports.bucket())),
        new Retention(database, retentionAge, clock), clock);
  }

  /**
   * Serves with {@code metrics}, {@code exporter} and {@code importer}; {@code clock} says what
   * "now" is for the snapshot requests.
   */
  public SnapshotHandler(MetricsService metrics, DatasetExporter exporter, DatasetImporter importer, Clock clock) {
    this(metrics, exporter, importer, Optional.empty(), clock);
  }

  /** As above, with erasure ({@code POST /ai/training/erasure}) and the retention schedule. */
  public SnapshotHandler(MetricsService metrics, DatasetExporter exporter, DatasetImporter importer, Erasure erasure,
      Retention retention, Clock clock) {
    this(metrics, exporter, importer, Optional.of(new ScheduledRetention(retention, erasure)), clock);
  }

  private SnapshotHandler(MetricsService metrics, DatasetExporter exporter, DatasetImporter importer,
      Optional<ScheduledRetention> privacy, Clock clock) {
    Snapshots snapshots = new Snapshots(metrics, clock);
    Router router = SnapshotHttpRoutes.router(snapshots, metrics, exporter, importer, clock);
    this.routes = privacy.map(p -> PrivacyHttpRoutes.addTo(router, p.erasure())).orElse(router);
    this.schedule = new ScheduledSnapshot(snapshots, metrics, clock);
    this.export = new DirectExport(exporter);
    this.retention = privacy;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    LambdaEvent event = LambdaEvents.read(input);
    if (event instanceof LambdaEvent.Http http) {
      LambdaEvents.write(routes.handle(http.event()), output);
    } else if (event instanceof LambdaEvent.Scheduled scheduled && scheduled.detail() != null
        && scheduled.detail().has("retention") && retention.isPresent()) {
      LambdaEvents.write(retention.get().run(scheduled.detail(), "detail."), output);
    } else if (event instanceof LambdaEvent.Direct direct && direct.payload().has("retention") && retention.isPresent()) {
      LambdaEvents.write(retention.get().run(direct.payload(), ""), output);
    } else if (event instanceof LambdaEvent.Scheduled scheduled) {
      LambdaEvents.write(schedule.scheduled(scheduled.detail(), scheduled.time()), output);
    } else if (event instanceof LambdaEvent.Direct direct && direct.payload().has("export")) {
      LambdaEvents.write(export.export(direct.payload()), output);
    } else if (event instanceof LambdaEvent.Direct direct) {
      LambdaEvents.write(schedule.invoked(direct.payload()), output);
    } else {
      throw new IllegalArgumentException("The snapshot function does not consume SQS messages");
    }
  }
}
