package io.intentpipeline.snapshot;

import io.intentpipeline.dataset.DatasetFormatException;
import io.intentpipeline.http.ApiException;
import io.intentpipeline.http.ApiResponses;
import io.intentpipeline.http.DatabaseCalls;
import io.intentpipeline.http.PageRequest;
import io.intentpipeline.http.QueryParams;
import io.intentpipeline.http.Router;
import io.intentpipeline.metrics.HistoryFilter;
import io.intentpipeline.metrics.MetricsService;
import io.intentpipeline.metrics.SnapshotRequest;
import io.intentpipeline.storage.StorageUnavailableException;
import io.intentpipeline.transfer.DatasetExporter;
import io.intentpipeline.transfer.DatasetImporter;
import io.intentpipeline.transfer.ExportRequest;
import io.intentpipeline.transfer.ImportReport;
import io.intentpipeline.transfer.ImportRequest;
import io.intentpipeline.validation.InvalidRequestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Set;

/**
 * The HTTP API.
 *
 * <ul>
 *   <li>{@code POST /ai/training/snapshot}: freezes a period on demand;
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
final class SnapshotHttpRoutes {
  private SnapshotHttpRoutes() {}

  /** The routes; {@code clock} says what "now" is for the snapshot requests. */
  static Router router(Snapshots snapshots, MetricsService metrics, DatasetExporter exporter,
                       DatasetImporter importer, Clock clock) {
    return new Router()
        .route("POST", "/ai/training/snapshot", request -> {
          QueryParams.of(request, Set.of());
          var snapshotRequest = SnapshotRequest.fromJson(request.jsonBody(), "", clock.instant());
          return ApiResponses.json(200, DatabaseCalls.call(() -> snapshots.take(snapshotRequest, "api")));
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
          try {
            return ApiResponses.json(200, DatabaseCalls.call(() -> exporter.export(exportRequest)));
          } catch (StorageUnavailableException e) {
            throw ApiException.unavailable("storage_unavailable", e.getMessage());
          }
        })
        .route("POST", "/ai/training/dataset/import", request -> {
          var importRequest = ImportRequest.from(request);
          return ApiResponses.json(200, DatabaseCalls.call(() -> importDataset(importer, importRequest)));
        });
  }

  private static ImportReport importDataset(DatasetImporter importer, ImportRequest request) throws SQLException {
    try {
      return importer.importFrom(request.source(), request.format());
    } catch (DatasetFormatException e) {
      throw new InvalidRequestException(request.fieldOf(e), e.getMessage());
    } catch (IOException e) {
      // The content is already in memory: reading it cannot fail for I/O.
      throw new UncheckedIOException(e);
    }
  }
}
