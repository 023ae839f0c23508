package io.intentpipeline.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.lambda.InvocationInput;
import io.intentpipeline.transfer.DatasetExporter;
import io.intentpipeline.transfer.ExportRequest;
import io.intentpipeline.transfer.ExportResult;
import java.sql.SQLException;

/**
 * An export asked for by a direct invocation, {@code {"export": {"format": "csv", ...}}} with the
 * route's query parameters: bound by the function's timeout, not by API Gateway's 30 seconds.
 */
final class DirectExport {
  private final DatasetExporter exporter;

  DirectExport(DatasetExporter exporter) {
    this.exporter = exporter;
  }

  /** The export {@code payload} asks for; bad input fails the invocation naming the field. */
  ExportResult export(JsonNode payload) {
    ExportRequest request = InvocationInput.read("export_rejected", () -> ExportRequest.fromInvocation(payload));
    try {
      return exporter.export(request);
    } catch (SQLException e) {
      throw new IllegalStateException("Export failed with SQLSTATE " + e.getSQLState(), e);
    }
  }
}
