package io.intentpipeline.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentpipeline.dataset.CsvFormat;
import io.intentpipeline.dataset.DatasetFormatException;
import io.intentpipeline.dataset.JsonlFormat;
import io.intentpipeline.http.ApiException;
import io.intentpipeline.http.HttpRequest;
import io.intentpipeline.json.Json;
import io.intentpipeline.http.QueryParams;
import io.intentpipeline.validation.InvalidRequestException;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The dataset of a {@code POST /ai/training/dataset/import}, validated. Two shapes:
 *
 * <ul>
 *   <li>{@code Content-Type: application/json}: {@code {"format": "jsonl"|"csv", "content": "<the
 *       file's text>", "text_column": ..., "label_column": ...}};
 *   <li>any other content type: the body is the file itself; its format is the {@code format}
 *       query parameter, else its content type ({@code text/csv}, {@code application/x-ndjson},
 *       {@code application/jsonl}); the columns are the query parameters {@code text_column} and
 *       {@code label_column}.
 * </ul>
 *
 * A body over {@value #MAX_BODY_BYTES} bytes is a 413: a Lambda invocation carries at most 6 MB,
 * base64 (which API Gateway uses for non-text bodies) included.
 *
 * @param contentField the field that holds the file ({@code content}, or {@code body} for a raw body)
 */
public record ImportRequest(DatasetFormat format, String content, CsvFormat.Columns columns, String contentField) {
  /** The largest body accepted, in bytes (4 MiB; base64 makes it 5.6 MB, under Lambda's 6 MB). */
  public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
  /** The query parameters of a raw body. */
  public static final Set<String> PARAMETERS = Set.of("format", "text_column", "label_column");
  private static final Set<String> FIELDS = Set.of("format", "content", "text_column", "label_column");
  private static final Map<String, DatasetFormat> CONTENT_TYPES = Map.of(
      "text/csv", DatasetFormat.CSV,
      "application/csv", DatasetFormat.CSV,
      "application/x-ndjson", DatasetFormat.JSONL,
      "application/ndjson", DatasetFormat.JSONL,
      "application/jsonl", DatasetFormat.JSONL,
      "application/x-jsonl", DatasetFormat.JSONL,
      "application/jsonlines", DatasetFormat.JSONL,
      "application/x-jsonlines", DatasetFormat.JSONL);

  /** Reads the request; any problem is a 400 naming the field (413 when the body is too large). */
  public static ImportRequest from(HttpRequest request) {
    String body = body(request);
    String mediaType = request.header("content-type")
        .map(value -> value.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
        .orElse("");
    if (mediaType.equals("application/json")) {
      Map<String, String> query = request.event().getQueryStringParameters();
      if (query != null && !query.isEmpty()) {
        String name = new TreeSet<>(query.keySet()).first();
        throw new InvalidRequestException(name, "With a JSON body, give format, text_column and label_column in the body,"
            + " not as query parameter '" + name + "'");
      }
      return fromJson(Json.parseBody(body));
    }
    QueryParams query = QueryParams.of(request, PARAMETERS);
    DatasetFormat format = query.string("format").map(value -> DatasetFormat.parse("format", value))
        .or(() -> Optional.ofNullable(CONTENT_TYPES.get(mediaType)))
        .orElseThrow(() -> new InvalidRequestException("format", "format is required: pass ?format=jsonl or ?format=csv,"
            + " or send the body as text/csv or application/x-ndjson (or a JSON body with a format field)"));
    return validated(format, body, query.string("text_column"), query.string("label_column"), "body");
  }

  /** Reads the JSON shape {@code {"format", "content", "text_column"?, "label_column"?}}. */
  static ImportRequest fromJson(JsonNode body) {
    if (!body.isObject()) {
      throw new InvalidRequestException("body", "Request body must be a JSON object");
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new InvalidRequestException(name, "Unknown field '" + name + "'; expected: " + String.join(", ", new TreeSet<>(FIELDS)));
      }
    }
    DatasetFormat format = DatasetFormat.parse("format", string(body, "format")
        .orElseThrow(() -> new InvalidRequestException("format", "format is required: jsonl or csv")));
    String content = string(body, "content")
        .orElseThrow(() -> new InvalidRequestException("content", "content is required: the text of the dataset file"));
    return validated(format, content, string(body, "text_column"), string(body, "label_column"), "content");
  }

  private static ImportRequest validated(DatasetFormat format, String content, Optional<String> textColumn,
                                         Optional<String> labelColumn, String contentField) {
    if (content.isBlank()) {
      throw new InvalidRequestException(contentField, contentField + " is empty: send the dataset file's text");
    }
    for (var column : java.util.List.of(Map.entry("text_column", textColumn), Map.entry("label_column", labelColumn))) {
      if (column.getValue().isEmpty()) {
        continue;
      }
      if (format != DatasetFormat.CSV) {
        throw new InvalidRequestException(column.getKey(), column.getKey()
            + " applies to CSV only; JSON Lines records always use user_message and intent");
      }
      if (column.getValue().get().isBlank() || column.getValue().get().length() > 200) {
        throw new InvalidRequestException(column.getKey(), column.getKey() + " must be a column name of 1-200 characters");
      }
    }
    return new ImportRequest(format, content, new CsvFormat.Columns(textColumn.orElse(null), labelColumn.orElse(null)),
        contentField);
  }

  /** Reads the records of {@link #content()} into a sink. */
  public DatasetImporter.Source source() {
    return sink -> {
      if (format == DatasetFormat.CSV) {
        CsvFormat.readEach(new StringReader(content), columns, sink);
      } else {
        JsonlFormat.readEach(new BufferedReader(new StringReader(content)), sink);
      }
    };
  }

  /** The request field a file-level problem is about: a column option, else the file's field. */
  public String fieldOf(DatasetFormatException problem) {
    String message = problem.getMessage();
    if (message.contains("text column")) {
      return "text_column";
    }
    if (message.contains("label column") || message.contains("text and label columns")) {
      return "label_column";
    }
    return contentField;
  }

  private static Optional<String> string(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new InvalidRequestException(field, field + " must be a string");
    }
    return Optional.of(value.textValue());
  }

  /** The body as text: at most {@value #MAX_BODY_BYTES} bytes, base64 decoded, strict UTF-8. */
  private static String body(HttpRequest request) {
    String raw = request.event().getBody();
    if (raw == null || raw.isEmpty()) {
      throw new InvalidRequestException("body", "Request body is required: the dataset file, or a JSON object with format and content");
    }
    if (!request.event().getIsBase64Encoded()) {
      long bytes = utf8Length(raw);
      if (bytes > MAX_BODY_BYTES) {
        throw tooLarge(bytes);
      }
      return raw;
    }
    // Decoded size without decoding: 3 bytes per 4 characters, less the padding.
    long bytes = raw.length() / 4L * 3 - (raw.endsWith("==") ? 2 : raw.endsWith("=") ? 1 : 0);
    if (bytes > MAX_BODY_BYTES) {
      throw tooLarge(bytes);
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(raw);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("body", "Request body is marked base64 but is not valid base64");
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(decoded)).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidRequestException("body", "Request body is not valid UTF-8 text");
    }
  }

  private static ApiException tooLarge(long bytes) {
    return new ApiException(413, "payload_too_large", "The request body is " + bytes + " bytes; at most "
        + MAX_BODY_BYTES + " bytes (4 MiB) are accepted. Split the file, or import it with ./pipeline import.", "body");
  }

  private static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
