package io.intentpipeline.transfer;

import io.intentpipeline.aws.S3UploadStream;
import io.intentpipeline.dataset.CsvFormat;
import io.intentpipeline.dataset.JsonlFormat;
import io.intentpipeline.dataset.TrainingSample;
import io.intentpipeline.log.Log;
import io.intentpipeline.storage.Database;
import io.intentpipeline.storage.StorageUnavailableException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Exports the training dataset to S3 and hands out a presigned URL to it.
 *
 * <p>The rows stream from a database cursor through the dataset writers into an S3 upload sent
 * part by part, so an export of any size holds about one part (5 MiB) and one fetch (1,000 rows)
 * in memory. A failure on either side stores nothing.
 */
public final class DatasetExporter {
  /** Rows fetched from the database per round trip. */
  static final int FETCH_SIZE = 1_000;
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private final Database database;
  private final ExportBucket bucket;
  private final Clock clock;

  /** Exports rows of {@code database} to {@code bucket}; {@code clock} names and dates the files. */
  public DatasetExporter(Database database, ExportBucket bucket, Clock clock) {
    this.database = database;
    this.bucket = bucket;
    this.clock = clock;
  }

  /**
   * Writes the rows {@code request} selects to {@code exports/<yyyyMMddTHHmmssZ>-<uuid>.<format>}
   * and answers where it is, a presigned URL and what it holds. S3 out of reach (or failing on its
   * side) is a {@link StorageUnavailableException}; an unreachable database an {@link SQLException}.
   */
  public ExportResult export(ExportRequest request) throws SQLException {
    Instant created = clock.instant();
    String key = "exports/" + STAMP.format(created) + "-" + UUID.randomUUID() + "." + request.format().key();
    long started = System.nanoTime();
    S3UploadStream upload = null;
    long rows;
    try {
      upload = bucket.open(key, request.format());
      rows = writeTo(request, upload);
      upload.close();
    } catch (SQLException e) {
      abort(upload);
      throw e;
    } catch (RuntimeException e) {
      abort(upload);
      throw storageFailure(e, key);
    }
    ExportBucket.Presigned presigned = presign(key);
    Log.info("dataset_exported", "key", key, "format", request.format().key(), "rows", rows,
        "bytes", upload.size(), "parts", upload.partsSent(), "ms", (System.nanoTime() - started) / 1_000_000);
    return new ExportResult(presigned.url(), presigned.expiresAt(), bucket.urlTtl().toSeconds(), bucket.bucket(), key,
        request.format().key(), rows, upload.size(), created);
  }

  /**
   * Writes the rows {@code request} selects to {@code target} in its format (UTF-8) and answers how
   * many there were; {@code target} is flushed, not closed. The export's work without S3.
   */
  public long writeTo(ExportRequest request, OutputStream target) throws SQLException {
    return database.transaction(connection -> {
      try (PreparedStatement statement = ExportQueries.rows(request).prepare(connection)) {
        // Inside a transaction pgjdbc reads through a cursor, FETCH_SIZE rows at a time.
        statement.setFetchSize(FETCH_SIZE);
        try (ResultSet rs = statement.executeQuery()) {
          return write(rs, request.format(), target);
        }
      }
    });
  }

  private static long write(ResultSet rs, DatasetFormat format, OutputStream target) throws SQLException {
    try {
      Writer out = new BufferedWriter(new OutputStreamWriter(target, StandardCharsets.UTF_8), 1 << 16);
      if (format == DatasetFormat.CSV) {
        CsvFormat.writeHeader(out);
      }
      long rows = 0;
      while (rs.next()) {
        TrainingSample sample = sample(rs);
        if (format == DatasetFormat.CSV) {
          CsvFormat.writeRecord(sample, out);
        } else {
          out.write(JsonlFormat.line(sample));
          out.write('\n');
        }
        rows++;
      }
      out.flush();
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void abort(S3UploadStream upload) {
    if (upload != null) {
      upload.abort();
    }
  }

  private static TrainingSample sample(ResultSet rs) throws SQLException {
    Integer score = rs.getObject("confidence_score", Integer.class);
    OffsetDateTime createdAt = rs.getObject("created_at", OffsetDateTime.class);
    return new TrainingSample(
        rs.getString("user_message"),
        rs.getString("intent"),
        rs.getString("response"),
        score,
        rs.getString("category"),
        rs.getBoolean("escalated"),
        rs.getBoolean("corrected_by_human"),
        rs.getString("source"),
        createdAt == null ? null : createdAt.toInstant());
  }

  private ExportBucket.Presigned presign(String key) {
    try {
      return bucket.presign(key);
    } catch (RuntimeException e) {
      throw storageFailure(e, key);
    }
  }

  /** S3 out of reach or failing on its side is a StorageUnavailableException; any other failure passes unchanged. */
  private static RuntimeException storageFailure(RuntimeException e, String key) {
    boolean unavailable = e instanceof SdkClientException
        || (e instanceof S3Exception s3 && (s3.statusCode() >= 500 || s3.statusCode() == 429));
    if (unavailable) {
      Log.warn("export_storage_unavailable", "key", key, "error", e.getClass().getSimpleName());
      return new StorageUnavailableException("The export storage (S3) is unavailable; retry later", e);
    }
    if (e instanceof S3Exception s3) {
      Log.error("export_storage_failed", "key", key, "status", s3.statusCode(),
          "code", s3.awsErrorDetails() == null ? "-" : s3.awsErrorDetails().errorCode());
    }
    return e;
  }
}
