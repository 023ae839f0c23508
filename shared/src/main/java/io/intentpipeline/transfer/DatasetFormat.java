package io.intentpipeline.transfer;

import io.intentpipeline.dataset.DatasetFiles;
import io.intentpipeline.validation.InvalidRequestException;
import java.util.Locale;

/** The two file formats of exports and imports, by the names the API uses. */
public enum DatasetFormat {
  /** JSON Lines with the seed's field names. */
  JSONL("jsonl", "application/x-ndjson; charset=utf-8", DatasetFiles.Format.JSONL),
  /** CSV with a header line (RFC 4180). */
  CSV("csv", "text/csv; charset=utf-8", DatasetFiles.Format.CSV);

  private final String key;
  private final String contentType;
  private final DatasetFiles.Format files;

  DatasetFormat(String key, String contentType, DatasetFiles.Format files) {
    this.key = key;
    this.contentType = contentType;
    this.files = files;
  }

  /** The name in requests and answers, also the file extension: {@code jsonl} or {@code csv}. */
  public String key() {
    return key;
  }

  /** The content type an exported object is stored with. */
  public String contentType() {
    return contentType;
  }

  /** The same format for the dataset readers and writers. */
  public DatasetFiles.Format files() {
    return files;
  }

  /** {@code jsonl} or {@code csv} (any case); anything else is a 400 naming {@code field}. */
  public static DatasetFormat parse(String field, String value) {
    String name = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    for (DatasetFormat format : values()) {
      if (format.key.equals(name)) {
        return format;
      }
    }
    throw new InvalidRequestException(field, field + " must be jsonl or csv");
  }

  /** The format of a file format of the readers. */
  public static DatasetFormat of(DatasetFiles.Format files) {
    return files == DatasetFiles.Format.CSV ? CSV : JSONL;
  }
}
