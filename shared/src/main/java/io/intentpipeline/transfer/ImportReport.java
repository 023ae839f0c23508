package io.intentpipeline.transfer;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * What an import did: of the {@code records} read, {@code imported} were stored,
 * {@code duplicates} were stored before (or twice in the file) and stored nothing, and
 * {@code invalid} were refused; {@code errors} lists the first of those with their line.
 * Stored samples have source {@code source} and status {@code datasetStatus}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ImportReport(
    String format,
    long records,
    long imported,
    long duplicates,
    long invalid,
    List<LineError> errors,
    boolean errorsTruncated,
    String source,
    String datasetStatus) {

  public ImportReport {
    errors = List.copyOf(errors);
  }

  /** One refused record: the 1-based line it starts on, and why. */
  public record LineError(int line, String message) {}
}
